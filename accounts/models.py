"""Customer accounts and everything the server holds for them.

Vault data (`VaultItem`) and licence data (`License`, `LicenseChange`) live in separate
tables so that a reset can delete the first in bulk without touching the second.
"""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyEvent

from .ids import account_id_new


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in: a customer (with an `Account`) or a support staff member."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("e-mail address", unique=True)
    # The Argon2id salt and costs the device derives the auth key with (accounts/kdf.py);
    # `password` holds a hash of the auth key, never of the Account Password.
    kdf_salt = models.CharField(max_length=22, blank=True)
    kdf_iterations = models.PositiveIntegerField(default=0)
    kdf_memory_kib = models.PositiveIntegerField(default=0)
    kdf_parallelism = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.email


class Account(models.Model):
    """The customer's account: survives resets, owns licence, devices, keys and vault."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="account")
    account_id = models.CharField(max_length=10, unique=True, default=account_id_new, editable=False)
    password_hint = models.CharField(max_length=200, blank=True)
    key_generation = models.PositiveIntegerField(default=1)
    vault_revision = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who closed it: the customer themselves (their own user) or a supervisor.
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return self.account_id

    @property
    def closed_by_customer(self) -> bool:
        return self.closed_at is not None and self.closed_by_id == self.user_id


class License(models.Model):
    """What the customer paid for. Nothing in vault or reset code writes here."""

    class Plan(models.TextChoices):
        FREE = "free", "Free"
        PREMIUM = "premium", "Premium"
        FAMILY = "family", "Family"
        BUSINESS = "business", "Business"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TRIAL = "trial", "Trial"
        PAST_DUE = "past_due", "Payment overdue"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="license")
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.FREE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    seats = models.PositiveIntegerField(default=1)
    starts_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.get_plan_display()} ({self.get_status_display()})"


class LicenseChange(models.Model):
    """One row per licence change: the history support reads."""

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="history")
    plan = models.CharField(max_length=20, choices=License.Plan.choices)
    status = models.CharField(max_length=20, choices=License.Status.choices)
    seats = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["license", "-changed_at"])]

    def __str__(self):
        return f"{self.plan}/{self.status} at {self.changed_at:%Y-%m-%d}"


PLATFORM_NAMES = {
    "ios": "iPhone or iPad",
    "ipados": "iPad",
    "android": "Android",
    "macos": "Mac",
    "windows": "Windows",
    "linux": "Linux",
    "chromeos": "Chromebook",
    "web": "Web browser",
    "browser": "Browser extension",
    "cli": "Command line",
}


class Device(models.Model):
    """An app install. Its API token is stored only as a SHA-256 hash."""

    class RevokedReason(models.TextChoices):
        SIGNED_OUT = "signed_out", "Signed out"
        ACCOUNT_RESET = "account_reset", "Account was reset"
        PASSWORD_CHANGED = "password_changed", "Password was changed"
        SUPPORT = "support", "Signed out by support"
        EMAIL_CHANGE_UNDONE = "email_undone", "E-mail change undone"
        SIGNED_OUT_EVERYWHERE = "everywhere", "Signed out of every device"
        ACCOUNT_CLOSED = "account_closed", "Account was closed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="devices")
    device_uid = models.CharField(max_length=100)
    name = models.CharField(max_length=100)
    platform = models.CharField(max_length=40)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    authorized_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=20, choices=RevokedReason.choices, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "device_uid"]),
            models.Index(fields=["account", "-last_seen_at"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.platform})"

    @property
    def platform_name(self) -> str:
        """The platform as people call it ("iPhone or iPad", not "ios")."""
        return PLATFORM_NAMES.get(self.platform.lower(), self.platform)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.authorized_at is not None


class AccountKeyVerifier(models.Model):
    """The Ed25519 public key that proves knowledge of the account key of a generation."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="verifiers")
    generation = models.PositiveIntegerField()
    public_key = models.BinaryField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    obsoleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "generation"])]

    def __str__(self):
        return f"verifier g{self.generation}"


