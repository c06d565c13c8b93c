"""Push chat events to connected WebSockets through the channel layer.

Callers send after commit; a channel layer that is down never breaks a write, because
browsers that miss a push catch up by polling.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

AGENTS_GROUP = "chat.agents"


def chat_group(public_id) -> str:
    """Return the channel-layer group of one chat."""
    return f"chat.{public_id.hex}"


def group_push(group: str, payload: dict) -> None:
    """Send `payload` to every consumer in `group` (as a `chat.event` message)."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": "chat.event", "payload": payload})
    except Exception as exc:  # noqa: BLE001 - a push is best effort; polling catches up
        logger.warning("Chat push to %s failed: %s", group, type(exc).__name__)
