"""Show the chat launcher on the help and reset pages only."""

from django.conf import settings

from .presence import agents_online
from .selectors import CHAT_SESSION_KEY, ticket_form_url

LAUNCHER_PREFIXES = ("/help", "/reset")


def _wants_launcher(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in LAUNCHER_PREFIXES)


def chat_launcher(request):
    """Expose whether to render the chat button, and whether an agent is online."""
    if not _wants_launcher(request.path):
        return {}
    return {
        "CHAT_LAUNCHER": True,
        "CHAT_AGENTS_ONLINE": agents_online(),
        "CHAT_IN_PROGRESS": CHAT_SESSION_KEY in request.session,
        "CHAT_TICKET_URL": ticket_form_url(),
        "CHAT_WEBSOCKET_BASE": settings.CHAT_WEBSOCKET_BASE,
        "CHAT_POLL_SECONDS": settings.CHAT_POLL_INTERVAL_SECONDS,
        "CHAT_MAX_CHARS": settings.CHAT_MESSAGE_MAX_CHARS,
    }
