"""The one place where allauth is customised: account creation and e-mail through the worker."""

import copy
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse

from core.addresses import email_normalise
from core.origin import Origin
from core.request_meta import client_ip
from mailer.services import email_queue

from .emails import ALREADY_EXISTS_KIND, allauth_email_context, allauth_email_kind
from .models import Account, User
from .passwords import password_validate
from .second_factors import second_factor_kinds
from .selectors import account_for_email
from .services import account_create, credentials_set

# The address waiting for confirmation, for the "Check your inbox" page (a template reads it).
SESSION_PENDING_EMAIL = "accounts_pending_email"


class _RolledBack(Exception):
    """Raised to roll back the decoy work of the taken-address branch."""


@dataclass
class _Decoy:
    """The sign-up running in place of a taken address's: the decoy's address, the typed one,
    and the owner's account, looked up where the decoy's verification e-mail would have been."""

    email: str
    typed: str
    owner_account: Account | None = None
    owner_looked_up: bool = False


_signup_decoy: ContextVar[_Decoy | None] = ContextVar("signup_decoy", default=None)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": (
            "That e-mail address and Account Password do not match. Check both and try again: "
            "the password is the one you chose for Vault, and capital letters count."
        ),
    }

    def save_user(self, request, user, form, commit=True):
        """Store the hash of the auth key the page derived (accounts.forms.SignupForm), then the account."""
        user = super().save_user(request, user, form, commit=False)
        if commit:
            credentials_set(user=user, auth_key=form.cleaned_data["auth_key"], kdf=form.cleaned_data["kdf"])
            account_create(
                user=user,
                password_hint=form.cleaned_data.get("password_hint", ""),
                origin=Origin.from_request(request),
            )
        return user

    def signup_form_valid(self, request, form, form_valid) -> HttpResponse:
        """Both branches of the sign-up form (accounts.views.SignupView): the same allauth flow.

        allauth answers a taken address with its enumeration branch, which skips the hash, the
        inserts and the post-sign-up flow: one request told who has an account. Here a free
        address runs allauth's `form_valid` (save the user through `save_user`, set up the
        address, `complete_signup`: signals, the login stages, the verification e-mail, the
        stashed login in the session, the "Check your inbox" redirect) in one transaction,
        committed; a taken address runs the very same `form_valid` for a decoy address (the
        hash of the auth key the page sent, the user, account, licence, history, audit event,
        address) in a transaction that is always rolled back, then makes the session and the
        message what a free address leaves (the typed address, no user). Each branch commits
        one e-mail row and hands it to the worker: the new address's verification, or the
        owner's "someone tried to sign up" notice in the place of the decoy's verification
        (the worker sends it within the per-address limit, `accounts.services.taken_notice_prepare`).
        """
        if not form.account_already_exists:
            with transaction.atomic():
                return form_valid(form)
        email = form.cleaned_data["email"]
        try:
            with self.signup_decoy(email) as decoy, transaction.atomic():
                decoy_form = copy.copy(form)
                decoy_form.cleaned_data = {**form.cleaned_data, "email": decoy.email}
                decoy_form.account_already_exists = False
                response = form_valid(decoy_form)
                raise _RolledBack
        except _RolledBack:
            pass
        # allauth stashed the decoy's (rolled back) user in the session: keep the typed address
        # and no user instead, as allauth's own enumeration branch does.
        stash = request.session.get(LOGIN_SESSION_KEY)
        if isinstance(stash, dict):
            request.session[LOGIN_SESSION_KEY] = {**stash, "user_pk": None, "email": email}
        self.signup_decoy_notice(decoy)
        return response

    @contextmanager
    def signup_decoy(self, typed: str) -> Iterator[_Decoy]:
        """A decoy to sign up in the place of the taken address `typed` (web and API).

        While it runs, allauth's messages name the typed address, and the decoy's verification
        e-mail is not queued: that step looks up the owner's account instead, for the notice
        the caller queues with `signup_decoy_notice` once the decoy is rolled back.
        """
        decoy = _Decoy(email=f"{secrets.token_hex(16)}@decoy.invalid", typed=typed)
        token = _signup_decoy.set(decoy)
        try:
            yield decoy
        finally:
            _signup_decoy.reset(token)

    def signup_decoy_notice(self, decoy: _Decoy) -> None:
        """Queue "someone tried to sign up with your address" to the owner of the typed address,
        for every try (the same work as a new address's verification); the worker sends it
        within the per-address limit (`accounts.services.taken_notice_prepare`)."""
        account = decoy.owner_account if decoy.owner_looked_up else account_for_email(decoy.typed)
        email_queue(to=decoy.typed, kind=ALREADY_EXISTS_KIND, account=account, context={})

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """Queue the verification e-mail with the address id (the worker builds the key and the
        link); for a decoy, look up the owner's account for the notice instead."""
        decoy = _signup_decoy.get()
        if decoy is not None:
            decoy.owner_account, decoy.owner_looked_up = account_for_email(decoy.typed), True
            return
        address = emailconfirmation.email_address
        email_queue(
            to=address.email,
            kind=allauth_email_kind(
                "account/email/email_confirmation_signup" if signup else "account/email/email_confirmation"
            ),
            account=account_for_email(address.email),
            context={"email_address_id": address.pk},
        )

    def send_account_already_exists_mail(self, email: str) -> None:
        """allauth's enumeration branch (sign-up no longer reaches it: `signup_form_valid`): the
        notice, which the worker sends within the per-address limit."""
        email_queue(to=email, kind=ALREADY_EXISTS_KIND, account=account_for_email(email), context={})

    def add_message(
        self, request, level, message_template=None, message_context=None, extra_tags="", message=None
    ):
        """allauth's messages; during a decoy's sign-up they name the address the visitor typed."""
        decoy = _signup_decoy.get()
        if decoy is not None and message_context and message_context.get("email") == decoy.email:
            message_context = {**message_context, "email": decoy.typed}
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def send_mail(self, template_prefix, email, context):
        """Queue the e-mail with ids only; the worker renders it (accounts/emails.py)."""
        kind = allauth_email_kind(template_prefix)
        email_queue(
            to=email,
            kind=kind,
            account=account_for_email(email),
            context=allauth_email_context(kind=kind, email=email, context=context),
        )

    def respond_email_verification_sent(self, request, user):
        """Remember the address "Check your inbox" offers to send the link to again (typed, so as
        not to tell a taken address from a new one)."""
        typed = request.POST.get("email") or request.POST.get("login") or ""
        email = typed or (user.email if user is not None else "")
        if email:
            request.session[SESSION_PENDING_EMAIL] = email_normalise(email)[:254]
        return super().respond_email_verification_sent(request, user)

    def get_email_confirmation_url(self, request, emailconfirmation):
        """Build the link from SITE_URL, never from the request's Host header."""
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The key of allauth's per-address limit on failed sign-ins: the address alone.

        allauth keys it "<site domain>:<address>", and without the sites framework the domain is
        the request's Host header, port included: every port passes ALLOWED_HOSTS, so each new
        port gave an address a fresh count of wrong passwords.
        """
        return "sign-in:" + email_normalise(credentials.get("email") or credentials.get("username") or "")

    def get_client_ip(self, request):
        """The portal's one client IP rule (core.request_meta.client_ip), for allauth's limits too."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_reauthentication_methods(self, user):
        """allauth's ways to confirm it is you (the order stays: the first is the default), in the
        portal's words: the alternatives on the "Confirm it is you" pages."""
        methods = super().get_reauthentication_methods(user)
        offers_codes = any(m["id"] == "mfa_reauthenticate" for m in methods)
        has_app = offers_codes and "totp" in second_factor_kinds(user)
        words = {
            "reauthenticate": "Use your Account Password",
            "mfa_reauthenticate": (
                "Use a code from your authenticator app, or a recovery code"
                if has_app
                else "Use a recovery code"
            ),
            "mfa_reauthenticate:webauthn": "Use a passkey",
        }
        return [{**m, "description": words.get(m["id"], m["description"])} for m in methods]

    def is_open_for_signup(self, request):
        return True

    def clean_password(self, password, user=None):
        """Apply the portal's one password policy (accounts.passwords), not allauth's own minimum."""
        password_validate(password=password, user=user)
        return password


