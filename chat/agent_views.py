"""The agent side of the chat, under /support/chat/: the console page and its JSON endpoints.

Everyone but support staff gets a 404, whatever the method, so nothing hints that it exists.
"""

from django.conf import settings
from django.contrib import messages as django_messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.origin import Origin
from core.ratelimit import rate_limit_hit
from proofs import selectors as proof_selectors
from proofs import services as proof_services
from proofs.models import OwnerProof
from support.permissions import support_staff_required

from . import presence, selectors, services
from .forms import AvailabilityForm, ChatResetEmailForm
from .http import RATE_LIMITED, after_id, error_response, form_error, json_body, message_post
from .models import Chat, ChatMessage
from .payloads import chat_payload_for_agent, message_payload
from .services import ChatError


def _chat_or_404(public_id) -> Chat:
    chat = selectors.chat_get(public_id=public_id)
    if chat is None:
        raise Http404
    return chat


@support_staff_required
@require_GET
def console(request):
    """The live chat console: queue, and the agent's open chats side by side."""
    presence.agent_presence_beat(agent_id=request.user.pk)
    return render(
        request,
        "chat/console.html",
        {
            "available": presence.agent_is_available(agent_id=request.user.pk),
            "opening_hours": settings.CHAT_OPENING_HOURS,
            "canned_answers": settings.CHAT_CANNED_ANSWERS,
            "ws_base": settings.CHAT_WEBSOCKET_BASE,
            "poll_seconds": settings.CHAT_POLL_INTERVAL_SECONDS,
            "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
        },
    )


@support_staff_required
@require_GET
def queue(request):
    """The longest-waiting chats (CHAT_QUEUE_SHOWN of them), how many wait, and the agent's own chats."""
    waiting = selectors.chat_queue()
    return JsonResponse(
        {
            "available": presence.agent_is_available(agent_id=request.user.pk),
            "queue": [
                chat_payload_for_agent(c, agent=request.user) for c in waiting[: settings.CHAT_QUEUE_SHOWN]
            ],
            "waiting": waiting.count(),
            "mine": [
                chat_payload_for_agent(c, agent=request.user)
                for c in selectors.chats_of_agent(agent=request.user)
            ],
        }
    )


@support_staff_required
@require_POST
def availability(request):
    """Switch the agent's "available for chat" on or off: {"available": true|false}."""
    try:
        form = AvailabilityForm(json_body(request))
        if not form.is_valid():
            raise form_error(form)
    except ChatError as error:
        return error_response(error)
    presence.agent_available_set(agent_id=request.user.pk, available=form.cleaned_data["available"])
    presence.agent_presence_beat(agent_id=request.user.pk)
    return JsonResponse(
        {
            "available": presence.agent_is_available(agent_id=request.user.pk),
            "agents_online": presence.agents_online(),
        }
    )


@support_staff_required
@require_POST
def heartbeat(request):
    presence.agent_presence_beat(agent_id=request.user.pk)
    return HttpResponse(status=204)


def _transcript_page(request, chat: Chat, *, reset_form=None, status: int = 200):
    return render(
        request,
        "chat/transcript.html",
        {
            "chat": chat,
            "chat_messages": [message_payload(m) for m in chat.messages.order_by("id")],
            "account_url": selectors.account_console_url(chat.account) if chat.account_id else None,
            "lookup_url": selectors.account_lookup_url(chat.email),
            "signed_in": selectors.chat_identity_verified(chat),
            "reset_form": reset_form or ChatResetEmailForm(),
            "reset_needs_proof": "reset_email" in proof_selectors.proof_required_actions(),
        },
        status=status,
    )


@support_staff_required
@require_GET
def transcript(request, public_id):
    """A chat's full transcript (support history), with a link to the account; audited."""
    chat = _chat_or_404(public_id)
    services.chat_viewed_record(chat=chat, agent=request.user, origin=Origin.from_request(request))
    return _transcript_page(request, chat)