class VaultItem(models.Model):
    """An encrypted vault item, or its tombstone (`deleted`) kept as a sync record."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="vault_items")
    item_id = models.UUIDField()
    ciphertext = models.BinaryField()
    nonce = models.BinaryField(max_length=24)
    generation = models.PositiveIntegerField()
    revision = models.PositiveBigIntegerField()
    deleted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "item_id"], name="vault_item_unique_per_account")
        ]
        indexes = [models.Index(fields=["account", "revision"])]

    def __str__(self):
        return f"item {self.item_id} r{self.revision}"


class SecurityEvent(AppendOnlyEvent):
    """An append-only audit record about an account."""

    class Type(models.TextChoices):
        SIGNED_UP = "signed_up", "Account created"
        SIGNED_IN = "signed_in", "Signed in on the web"
        SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
        SIGNED_OUT = "signed_out", "Signed out"
        EMAIL_VERIFIED = "email_verified", "E-mail address verified"
        EMAIL_CHANGE_REQUESTED = "email_change_requested", "E-mail address change requested"
        EMAIL_CHANGED = "email_changed", "E-mail address changed"
        EMAIL_CHANGE_UNDONE = "email_change_undone", "E-mail address change undone"
        DEVICE_ADDED = "device_added", "Device signed in"
        DEVICE_AUTHORIZED = "device_authorized", "Device verified"
        DEVICE_REVOKED = "device_revoked", "Device signed out"
        ACCOUNT_KEY_CREATED = "account_key_created", "Account key created"
        QR_SENT = "qr_sent", "Account key QR code e-mailed"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        HINT_SENT = "hint_sent", "Password hint e-mailed"
        RESET_REQUESTED = "reset_requested", "Account reset requested"
        RESET_CANCELLED = "reset_cancelled", "Account reset cancelled"
        RESET_COMPLETED = "reset_completed", "Account reset completed"
        BACKUP_DOWNLOADED = "backup_downloaded", "Encrypted backup downloaded"
        SESSIONS_ENDED = "sessions_ended", "All sessions signed out"
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out of every device"
        HINT_CHANGED = "hint_changed", "Password hint changed"
        LICENSE_CHANGED = "license_changed", "Licence changed"
        ACCOUNT_CLOSED = "account_closed", "Account closed"
        SUPPORT_ACTION = "support_action", "Support action"
        SECOND_FACTOR_ADDED = "second_factor_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "second_factor_removed", "Second factor removed"
        RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "Recovery codes regenerated"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second-factor code"
        RESET_COOLING_OFF_STARTED = (
            "reset_cooling_off_started",
            "Cooling-off reset started (second factor lost)",
        )
        SUPPORT_PROOF = "support_proof", "Vault support checked it was you"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="security_events")
    type = models.CharField(max_length=40, choices=Type.choices)
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self):
        return f"{self.type} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> str:
        """What the customer reads for this event: who acted, and the ticket when support did."""
        details = self.details or {}
        if self.type == self.Type.SUPPORT_PROOF and details.get("result") in _SUPPORT_PROOF_TEXT:
            return f"{settings.PRODUCT_NAME} support {_SUPPORT_PROOF_TEXT[details['result']]}"
        action = details.get("action") if self.type == self.Type.SUPPORT_ACTION else None
        by_support = action is not None or bool(details.get("by_support"))
        if not by_support:
            return self.get_type_display()
        what = _SUPPORT_ACTION_TEXT.get(action or self.type, "acted on your account")
        ticket = details.get("ticket")
        return f"{settings.PRODUCT_NAME} support {what}" + (f" (ticket {ticket})" if ticket else "")


# An owner proof (issue 19) by its result, as the customer reads it after "Vault support ...".
_SUPPORT_PROOF_TEXT = {
    "approved": "checked it was you",
    "refused": "asked to check it was you: you refused",
    "failed": "asked to check it was you: not confirmed (too many wrong answers)",
}

# What support did, as the customer reads it after "Vault support ..." (SecurityEvent.summary).
_SUPPORT_ACTION_TEXT = {
    "reset_email_resent": "sent your reset e-mail",
    "reset_started": "sent your reset e-mail",
    SecurityEvent.Type.RESET_REQUESTED: "asked for a reset of your account",
    "sessions_ended": "signed you out of the web portal",
    "license_changed": "changed your licence",
    "account_closed": "closed your account",
}


class EmailChange(models.Model):
    """A change of the account's one e-mail address: asked, confirmed from the new address,
    and undoable from the old one for `EMAIL_CHANGE_UNDO_DAYS`.

    Link tokens are HMACs of purpose, account and nonce (`accounts.email_change`); only
    their SHA-256 is stored, and the e-mails are built at send time.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for the new address to confirm"
        CONFIRMED = "confirmed", "Changed"
        SUPERSEDED = "superseded", "Replaced by a newer request"
        UNDONE = "undone", "Undone from the old address"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="email_changes")
    old_email = models.EmailField()
    new_email = models.EmailField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    nonce = models.CharField(max_length=64)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    undo_token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    undo_until = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"e-mail change of {self.account_id} ({self.state})"
