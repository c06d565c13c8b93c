"""Every write to customer accounts outside the vault and reset flows."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from core.addresses import email_normalise
from core.origin import Origin
from core.ratelimit import rate_limit_hit
from mailer.models import OutboundEmail
from mailer.services import email_queue

from .ids import account_id_new
from .kdf import KdfParams, auth_key_clean
from .models import Account, Device, License, LicenseChange, SecurityEvent, User
from .passwords import HINT_MAX_LENGTH

ACCOUNT_CLOSED_KIND = "accounts.account_closed"

# Sent inside `account_close`'s transaction, so that apps above accounts (resets) can end what
# they hold for the account without accounts importing them. Receivers: resets.signals.
account_closed = Signal()

ACCOUNT_ID_ATTEMPTS = 5
KDF_FIELDS = ["password", "kdf_salt", "kdf_iterations", "kdf_memory_kib", "kdf_parallelism"]


@sensitive_variables("auth_key")
def credentials_set(*, user: User, auth_key: str, kdf: KdfParams) -> None:
    """Store the hash of the device's auth key and the parameters it was derived with.

    The one way credentials are set: sign-up, reset completion, change of password, seed_demo.
    `auth_key` is checked again (43 characters of base64url); `kdf` was parsed by
    `KdfParams.from_data`, which refuses parameters below the floor. Saves the user.
    """
    user.set_password(auth_key_clean(auth_key))
    user.kdf_salt = kdf.salt
    user.kdf_iterations = kdf.iterations
    user.kdf_memory_kib = kdf.memory_kib
    user.kdf_parallelism = kdf.parallelism
    if user.pk is None:
        user.save()
    else:
        user.save(update_fields=KDF_FIELDS)


def security_event_record(
    *,
    account: Account,
    type: str,
    origin: Origin | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Append an audit event to the account's history, with where the action came from."""
    return SecurityEvent.objects.create(
        account=account, type=type, details=details or {}, **SecurityEvent.origin_columns(origin)
    )


def license_history_record(
    *, license: License, changed_by: User | None = None, reason: str = ""
) -> LicenseChange:
    """Copy the licence's current state into its history."""
    return LicenseChange.objects.create(
        license=license,
        plan=license.plan,
        status=license.status,
        seats=license.seats,
        starts_at=license.starts_at,
        expires_at=license.expires_at,
        changed_by=changed_by,
        reason=reason,
    )


@transaction.atomic
def account_create(
    *,
    user: User,
    password_hint: str = "",
    plan: str = License.Plan.FREE,
    origin: Origin | None = None,
) -> Account:
    """Create the customer account of `user` with a free licence and its first history row."""
    for attempt in range(ACCOUNT_ID_ATTEMPTS):
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    user=user, password_hint=password_hint, account_id=account_id_new()
                )
            break
        except IntegrityError:
            if attempt == ACCOUNT_ID_ATTEMPTS - 1:
                raise
    license = License.objects.create(account=account, plan=plan)
    license_history_record(license=license, reason="Account created")
    security_event_record(account=account, type=SecurityEvent.Type.SIGNED_UP, origin=origin)
    return account


def taken_notice_prepare(email: OutboundEmail) -> bool:
    """In the worker, before the "someone tried to sign up with your address" notice is rendered.

    Every sign-up of a taken address (web and API) queues one, so that it commits and queues
    what a new address does; here it is sent only within SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS
    per address (anyone can trigger one, from any number of IPs), else cancelled. The decision
    is kept on the row: a retry of the same e-mail does not count again.
    """
    context = email.context or {}
    if "within_limit" not in context:
        within = not rate_limit_hit(
            scope="signup-taken-notice",
            key=email_normalise(email.to),
            rate=settings.SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS,
        )
        email.context = context = {**context, "within_limit": within}
        email.save(update_fields=["context", "updated_at"])
    return bool(context["within_limit"])


def device_revoke(
    *, device: Device, reason: str, origin: Origin | None = None, details: dict | None = None
) -> bool:
    """Sign a device out now: its token stops working at once. Return False if it already was."""
    updated = Device.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if updated:
        security_event_record(
            account=device.account,
            type=SecurityEvent.Type.DEVICE_REVOKED,
            origin=origin,
            details={"device": device.name, "reason": reason, **(details or {})},
        )
    return bool(updated)


