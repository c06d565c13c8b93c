"""Owner proofs: support asks the customer to prove it is them, without a single secret (issue 19).

A proof is bound to the account, the agent who asked and one conversation (a chat, a ticket or
the account page). The method is chosen by the server (`services.proof_method_choose`), never
by the agent. Nothing stored here lets anyone approve: the short code is a comparison code shown
to both sides while the request is pending (erased once it is decided); an e-mailed code is kept
only as an HMAC.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Account, Device
from core.models import AppendOnlyEvent


class OwnerProof(models.Model):
    class Method(models.TextChoices):
        APP = "app", "the app"
        SECOND_FACTOR = "second_factor", "a passkey or authenticator code"
        EMAIL = "email", "a code e-mailed to the account's address"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the customer"
        APPROVED = "approved", "Owner proven"
        REFUSED = "refused", "Proof refused"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Failed (too many wrong answers)"

    class Conversation(models.TextChoices):
        CHAT = "chat", "chat"
        TICKET = "ticket", "ticket"
        ACCOUNT = "account", "account page"

    # Strongest first; an agent can never ask for a weaker one than the server chose.
    STRENGTH = {Method.APP: "strong", Method.SECOND_FACTOR: "strong", Method.EMAIL: "weak"}

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="owner_proofs")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    conversation_kind = models.CharField(max_length=10, choices=Conversation.choices)
    conversation_ref = models.CharField(max_length=64)
    method = models.CharField(max_length=20, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    short_code = models.CharField(max_length=12, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    device = models.ForeignKey(Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    device_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["conversation_kind", "conversation_ref", "-created_at"]),
            models.Index(fields=["account", "status"]),
        ]

    def __str__(self):
        return f"{self.get_method_display()} proof for {self.account_id}: {self.status}"

    @property
    def strength(self) -> str:
        return self.STRENGTH[self.method]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class OwnerProofEvent(AppendOnlyEvent):
    """The proof trail: one row per state change (support reads it; the customer sees a SecurityEvent)."""

    class Action(models.TextChoices):
        REQUESTED = "requested", "Requested"
        CODE_SENT = "code_sent", "Code e-mailed"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        EXPIRED = "expired", "Expired"
        WRONG_ANSWER = "wrong_answer", "Wrong answer"
        FAILED = "failed", "Failed"

    proof = models.ForeignKey(OwnerProof, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"
