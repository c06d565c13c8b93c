"""Show the chat launcher on the help and reset pages only; count waiting chats for the console menu."""

from django.conf import settings

from support.permissions import can_use_console

from .presence import agents_online
from .selectors import CHAT_SESSION_KEY, chat_queue, ticket_form_url

LAUNCHER_PREFIXES = ("/help", "/reset")
CONSOLE_PREFIX = "/support/"


# Pages that are about tickets already: the launcher does not offer "open a ticket instead".
TICKET_PAGE_PREFIXES = ("/help/contact/", "/help/tickets/", "/help/requests/")


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
        "CHAT_ON_TICKET_PAGE": request.path.startswith(TICKET_PAGE_PREFIXES),
        "CHAT_OPENING_HOURS": settings.CHAT_OPENING_HOURS,
        "CHAT_WEBSOCKET_BASE": settings.CHAT_WEBSOCKET_BASE,
        "CHAT_POLL_SECONDS": settings.CHAT_POLL_INTERVAL_SECONDS,
        "CHAT_MAX_CHARS": settings.CHAT_MESSAGE_MAX_CHARS,
    }


def chat_console_menu(request):
    """On console pages: the number of chats waiting, shown beside "Live chat" in the menu."""
    if not request.path.startswith(CONSOLE_PREFIX) or not can_use_console(getattr(request, "user", None)):
        return {}
    return {"CHAT_WAITING": chat_queue().count()}
