"""Second factors (allauth.mfa): what is enrolled, and the record of every change.

Reads for the account page, the reset link, the staff guard and the console: they name the
kinds of factor and when they were added, never a secret (the TOTP seed, a credential, a
recovery code). The writes are allauth's own views; `second_factor_change_record` is called
from its signals (accounts/signals.py) and writes the security event and the owner's e-mail.
"""

from allauth.mfa.models import Authenticator
from django.db import transaction

from core.origin import Origin
from mailer.services import email_queue

from .models import Account, SecurityEvent
from .services import security_event_record

EMAIL_SECOND_FACTOR_CHANGED = "accounts.second_factor_changed"

# Kinds that prove possession; recovery codes only stand in for them.
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

FACTOR_LABELS = {
    Authenticator.Type.TOTP: "Authenticator app",
    Authenticator.Type.WEBAUTHN: "Passkey",
    Authenticator.Type.RECOVERY_CODES: "Recovery codes",
}

ADDED, REMOVED, REGENERATED = "added", "removed", "regenerated"
_EVENT_OF_ACTION = {
    ADDED: SecurityEvent.Type.SECOND_FACTOR_ADDED,
    REMOVED: SecurityEvent.Type.SECOND_FACTOR_REMOVED,
    REGENERATED: SecurityEvent.Type.RECOVERY_CODES_REGENERATED,
}


def second_factor_enrolled(user) -> bool:
    """True when `user` has an authenticator app or a passkey (recovery codes alone do not count)."""
    if user is None or not getattr(user, "pk", None):
        return False
    return Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()


def second_factor_summary(user) -> list[dict]:
    """The enrolled kinds, without secrets: [{"type", "label", "count", "added_at"}]."""
    if user is None or not getattr(user, "pk", None):
        return []
    rows = Authenticator.objects.filter(user=user).order_by("created_at").only("type", "created_at")
    summary: dict[str, dict] = {}
    for row in rows:
        item = summary.setdefault(
            row.type,
            {
                "type": row.type,
                "label": FACTOR_LABELS.get(row.type, row.type),
                "count": 0,
                "added_at": row.created_at,
            },
        )
        item["count"] += 1
    return list(summary.values())


def _factor_label(authenticator: Authenticator) -> str:
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        name = (authenticator.data or {}).get("name") or ""
        return f"Passkey {name}".strip()
    return FACTOR_LABELS.get(authenticator.type, authenticator.type)


@transaction.atomic
def second_factor_change_record(
    *, user, authenticator: Authenticator, action: str, origin: Origin | None = None
) -> None:
    """A factor was added, removed or its recovery codes regenerated: history and an e-mail.

    The details name the kind (and a passkey's own name), never its secret.
    """
    account = Account.objects.filter(user=user).first()
    label = _factor_label(authenticator)
    if account is not None:
        security_event_record(
            account=account,
            type=_EVENT_OF_ACTION[action],
            origin=origin,
            details={"factor": authenticator.type, "label": label},
        )
    if user.email:
        email_queue(
            to=user.email,
            kind=EMAIL_SECOND_FACTOR_CHANGED,
            account=account,
            context={"action": action, "label": label, "factor": authenticator.type},
        )


def second_factor_failure_record(*, user, origin: Origin | None = None) -> None:
    """A wrong code was entered (sign-in step, re-authentication, reset link): history only."""
    account = Account.objects.filter(user=user).first()
    if account is not None:
        security_event_record(account=account, type=SecurityEvent.Type.SECOND_FACTOR_FAILED, origin=origin)
