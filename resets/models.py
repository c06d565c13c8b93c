"""Account reset requests and their audit trail (every state change is a row)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyEvent


class ResetRequest(models.Model):
    """One request to reset an account, from "requested" to a final state.

    `credential_stamp` fingerprints the password hash and key generation at request time:
    a password change or a completed reset changes it, and the link dies.

    Link tokens are never stored: the worker derives them from `nonce` with a key held
    only by the application (see `resets.tokens`), and only their SHA-256 hashes are kept.
    """

    class State(models.TextChoices):
        REQUESTED = "requested", "Requested"
        EMAILED = "emailed", "E-mailed"
        OPENED = "opened", "Link opened"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Superseded by a newer request"

    PENDING_STATES = (State.REQUESTED, State.EMAILED, State.OPENED)

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="reset_requests")
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    nonce = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    credential_stamp = models.CharField(max_length=64, blank=True)
    backup_downloaded_at = models.DateTimeField(null=True, blank=True)
    # Cooling-off reset (issue 15): the owner lost the second factor too. Until this moment the
    # link asks for the factor; after it, the link works without and the reset removes them.
    cooling_off_until = models.DateTimeField(null=True, blank=True)
    cooling_off_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["account", "state"]),
            models.Index(fields=["state", "expires_at"]),
        ]

    def __str__(self):
        return f"reset #{self.pk} ({self.state})"

    @property
    def cooling_off_running(self) -> bool:
        return self.cooling_off_until is not None and self.cooling_off_until > timezone.now()

    @property
    def cooling_off_over(self) -> bool:
        return self.cooling_off_until is not None and self.cooling_off_until <= timezone.now()

    @property
    def is_pending(self) -> bool:
        return self.state in self.PENDING_STATES and self.expires_at > timezone.now()


class ResetRequestEvent(AppendOnlyEvent):
    """One state change of a reset request, with who/where it came from: support reads these."""

    reset_request = models.ForeignKey(ResetRequest, on_delete=models.CASCADE, related_name="events")
    state = models.CharField(max_length=20, choices=ResetRequest.State.choices)
    user_agent = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["reset_request", "created_at"])]

    def __str__(self):
        return f"{self.state} at {self.created_at:%Y-%m-%d %H:%M}"
