"""Second factors (allauth.mfa): what is enrolled, the record of every change, and checks.

Reads for the account page, the reset link, the staff guard and the console: they name the
kinds of factor and when they were added, never a secret (the TOTP seed, a credential, a
recovery code). The writes are allauth's own views; `second_factor_change_record` is called
from its signals (accounts/signals.py) and writes the security event and the owner's e-mail.

Pages outside allauth's sign-in that ask for a factor without signing anyone in (the reset
link, the owner-proof page) check it here, with allauth's own code: `passkey_challenge_begin`
and `passkey_check` (WebAuthn), `authenticator_code_check` (TOTP). Both count in allauth's
rate limit and record a wrong answer as a security event.
"""

from allauth.core import context
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from core.origin import Origin
from mailer.services import email_queue

from .models import Account, SecurityEvent
from .services import security_event_record, user_sessions_end

EMAIL_SECOND_FACTOR_CHANGED = "accounts.second_factor_changed"

# The kinds, as `second_factor_kinds` names them (so that pages need not import allauth's model).
PASSKEY = Authenticator.Type.WEBAUTHN
AUTHENTICATOR_APP = Authenticator.Type.TOTP
RECOVERY_CODES = Authenticator.Type.RECOVERY_CODES

# Kinds that prove possession; recovery codes only stand in for them.
FACTOR_TYPES = (AUTHENTICATOR_APP, PASSKEY)

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
    """The factor as the subject of a sentence ("… was added"): a passkey by its own name, once
    (its default name is already "Passkey 1")."""
    if authenticator.type == Authenticator.Type.WEBAUTHN:
        name = (authenticator.data or {}).get("name") or ""
        return f"The passkey “{name}”" if name else "A passkey"
    if authenticator.type == Authenticator.Type.TOTP:
        return "An authenticator app"
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


def second_factor_added_sessions_end(
    *, user, authenticator: Authenticator, keep_session_key: str | None
) -> int:
    """A factor that proves possession was added: every other web session of `user` ends.

    Those sessions were signed in without it (it did not exist yet): with the password alone one
    of them could otherwise add or remove factors (allauth's "confirm it is you" takes the
    password) and, for staff, open the console, which asks for an enrolled factor. The browser
    that added it (`keep_session_key`) stays signed in. Return how many sessions ended.
    """
    if authenticator.type not in FACTOR_TYPES:
        return 0
    return user_sessions_end(user=user, keep_session_key=keep_session_key)


def second_factor_failure_record(*, user, origin: Origin | None = None) -> None:
    """A wrong code was entered (sign-in step, re-authentication, reset link): history only."""
    account = Account.objects.filter(user=user).first()
    if account is not None:
        security_event_record(account=account, type=SecurityEvent.Type.SECOND_FACTOR_FAILED, origin=origin)


def second_factor_kinds(user) -> frozenset[str]:
    """The kinds `user` has enrolled (`Authenticator.Type` values): which checks a page can offer."""
    if user is None or not getattr(user, "pk", None):
        return frozenset()
    return frozenset(Authenticator.objects.filter(user=user).values_list("type", flat=True))


# --- Checking a factor on a page outside allauth's sign-in --------------------------------

# This session's open passkey challenges, by purpose ("reset:12", "proof:<uuid>"): a challenge
# answers only the page that asked for it, and only once. A few are kept (several tabs).
PASSKEY_CHALLENGES_SESSION_KEY = "accounts:passkey_challenges"
_PASSKEY_CHALLENGES_KEPT = 4


class SecondFactorRateLimited(Exception):
    """Too many wrong answers for this user lately (allauth's `login_failed` limit, per user and IP)."""


def _attempt_count(user):
    """Count one attempt in allauth's limit; the callable clears the count after a right answer."""
    try:
        return check_rate_limit(user)
    except ValidationError:
        raise SecondFactorRateLimited from None


def passkey_challenge_begin(request: HttpRequest, user, *, purpose: str) -> dict:
    """Start a passkey check of `user` for one page: `{"request_options": ...}` for the browser.

    allauth's `begin_authentication` builds the challenge (the user's credentials, its
    user-verification setting) in its one session slot; the state is moved under `purpose`,
    and whatever allauth's own pages had there is put back.
    """
    with context.request_context(request):
        previous = webauthn_auth.get_state()
        options = webauthn_auth.begin_authentication(user)
        state = webauthn_auth.get_state()
        _allauth_state_restore(previous)
    challenges = {
        key: value
        for key, value in request.session.get(PASSKEY_CHALLENGES_SESSION_KEY, {}).items()
        if key != purpose
    }
    challenges[purpose] = state
    request.session[PASSKEY_CHALLENGES_SESSION_KEY] = dict(
        list(challenges.items())[-_PASSKEY_CHALLENGES_KEPT:]
    )
    return {"request_options": options}


def _allauth_state_restore(state) -> None:
    if state is None:
        webauthn_auth.clear_state()
    else:
        webauthn_auth.set_state(state)


def passkey_check(
    request: HttpRequest, user, credential, *, purpose: str, origin: Origin | None = None
) -> bool:
    """True when `credential` is one of `user`'s passkeys answering this page's challenge.

    The challenge is used up whatever the answer. The attempt counts in allauth's limit
    (`SecondFactorRateLimited` once over it, nothing checked); a wrong answer is a security
    event. Passing signs nobody in.
    """
    challenges = request.session.get(PASSKEY_CHALLENGES_SESSION_KEY, {})
    state = challenges.pop(purpose, None)
    request.session[PASSKEY_CHALLENGES_SESSION_KEY] = challenges
    with context.request_context(request):
        clear_count = _attempt_count(user)
        authenticator = None
        if state is not None and isinstance(credential, dict):
            previous = webauthn_auth.get_state()
            webauthn_auth.set_state(state)
            try:
                webauthn_auth.parse_authentication_response(credential)
                authenticator = webauthn_auth.complete_authentication(user, credential)
            except ValidationError:
                authenticator = None
            finally:
                _allauth_state_restore(previous)
        if authenticator is not None:
            authenticator.record_usage()
            clear_count()
            return True
    second_factor_failure_record(user=user, origin=origin)
    return False


@sensitive_variables("code")
def authenticator_code_check(request: HttpRequest, user, code: str, *, origin: Origin | None = None) -> bool:
    """True when `code` is the current code of `user`'s authenticator app, not used before.

    Recovery codes are not taken here (they stand in for a lost factor; see the owner-proof
    page). Counted and recorded like `passkey_check`.
    """
    with context.request_context(request):
        clear_count = _attempt_count(user)
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is not None and authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            clear_count()
            return True
    second_factor_failure_record(user=user, origin=origin)
    return False
