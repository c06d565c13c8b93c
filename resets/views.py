"""Account reset pages: notice, request, link page, backup download, cancel.

Link tokens arrive in the URL once: the first load moves them into the session and
redirects to a token-less URL, and every page that sees a token sends no Referer.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import PasskeyForm
from accounts.second_factors import (
    AUTHENTICATOR_APP,
    PASSKEY,
    RECOVERY_CODES,
    passkey_challenge_begin,
    second_factor_kinds,
)
from accounts.selectors import account_for_user, devices_recently_active
from core.links import session_token_page, token_landing
from core.origin import Origin
from core.request_meta import client_ip

from . import services
from .backup import backup_chunks, backup_filename
from .emails import ERASED, KEPT
from .forms import AccountEmailForm, ResetCompleteForm, ResetSecondFactorForm
from .limits import reset_backup_limited, reset_request_limited
from .models import ResetRequest
from .selectors import reset_request_pending, reset_request_support_sender
from .tokens import CANCEL, RESET

SESSION_TOKEN = "resets:token"
SESSION_CANCEL_TOKEN = "resets:cancel_token"
# The id of the reset request whose second factor this (anonymous) session passed.
SESSION_FACTOR_PASSED = "resets:factor_passed"
# The id of the reset request this browser has just completed (the session is flushed then): Back
# to the link page says the link was used, not that nothing changed.
SESSION_COMPLETED = "resets:completed"


def _too_many(request):
    return render(request, "429.html", status=429)


def _notice(request, *, form=None, hint_form=None, status: int = 200):
    return render(
        request,
        "resets/notice.html",
        {
            "form": form or AccountEmailForm(),
            "hint_form": hint_form or AccountEmailForm(prefix="hint"),
            "erased": ERASED,
            "kept": KEPT,
            "cooling_off_days": settings.RESET_COOLING_OFF_DAYS,
        },
        status=status,
    )


@require_GET
def notice(request):
    """Explain what a reset destroys before anything else."""
    return _notice(request)


def _address_post(request, *, hint: bool, service, done_url: str):
    """Validate the notice page's address form, count it against the limits, call `service`.

    A reset request and a hint request follow the same rules and give the same answer
    whether or not the address has an account.
    """
    form = AccountEmailForm(request.POST, prefix="hint" if hint else None)
    if not form.is_valid():
        return _notice(request, status=400, **{"hint_form" if hint else "form": form})
    if reset_request_limited(ip=client_ip(request), email=form.cleaned_data["email"]):
        return _too_many(request)
    service(email=form.cleaned_data["email"], origin=Origin.from_request(request))
    return redirect(done_url)


@require_POST
def request_reset(request):
    """Start a reset: always the same answer, whether or not the address has an account."""
    return _address_post(
        request, hint=False, service=services.reset_request_create, done_url="resets:requested"
    )


@require_GET
def requested(request):
    return render(request, "resets/requested.html", {"ttl_minutes": settings.RESET_LINK_TTL_MINUTES})


@require_POST
def hint_request(request):
    """E-mail the password hint: the same answer, rules and limits as a reset request."""
    return _address_post(
        request, hint=True, service=services.password_hint_request, done_url="resets:hint_sent"
    )


@require_GET
def hint_sent(request):
    return render(request, "resets/hint_sent.html")


# The reset link, and the "this wasn't me" link (whose page asks to confirm before cancelling).
link_token = token_landing(SESSION_TOKEN, "resets:link")
cancel_token = token_landing(SESSION_CANCEL_TOKEN, "resets:cancel")


def _session_request(request, key: str, purpose: str) -> ResetRequest | None:
    token = request.session.get(key)
    if not token:
        return None
    return services.reset_request_for_token(token=token, purpose=purpose)


def _link_dead(request, reset_request: ResetRequest | None = None):
    """The dead-link page; a link that completed its reset says so, and when (the token is genuine,
    or this browser completed it)."""
    if reset_request is None and (completed_pk := request.session.get(SESSION_COMPLETED)):
        reset_request = ResetRequest.objects.filter(pk=completed_pk).first()
    used_at = None
    if reset_request is not None and reset_request.state == ResetRequest.State.COMPLETED:
        used_at = reset_request.finished_at
    return render(request, "resets/link_invalid.html", {"used_at": used_at}, status=410)


@session_token_page
@sensitive_post_parameters("auth_key", "hint")
@sensitive_variables("reset_request", "form")
@require_http_methods(["GET", "POST"])
def link(request):
    """The reset page: the warning, recently active devices, the backup, then the form."""
    reset_request = _session_request(request, SESSION_TOKEN, RESET)
    if reset_request is None or not services.reset_request_usable(reset_request):
        request.session.pop(SESSION_TOKEN, None)
        return _link_dead(request, reset_request)
    account = reset_request.account
    origin = Origin.from_request(request)
    services.reset_request_open(reset_request=reset_request, origin=origin)
    factor_passed = request.session.get(SESSION_FACTOR_PASSED) == reset_request.pk
    step = services.reset_factor_step(reset_request)
    if step in (services.FACTOR_REQUIRED, services.COOLING_OFF) and not factor_passed:
        return _factor_page(request, reset_request, step, status=200 if request.method == "GET" else 403)
    form = ResetCompleteForm(request.POST if request.method == "POST" else None, user=account.user)
    if request.method == "POST" and form.is_valid():
        try:
            completed = services.reset_complete(
                token=request.session[SESSION_TOKEN],
                auth_key=form.cleaned_data["auth_key"],
                kdf=form.cleaned_data["kdf"],
                hint=form.cleaned_data["hint"],
                origin=origin,
                second_factor_passed=factor_passed,
            )
        except services.ResetLinkInvalid:
            request.session.pop(SESSION_TOKEN, None)
            return _link_dead(request)
        except services.ResetSecondFactorRequired:
            return redirect("resets:link")
        # Completing a reset never signs anyone in: drop this (anonymous) session entirely.
        request.session.flush()
        request.session[SESSION_COMPLETED] = completed.pk
        return redirect("resets:done")
    return render(
        request,
        "resets/link.html",
        {
            "account": account,
            "reset_request": reset_request,
            "devices": devices_recently_active(account),
            "item_count": account.vault_items.count(),
            "erased": ERASED,
            "kept": KEPT,
            "form": form,
            "factors_removed": step == services.COOLED_OFF and not factor_passed,
        },
        status=400 if form.is_bound else 200,
    )


def _passkey_purpose(reset_request: ResetRequest) -> str:
    """A passkey challenge of this reset request answers only its own link page."""
    return f"reset:{reset_request.pk}"


def _factor_page(
    request, reset_request: ResetRequest, step: str, *, form=None, passkey_form=None, status: int = 200
):
    """The factor step: a passkey button when the account has a passkey, a code field when it has
    an authenticator app or recovery codes (often both), and the cooling-off way out."""
    user = reset_request.account.user
    kinds = second_factor_kinds(user)
    has_app = AUTHENTICATOR_APP in kinds
    context = {
        "account": reset_request.account,
        "reset_request": reset_request,
        "has_app": has_app,
        "form": None,
        "passkey_form": None,
        "cooling_off": step == services.COOLING_OFF,
        "days": settings.RESET_COOLING_OFF_DAYS,
    }
    if has_app or RECOVERY_CODES in kinds:
        context["form"] = form or ResetSecondFactorForm(user=user, app=has_app)
    if PASSKEY in kinds:
        context["passkey_form"] = passkey_form or PasskeyForm(
            request=request, user=user, purpose=_passkey_purpose(reset_request)
        )
        context["passkey_options"] = passkey_challenge_begin(
            request, user, purpose=_passkey_purpose(reset_request)
        )
    return render(request, "resets/link_factor.html", context, status=status)


@session_token_page
@sensitive_post_parameters("code", "credential")
@require_POST
def link_factor(request):
    """The link page's second-factor step: a passkey or a code (then the reset form), or "I lost it too".

    Passing it marks this (anonymous) session for this reset request only; nobody is signed in.
    """
    reset_request = _session_request(request, SESSION_TOKEN, RESET)
    if reset_request is None or not services.reset_request_usable(reset_request):
        request.session.pop(SESSION_TOKEN, None)
        return _link_dead(request)
    step = services.reset_factor_step(reset_request)
    if step not in (services.FACTOR_REQUIRED, services.COOLING_OFF):
        return redirect("resets:link")
    action = request.POST.get("action")
    if action == "cooling_off":
        services.reset_cooling_off_start(reset_request=reset_request, origin=Origin.from_request(request))
        return redirect("resets:link")
    user = reset_request.account.user
    if action == "passkey":
        passkey_form = PasskeyForm(
            request.POST,
            request=request,
            user=user,
            purpose=_passkey_purpose(reset_request),
            origin=Origin.from_request(request),
        )
        if not passkey_form.is_valid():
            status = 429 if passkey_form.rate_limited else 400
            return _factor_page(request, reset_request, step, passkey_form=passkey_form, status=status)
    else:
        form = ResetSecondFactorForm(
            request.POST, user=user, app=AUTHENTICATOR_APP in second_factor_kinds(user)
        )
        if not form.is_valid():
            return _factor_page(request, reset_request, step, form=form, status=400)
    request.session[SESSION_FACTOR_PASSED] = reset_request.pk
    return redirect("resets:link")


@session_token_page
@require_POST
def backup(request):
    """Download the current encrypted vault (ciphertext only) before it is erased."""
    reset_request = _session_request(request, SESSION_TOKEN, RESET)
    if reset_request is None or not services.reset_request_usable(reset_request):
        return _link_dead(request)
    if reset_backup_limited(reset_request_id=reset_request.pk):
        return _too_many(request)
    account = reset_request.account
    item_count = account.vault_items.count()
    services.reset_backup_record(
        reset_request=reset_request, item_count=item_count, origin=Origin.from_request(request)
    )
    response = StreamingHttpResponse(
        backup_chunks(account, item_count), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{backup_filename(account)}"'
    return response


@require_GET
def done(request):
    return render(request, "resets/done.html")


@session_token_page
@require_http_methods(["GET", "POST"])
def cancel(request):
    """Confirm, then cancel the pending reset (a POST, so that link scanners cannot cancel it)."""
    reset_request = _session_request(request, SESSION_CANCEL_TOKEN, CANCEL)
    if reset_request is not None and reset_request.state == ResetRequest.State.CANCELLED:
        # Back, reload or the e-mail's link again: the link is dead, and the page says why.
        return render(request, "resets/cancelled.html", status=410)
    if reset_request is None or not reset_request.is_pending:
        request.session.pop(SESSION_CANCEL_TOKEN, None)
        return _link_dead(request)
    if request.method == "POST":
        services.reset_cancel(
            reset_request=reset_request, origin=Origin.from_request(request), via="email_link"
        )
        return render(request, "resets/cancelled.html")
    return render(
        request,
        "resets/cancel.html",
        {"reset_request": reset_request, "support": reset_request_support_sender(reset_request)},
    )


@login_required
@require_POST
def cancel_signed_in(request):
    """Cancel the account's pending reset from the account page: its owner is signed in here."""
    account = account_for_user(request.user)
    pending = reset_request_pending(account) if account is not None else None
    if pending is not None and services.reset_cancel(
        reset_request=pending, origin=Origin.from_request(request), via="account_page"
    ):
        messages.success(
            request, "The reset is cancelled: its e-mailed link no longer works and nothing was erased."
        )
    else:
        messages.info(request, "There is no pending reset to cancel any more.")
    return redirect("accounts:home")
