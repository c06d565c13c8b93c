"""Customer pages of accounts: signing a device out, the page that replaces allauth's password forms.

The account overview composes several apps, so it lives in the top layer (portal/views.py)."""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.views import SignupView as AllauthSignupView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from core.links import session_token_page, token_landing
from core.origin import Origin
from core.ratelimit import rate_limit_hit

from . import email_change as change_services
from .adapters import SESSION_PENDING_EMAIL
from .forms import CLOSE_PHRASE, AccountCloseForm, EmailChangeForm, PasswordHintForm
from .models import Device
from .selectors import account_for_user
from .services import account_close as account_close_service
from .services import device_revoke, devices_sign_out_all, password_hint_change

SESSION_CONFIRM_TOKEN = "accounts:email_confirm_token"
SESSION_UNDO_TOKEN = "accounts:email_undo_token"


class SignupView(AllauthSignupView):
    """allauth's sign-up page, where a taken address runs the same flow as a free one, for a
    decoy that is rolled back (`AccountAdapter.signup_form_valid`, issue 14 item 1)."""

    def form_valid(self, form):
        response = get_adapter(self.request).signup_form_valid(self.request, form, super().form_valid)
        self.user = None if form.account_already_exists else self.user
        return response


signup = SignupView.as_view()


@login_required
@require_POST
def device_sign_out(request, device_pk: int):
    account = account_for_user(request.user)
    if account is None:
        raise Http404
    device = get_object_or_404(Device, pk=device_pk, account=account)
    if device_revoke(
        device=device, reason=Device.RevokedReason.SIGNED_OUT, origin=Origin.from_request(request)
    ):
        messages.success(request, f"{device.name} is signed out. It will ask for your password again.")
    return redirect("accounts:home")


@login_required
@require_POST
def sign_out_everywhere(request):
    """Sign out every app and every other browser; this one stays signed in."""
    account = account_for_user(request.user)
    if account is None:
        raise Http404
    counts = devices_sign_out_all(
        account=account, keep_session_key=request.session.session_key, origin=Origin.from_request(request)
    )
    messages.success(
        request,
        f"Signed out {counts['devices']} app(s) and {counts['sessions']} other browser(s). "
        "Each will ask for your password again. This browser stays signed in.",
    )
    return redirect("accounts:home")


