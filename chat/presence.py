"""Agent presence, availability and typing flags, kept in the cache.

An agent takes chats while their chat console is open (a heartbeat every 20 s counts for
CHAT_PRESENCE_TTL_SECONDS) *and* their "available for chat" switch is on (on by default; it
stays as the agent left it). Customers can start a chat only while at least one agent does.
"""

from django.conf import settings
from django.core.cache import cache

_AGENTS_KEY = "chat:agents"  # ids of agents who ever opened the console (a small set)


def _beat_key(agent_id: int) -> str:
    return f"chat:agent:{agent_id}:beat"


def _available_key(agent_id: int) -> str:
    return f"chat:agent:{agent_id}:available"


def _agent_register(agent_id: int) -> None:
    # Read-modify-write without a lock: two agents registering at once may drop one id, which
    # that agent's next heartbeat puts back.
    agents = cache.get(_AGENTS_KEY) or set()
    if agent_id not in agents:
        cache.set(_AGENTS_KEY, {*agents, agent_id}, timeout=None)


def agent_presence_beat(*, agent_id: int) -> None:
    """Record that an agent's console is open; it counts for CHAT_PRESENCE_TTL_SECONDS."""
    cache.set(_beat_key(agent_id), 1, timeout=settings.CHAT_PRESENCE_TTL_SECONDS)
    _agent_register(agent_id)


def agent_available_set(*, agent_id: int, available: bool) -> None:
    """Switch an agent's "available for chat" on or off (kept until they switch it again)."""
    cache.set(_available_key(agent_id), bool(available), timeout=None)
    _agent_register(agent_id)


def agent_is_available(*, agent_id: int) -> bool:
    """Say whether the agent's switch is on (it is until they turn it off)."""
    return cache.get(_available_key(agent_id), True) is not False


def agents_online() -> bool:
    """Say whether any agent with the switch on has their console open."""
    agents = cache.get(_AGENTS_KEY) or set()
    if not agents:
        return False
    keys = {agent_id: (_beat_key(agent_id), _available_key(agent_id)) for agent_id in agents}
    found = cache.get_many([key for pair in keys.values() for key in pair])
    return any(beat in found and found.get(available) is not False for beat, available in keys.values())


def typing_mark(*, chat_id: int, sender: str) -> None:
    """Remember for a few seconds that `sender` is typing in a chat (for polling clients)."""
    cache.set(f"chat:typing:{chat_id}:{sender}", 1, timeout=settings.CHAT_TYPING_TTL_SECONDS)


def typing_clear(*, chat_id: int, senders: tuple[str, ...]) -> None:
    """Forget that these senders are typing (their message arrived, or the chat ended)."""
    cache.delete_many([f"chat:typing:{chat_id}:{sender}" for sender in senders])


def typing_is_on(*, chat_id: int, sender: str) -> bool:
    """Say whether `sender` typed in the chat within the last few seconds."""
    return cache.get(f"chat:typing:{chat_id}:{sender}") is not None
