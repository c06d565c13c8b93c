"""Live chats, their messages and the audit trail of what agents did in them.

A chat is part of the customer's support history: it keeps a link to the account whose
e-mail it was opened with, and its messages are never edited or deleted by the app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyEvent


class Chat(models.Model):
    """One conversation between a customer and (at most) one agent."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for an agent"
        ACTIVE = "active", "With an agent"
        CLOSED = "closed", "Closed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chats_taken",
    )
    created_at = models.DateTimeField(default=timezone.now)
    picked_up_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The support ticket the chat was turned into, if any.
    ticket = models.ForeignKey(
        "support.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="chats"
    )
    converted_at = models.DateTimeField(null=True, blank=True)
    transcript_emailed_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"chat {self.public_id} ({self.status})"


class ChatMessage(models.Model):
    """One line of a chat, stored as plain text."""

    class Sender(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        AGENT = "agent", "Agent"
        SYSTEM = "system", "System"

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    # The customer sent it after being warned that it looked like a password.
    flagged_secret = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.sender}: {self.body[:40]}"


class ChatEvent(AppendOnlyEvent):
    """An append-only audit record of an agent's (or the customer's) action on a chat."""

    class Action(models.TextChoices):
        STARTED = "started", "Chat started"
        PICKED_UP = "picked_up", "Picked up"
        VIEWED = "viewed", "Transcript viewed"
        CONVERTED = "converted", "Turned into a ticket"
        CLOSED = "closed", "Closed"
        TRANSCRIPT_EMAILED = "transcript_emailed", "Transcript e-mailed"
        SECRET_FLAGGED = "secret_flagged", "Customer sent text that looked like a password"
        RESET_EMAIL_SENT = "reset_email_sent", "Reset e-mail sent to the account's address"

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} on chat {self.chat_id}"