def devices_revoke_all(*, account: Account, reason: str, keep: Device | None = None) -> int:
    """Sign out every device of the account (but `keep`) in one UPDATE; return how many.

    The caller writes the audit event that explains why (reset, password change, closure).
    """
    devices = Device.objects.filter(account_id=account.pk, revoked_at__isnull=True)
    if keep is not None:
        devices = devices.exclude(pk=keep.pk)
    return devices.update(revoked_at=timezone.now(), revoked_reason=reason)


def devices_mark_reset(*, account: Account) -> int:
    """After a reset: every device of the account, those signed out earlier included, is told
    "account was reset" from now on, so each app erases its local copy of the old vault. Devices
    still signed in are signed out; when the others were signed out is kept."""
    signed_in = devices_revoke_all(account=account, reason=Device.RevokedReason.ACCOUNT_RESET)
    Device.objects.filter(account_id=account.pk).exclude(
        revoked_reason=Device.RevokedReason.ACCOUNT_RESET
    ).update(revoked_reason=Device.RevokedReason.ACCOUNT_RESET)
    return signed_in


def user_sessions_end(*, user: User, keep_session_key: str | None = None) -> int:
    """End every web session of `user` (allauth's user sessions) but the one whose key is
    `keep_session_key` (the browser asking); return how many ended."""
    from allauth.usersessions.models import UserSession

    sessions = [s for s in UserSession.objects.filter(user=user) if s.session_key != keep_session_key]
    for session in sessions:
        session.end()
    return len(sessions)


@transaction.atomic
def devices_sign_out_all(
    *, account: Account, keep_session_key: str | None = None, origin: Origin | None = None
) -> dict:
    """Sign out every app and every other web session of the account, at once, with one audit event.

    The web session whose key is `keep_session_key` (the one asking) stays signed in.
    Return how many devices and sessions were signed out.
    """
    devices = devices_revoke_all(account=account, reason=Device.RevokedReason.SIGNED_OUT_EVERYWHERE)
    sessions = user_sessions_end(user=account.user, keep_session_key=keep_session_key)
    counts = {"devices": devices, "sessions": sessions}
    security_event_record(
        account=account, type=SecurityEvent.Type.SIGNED_OUT_EVERYWHERE, origin=origin, details=counts
    )
    return counts


@transaction.atomic
def password_hint_change(*, account: Account, hint: str, origin: Origin | None = None) -> None:
    """Store a new password hint (checked against the password on the device; never e-mailed here)."""
    account.password_hint = hint.strip()[:HINT_MAX_LENGTH]
    account.save(update_fields=["password_hint"])
    security_event_record(
        account=account,
        type=SecurityEvent.Type.HINT_CHANGED,
        origin=origin,
        details={"hint_set": bool(account.password_hint)},
    )


@transaction.atomic
def account_close(
    *, account: Account, closed_by: User, reason: str = "", origin: Origin | None = None
) -> dict | None:
    """Close the account: nobody can sign in, sessions end, devices are signed out, a receipt is e-mailed.

    The one way an account is closed, by its owner (`closed_by` is the account's own user) or by a
    supervisor from the console (which writes its own audit row too). Nothing is deleted: the
    account, its licence and history stay for support and billing. Return what was ended, or
    None when the account was already closed.
    """
    account = Account.objects.select_for_update().select_related("user").get(pk=account.pk)
    if account.closed_at is not None:
        return None
    by_customer = closed_by.pk == account.user_id
    account.closed_at = timezone.now()
    account.closed_by = closed_by
    account.save(update_fields=["closed_at", "closed_by"])
    User.objects.filter(pk=account.user_id).update(is_active=False)
    sessions = user_sessions_end(user=account.user)
    devices = devices_revoke_all(
        account=account,
        reason=Device.RevokedReason.ACCOUNT_CLOSED if by_customer else Device.RevokedReason.SUPPORT,
    )
    responses = account_closed.send(
        sender=Account, account=account, actor=None if by_customer else closed_by, origin=origin
    )
    resets_cancelled = sum(result or 0 for _, result in responses)
    ended = {"sessions": sessions, "devices": devices, "resets_cancelled": resets_cancelled}
    security_event_record(
        account=account,
        type=SecurityEvent.Type.ACCOUNT_CLOSED,
        origin=origin,
        details={
            "by": "customer" if by_customer else "support",
            **({} if by_customer else {"by_support": closed_by.email}),
            "reason": reason,
            **ended,
        },
    )
    email_queue(
        to=account.user.email, kind=ACCOUNT_CLOSED_KIND, account=account, context={"account_id": account.pk}
    )
    return ended