def _password_again_page(
    request, *, form_class, template: str, done, scope: str = "account-reauth", rate: str = "", extra=None
):
    """A signed-in page whose form asks for the Account Password again (a `ReauthForm`).

    A POST past `rate` (default ACCOUNT_REAUTH_RATE_PER_ACCOUNT) per account under `scope` gets a 429;
    a valid form calls `done(account, form)`, which returns the response; otherwise `template` shows
    the form (400 after a failed POST) with the account and `extra(account)`.
    """
    account = account_for_user(request.user)
    if account is None:
        return redirect("home")
    form = form_class(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST":
        rate = rate or settings.ACCOUNT_REAUTH_RATE_PER_ACCOUNT
        if rate_limit_hit(scope=scope, key=str(account.pk), rate=rate):
            return render(request, "429.html", status=429)
        if form.is_valid():
            return done(account, form)
    context = {"form": form, "account": account, **(extra(account) if extra else {})}
    return render(request, template, context, status=400 if form.is_bound else 200)


@login_required
@sensitive_post_parameters("auth_key", "hint")
@require_http_methods(["GET", "POST"])
def hint_change(request):
    """Change the password hint, after the Account Password again (checked on the device against the hint)."""

    def done(account, form):
        password_hint_change(
            account=account, hint=form.cleaned_data["hint"], origin=Origin.from_request(request)
        )
        messages.success(
            request,
            "Your password hint is changed." if account.password_hint else "Your password hint is removed.",
        )
        return redirect("accounts:home")

    return _password_again_page(
        request, form_class=PasswordHintForm, template="accounts/hint_change.html", done=done
    )


@login_required
@sensitive_post_parameters("auth_key")
@require_http_methods(["GET", "POST"])
def account_close(request):
    """Close the account yourself: what happens explained, a typed confirmation, the password again."""

    def done(account, form):
        email = request.user.email
        account_close_service(
            account=account,
            closed_by=request.user,
            reason="Closed by the customer",
            origin=Origin.from_request(request),
        )
        request.session.flush()
        return render(
            request, "accounts/account_closed.html", {"account_id": account.account_id, "email": email}
        )

    return _password_again_page(
        request,
        form_class=AccountCloseForm,
        template="accounts/account_close.html",
        done=done,
        extra=lambda account: {"license": account.license, "close_phrase": CLOSE_PHRASE},
    )


@require_POST
def email_confirmation_resend(request):
    """ "Send the link again" on "Check your inbox": the same answer whether or not the address has an
    account waiting (allauth's enumeration rule); a link goes only to an address still unconfirmed."""
    email = request.session.get(SESSION_PENDING_EMAIL, "")
    if not email:
        return redirect("account_signup")
    if rate_limit_hit(scope="email-confirm-resend", key=email, rate=settings.EMAIL_CONFIRMATION_RESEND_RATE):
        messages.warning(
            request,
            "We have sent several links in a short time. Use the newest e-mail, or try again in an hour.",
        )
        return redirect("account_email_verification_sent")
    address = EmailAddress.objects.filter(email__iexact=email, verified=False, user__is_active=True).first()
    if address is not None:
        address.send_confirmation(request)
    messages.success(request, f"We have sent the link to {email} again. It can take a few minutes to arrive.")
    return redirect("account_email_verification_sent")


def password_change_explainer(request):
    """Explain why the web portal cannot change the Account Password."""
    return render(request, "accounts/password_change.html")


# --- E-mail change (replaces allauth's e-mail management, which answers 404) ---------------


@login_required
@sensitive_post_parameters("auth_key")
@require_http_methods(["GET", "POST"])
def email_change(request):
    """Ask for a new address and the Account Password again; e-mail the new address a link."""

    def done(account, form):
        new_email = form.cleaned_data["new_email"]
        change_services.email_change_request(
            account=account, new_email=new_email, origin=Origin.from_request(request)
        )
        return render(request, "accounts/email_change_sent.html", {"new_email": new_email})

    return _password_again_page(
        request,
        form_class=EmailChangeForm,
        template="accounts/email_change.html",
        done=done,
        scope="email-change",
        rate=settings.EMAIL_CHANGE_RATE_PER_ACCOUNT,
        extra=lambda account: {"undo_days": settings.EMAIL_CHANGE_UNDO_DAYS},
    )


email_confirm_token = token_landing(SESSION_CONFIRM_TOKEN, "accounts:email_confirm")
email_undo_token = token_landing(SESSION_UNDO_TOKEN, "accounts:email_undo")


def _link_dead(request, reason: str = "invalid"):
    return render(request, "accounts/email_change_invalid.html", {"reason": reason}, status=410)


def _email_change_link_page(
    *, session_key: str, purpose: str, usable, act, page: str, done_page: str, end_sessions: bool = False
):
    """Make the page an e-mail change link leads to (after `token_landing`): show `page` while the
    change is `usable`, and on POST (so that link scanners cannot act) `act` on it and show
    `done_page`. `end_sessions`: `act` ended every session of the account, this one included."""

    @session_token_page
    @require_http_methods(["GET", "POST"])
    def view(request):
        token = request.session.get(session_key)
        change = change_services.email_change_for_token(token=token, purpose=purpose)
        if change is None or not usable(change):
            request.session.pop(session_key, None)
            return _link_dead(request)
        if request.method == "POST":
            try:
                act(token=token, origin=Origin.from_request(request))
            except change_services.EmailChangeInvalid as error:
                request.session.pop(session_key, None)
                return _link_dead(request, error.reason)
            if end_sessions:
                request.session.flush()
            else:
                request.session.pop(session_key, None)
            return render(request, done_page, {"change": change})
        return render(request, page, {"change": change})

    return view


# Confirm the new address.
email_confirm = _email_change_link_page(
    session_key=SESSION_CONFIRM_TOKEN,
    purpose=change_services.CONFIRM,
    usable=change_services.email_change_confirmable,
    act=change_services.email_change_confirm,
    page="accounts/email_change_confirm.html",
    done_page="accounts/email_change_done.html",
)
# Undo a change from the old address ("this wasn't me").
email_undo = _email_change_link_page(
    session_key=SESSION_UNDO_TOKEN,
    purpose=change_services.UNDO,
    usable=change_services.email_change_undoable,
    act=change_services.email_change_undo,
    page="accounts/email_change_undo.html",
    done_page="accounts/email_change_undone.html",
    end_sessions=True,
)
