"""Small helpers shared by the customer and agent JSON endpoints."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse

from core import errors as core_errors
from core.hidden_characters import HiddenCharactersValidator
from core.jsonparse import json_loads
from core.origin import Origin

from . import services
from .forms import ChatMessageForm
from .models import Chat, ChatMessage
from .services import ChatError


def json_body(request) -> dict:
    """Parse a small JSON object body, or raise ChatError; an oversized body is never read."""
    too_large = ChatError("too_large", "That message is too large to send.")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.CHAT_FRAME_MAX_BYTES:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig:
        raise too_large
    if len(body) > settings.CHAT_FRAME_MAX_BYTES:
        raise too_large
    try:
        data = json_loads(body or b"{}")
    except ValueError:
        raise ChatError("bad_request", "That request could not be read.")
    if not isinstance(data, dict):
        raise ChatError("bad_request", "That request could not be read.")
    return data


def error_response(error: ChatError, *, status: int = 400, **extra) -> JsonResponse:
    """Answer a refused chat action in the portal's one JSON error shape (core.errors)."""
    return core_errors.error_response(error.code, error.message, status=status, **extra)


def form_error(form) -> ChatError:
    """Turn the first form error into a ChatError written for the customer."""
    if form.has_error("body", "max_length"):
        return ChatError(
            "too_long", f"Messages can be at most {settings.CHAT_MESSAGE_MAX_CHARS} characters long."
        )
    if form.has_error("body"):
        return ChatError("empty", "Type a message first.")
    if form.has_error("name", HiddenCharactersValidator.code):
        return ChatError("name_invalid", form.errors["name"][0])
    if form.has_error("name"):
        return ChatError("name_required", "Please tell us your name (at most 100 characters).")
    if form.has_error("email"):
        return ChatError("email_invalid", "Please enter a valid e-mail address.")
    return ChatError("bad_request", "That request could not be read.")


def message_post(request, *, chat: Chat, sender: str, author=None) -> ChatMessage:
    """Read a message from the JSON body and post it to the chat; raise ChatError if refused.

    `confirmed` (the customer's "send it anyway" after the password warning) only counts for
    customer messages; the service ignores it for an agent.
    """
    form = ChatMessageForm(json_body(request))
    if not form.is_valid():
        raise form_error(form)
    return services.chat_message_post(
        chat=chat,
        sender=sender,
        author=author,
        body=form.cleaned_data["body"],
        confirmed=form.cleaned_data["confirmed"],
        origin=Origin.from_request(request),
    )


def after_id(request) -> int:
    try:
        return max(0, int(request.GET.get("after", 0)))
    except ValueError:
        return 0


RATE_LIMITED = ChatError("rate_limited", "You are sending messages too quickly. Please wait a moment.")
