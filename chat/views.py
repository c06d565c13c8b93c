"""The customer's chat endpoints (JSON): the panel uses them to start a chat, and to keep
working by polling when its WebSocket cannot connect."""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.origin import Origin
from core.ratelimit import ip_rate_limit_hit, rate_limit_hit
from core.request_meta import client_ip

from . import presence, selectors, services
from .forms import ChatStartForm
from .http import RATE_LIMITED, after_id, error_response, form_error, json_body, message_post
from .models import Chat, ChatMessage
from .payloads import chat_payload_for_customer, message_payload
from .selectors import ticket_form_url
from .services import ChatError

NO_CHAT = ChatError("no_chat", "There is no chat open in this browser. Start one first.")


def _session_chat(request) -> Chat | None:
    public_id = request.session.get(selectors.CHAT_SESSION_KEY)
    return selectors.chat_get(public_id=public_id) if public_id else None


def _with_session_chat(view):
    """Pass this browser's chat to the view, or answer 404 `no_chat` when there is none."""

    @wraps(view)
    def wrapper(request):
        chat = _session_chat(request)
        if chat is None:
            return error_response(NO_CHAT, status=404)
        return view(request, chat)

    return wrapper


def _state(request, chat: Chat | None, *, after: int = 0) -> JsonResponse:
    return JsonResponse(
        {
            "online": presence.agents_online(),
            "opening_hours": settings.CHAT_OPENING_HOURS,
            "ticket_url": ticket_form_url(),
            "chat": chat_payload_for_customer(chat) if chat else None,
            "messages": [message_payload(m) for m in selectors.chat_messages(chat=chat, after_id=after)]
            if chat
            else [],
            "agent_typing": bool(chat)
            and presence.typing_is_on(chat_id=chat.pk, sender=ChatMessage.Sender.AGENT),
        }
    )


def _message_limited(request) -> bool:
    if not request.session.session_key:
        request.session.save()
    return rate_limit_hit(
        scope="session", key=request.session.session_key, rate=settings.CHAT_RATE_MESSAGES
    ) or ip_rate_limit_hit(scope="ip", ip=client_ip(request), rate=settings.CHAT_RATE_MESSAGES_PER_IP)


@never_cache  # the transcript, often to a signed-out session that the signed-in no-store rule misses
@require_GET
def state(request):
    """Return whether agents are online, and this browser's chat with messages after `after`."""
    return _state(request, _session_chat(request), after=after_id(request))


@require_POST
def start(request):
    """Open a chat (or return the one still open in this browser session)."""
    chat = _session_chat(request)
    if chat is not None and chat.status != Chat.Status.CLOSED:
        return _state(request, chat)
    try:
        form = ChatStartForm(json_body(request))
        if not form.is_valid():
            raise form_error(form)
        if not presence.agents_online():
            return error_response(
                ChatError(
                    "no_agents",
                    f"No agent is online right now. Live chat is open {settings.CHAT_OPENING_HOURS}. "
                    "Please open a ticket instead.",
                ),
                status=409,
                ticket_url=ticket_form_url(),
            )
        ip = client_ip(request)
        if ip_rate_limit_hit(scope="start", ip=ip, rate=settings.CHAT_RATE_STARTS_PER_IP):
            return error_response(
                ChatError("rate_limited", "Too many chats from here. Please try again later."), status=429
            )
        chat = services.chat_start(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            user=request.user,
            origin=Origin.from_request(request),
        )
    except ChatError as error:
        return error_response(error)
    request.session[selectors.CHAT_SESSION_KEY] = str(chat.public_id)
    return _state(request, chat)


@require_POST
@_with_session_chat
def send(request, chat: Chat):
    """Post the customer's message (refused with a warning if it looks like a password)."""
    if _message_limited(request):
        return error_response(RATE_LIMITED, status=429)
    try:
        message = message_post(request, chat=chat, sender=ChatMessage.Sender.CUSTOMER)
    except ChatError as error:
        return error_response(error)
    return JsonResponse({"message": message_payload(message)}, status=201)


@require_POST
@_with_session_chat
def typing(request, chat: Chat):
    services.chat_typing(chat=chat, sender=ChatMessage.Sender.CUSTOMER)
    return JsonResponse({}, status=202)


@require_POST
@_with_session_chat
def close(request, chat: Chat):
    """End this browser's chat."""
    chat = services.chat_close(chat=chat, by_customer=True, origin=Origin.from_request(request))
    return _state(request, chat)


@require_POST
@_with_session_chat
def transcript(request, chat: Chat):
    """E-mail the transcript of this browser's ended chat to the chat's address (once)."""
    ip = client_ip(request)
    if ip_rate_limit_hit(scope="transcript", ip=ip, rate=settings.CHAT_RATE_TRANSCRIPTS_PER_IP):
        return error_response(ChatError("rate_limited", "Please try again later."), status=429)
    try:
        services.chat_transcript_email(chat=chat, origin=Origin.from_request(request))
    except ChatError as error:
        return error_response(error, status=409)
    return JsonResponse({"sent_to": chat.email}, status=202)
