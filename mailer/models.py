"""The outbox: one row per e-mail, written in the same transaction as the change it reports."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboundEmail(models.Model):
    """An e-mail to send, and what happened to it.

    Either the rendered bodies are stored (`subject`/`text_body`/`html_body`), and blanked
    once sent, or a registered renderer for `kind` builds the message at send time from
    `context` (ids only), so that secrets such as link tokens are never stored.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not sent (no longer needed)"

    kind = models.CharField(max_length=60)
    to = models.EmailField()
    account = models.ForeignKey(
        "accounts.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="emails",
    )
    subject = models.CharField(max_length=300, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["account", "-created_at"]),
            models.Index(fields=["message_id"]),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to} ({self.status})"
