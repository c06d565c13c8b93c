"""Agent presence and typing flags, kept in the cache with a short time to live."""

from django.conf import settings
from django.core.cache import cache

_ONLINE_KEY = "chat:agents-online"


def agent_presence_beat(*, agent_id: int) -> None:
    """Record that an agent's console is open; it counts for CHAT_PRESENCE_TTL_SECONDS."""
    cache.set(_ONLINE_KEY, agent_id, timeout=settings.CHAT_PRESENCE_TTL_SECONDS)


def agents_online() -> bool:
    """Say whether any agent's console sent a heartbeat recently."""
    return cache.get(_ONLINE_KEY) is not None


def typing_mark(*, chat_id: int, sender: str) -> None:
    """Remember for a few seconds that `sender` is typing in a chat (for polling clients)."""
    cache.set(f"chat:typing:{chat_id}:{sender}", 1, timeout=settings.CHAT_TYPING_TTL_SECONDS)


def typing_is_on(*, chat_id: int, sender: str) -> bool:
    """Say whether `sender` typed in the chat within the last few seconds."""
    return cache.get(f"chat:typing:{chat_id}:{sender}") is not None