@support_staff_required
@require_POST
def reset_email(request, public_id):
    """Re-send the reset e-mail of the chat's account (owner proof in this chat first, when required)."""
    chat = _chat_or_404(public_id)
    form = ChatResetEmailForm(request.POST)
    if not form.is_valid():
        return _transcript_page(request, chat, reset_form=form, status=400)
    try:
        services.chat_reset_email_send(
            chat=chat,
            agent=request.user,
            reason=form.cleaned_data["reason"],
            origin=Origin.from_request(request),
        )
    except ChatError as error:
        if chat.account_id is None:  # no form on the page to show the refusal in
            django_messages.error(request, error.message)
            return redirect("chat_agent:transcript", public_id=chat.public_id)
        form.add_error(None, error.message)
        return _transcript_page(request, chat, reset_form=form, status=403)
    django_messages.success(request, f"The reset e-mail is on its way to {chat.account.user.email}.")
    return redirect("chat_agent:transcript", public_id=chat.public_id)


@support_staff_required
@require_http_methods(["GET", "POST"])
def messages(request, public_id):
    """GET: the chat, its messages after `after` and whether the customer types. POST: reply."""
    chat = _chat_or_404(public_id)
    if request.method == "GET":
        return JsonResponse(
            {
                "chat": chat_payload_for_agent(chat, agent=request.user),
                "messages": [
                    message_payload(m) for m in selectors.chat_messages(chat=chat, after_id=after_id(request))
                ],
                "customer_typing": presence.typing_is_on(chat_id=chat.pk, sender=ChatMessage.Sender.CUSTOMER),
            }
        )
    if rate_limit_hit(scope="agent", key=str(request.user.pk), rate=settings.CHAT_RATE_MESSAGES):
        return error_response(RATE_LIMITED, status=429)
    try:
        message = message_post(request, chat=chat, sender=ChatMessage.Sender.AGENT, author=request.user)
    except ChatError as error:
        return error_response(error, status=403 if error.code == "not_yours" else 400)
    return JsonResponse({"message": message_payload(message)}, status=201)


@support_staff_required
@require_POST
def pick_up(request, public_id):
    """Take a waiting chat; 409 when another agent was quicker."""
    chat = _chat_or_404(public_id)
    won = services.chat_pick_up(chat=chat, agent=request.user, origin=Origin.from_request(request))
    if won is None:
        return error_response(ChatError("taken", "Another agent already picked up this chat."), status=409)
    return JsonResponse(
        {
            "chat": chat_payload_for_agent(won, agent=request.user),
            "messages": [message_payload(m) for m in selectors.chat_messages(chat=won)],
        }
    )


@support_staff_required
@require_POST
def typing(request, public_id):
    chat = _chat_or_404(public_id)
    if chat.agent_id == request.user.pk:
        services.chat_typing(chat=chat, sender=ChatMessage.Sender.AGENT)
    return JsonResponse({}, status=202)


@support_staff_required
@require_POST
def close(request, public_id):
    chat = _chat_or_404(public_id)
    try:
        chat = services.chat_close(chat=chat, actor=request.user, origin=Origin.from_request(request))
    except ChatError as error:
        return error_response(error, status=403)
    return JsonResponse({"chat": chat_payload_for_agent(chat, agent=request.user)})


@support_staff_required
@require_POST
def ticket(request, public_id):
    """Turn the chat into a support ticket that keeps the transcript."""
    chat = _chat_or_404(public_id)
    try:
        created = services.chat_ticket_create(
            chat=chat, agent=request.user, origin=Origin.from_request(request)
        )
    except ChatError as error:
        return error_response(error, status=409 if error.code == "already_converted" else 403)
    converted = chat_payload_for_agent(_chat_or_404(public_id), agent=request.user)
    return JsonResponse({"ticket_id": created.pk, "chat": converted}, status=201)


@support_staff_required
@require_POST
def owner_proof(request, public_id):
    """Ask the chat's customer to prove it is them (the server picks the method); back to the transcript."""
    chat = _chat_or_404(public_id)
    if chat.account_id is None:
        django_messages.error(request, "This chat is not linked to an account: there is no owner to ask.")
    else:
        try:
            proof_services.proof_request(
                account=chat.account,
                agent=request.user,
                conversation_kind=OwnerProof.Conversation.CHAT,
                conversation_ref=str(chat.public_id),
                origin=Origin.from_request(request),
            )
        except proof_services.ProofError as exc:
            django_messages.error(request, exc.detail)
    return redirect("chat_agent:transcript", public_id=chat.public_id)