class SignInLimited(Exception):
    """Too many wrong passwords for this address (or from this IP): allauth's `login_failed`."""


@contextmanager
def sign_in_attempt(request, *, email: str) -> Iterator[None]:
    """Count a sign-in outside allauth's form (the app API) in the limit the web's form counts in:
    allauth's `login_failed`, per address (the key above) and per client IP. Raise `SignInLimited`
    when it is used up; an attempt that ends without an exception (the right password) is taken
    back, as allauth does, so that only wrong passwords add up, whichever door they came through.
    """
    adapter = get_adapter(request)
    try:
        adapter.pre_authenticate(request, email=email)
    except ValidationError:
        raise SignInLimited from None
    yield
    adapter._rollback_login_failed_rl_usage()


class EmailAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, with one query per sign-in whether or not the address is known.

    allauth looks in `EmailAddress` first and in the user table only when no verified address
    matched, so an unknown address cost one query more than a known one: measurable timing.
    This backend finds the user by the account e-mail or a verified extra address in one
    query, then checks the password (or hashes a dummy one when nobody matched).
    """

    def _authenticate_by_email(self, email: str, password: str):
        if not email:
            return None
        email = email_normalise(email)
        user = (
            User.objects.filter(Q(email=email) | Q(emailaddress__email=email, emailaddress__verified=True))
            .distinct()
            .first()
        )
        return self._check_password(user, password)
