"""The one place where allauth is customised: account creation and e-mail through the worker."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from allauth.core import context as allauth_context
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from core.addresses import email_normalise
from core.origin import Origin
from core.ratelimit import rate_limit_hit
from mailer.services import email_queue

from .emails import allauth_email_context, allauth_email_kind
from .models import User
from .passwords import password_validate
from .second_factors import second_factor_summary
from .selectors import account_for_email
from .services import account_create, credentials_set

# The address waiting for confirmation, for the "Check your inbox" page (a template reads it).
SESSION_PENDING_EMAIL = "accounts_pending_email"


class _RolledBack(Exception):
    """Raised to roll back the decoy work of the taken-address branch."""


class AccountAdapter(DefaultAccountAdapter):
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

    def send_account_already_exists_mail(self, email: str) -> None:
        """The taken-address branch of sign-up (web and API): the same work as a new account.

        allauth skips the password hash and the inserts for a taken address, which made it
        answer in a fraction of the time (one request was enough to tell). Here the branch
        creates a decoy account through the same steps as a new one (hash, user, account,
        licence, history, audit event, address set-up, one e-mail row) in a savepoint that
        is always rolled back. The one e-mail is the notice to the owner when the
        per-address limit allows it (anyone can trigger it, from any number of IPs), else
        the decoy's confirmation, rolled back with the rest.
        """
        notice = self.taken_notice_allowed(email)
        try:
            with transaction.atomic():
                self._account_create_decoy(send_confirmation=not notice)
                raise _RolledBack
        except _RolledBack:
            pass
        if notice:
            self.taken_notice_send(email)

    def taken_notice_allowed(self, email: str, *, taken: bool = True) -> bool:
        """Count a sign-up of `email`; True if its owner may be told "someone tried" now.

        At most SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS notices per address (anyone can trigger
        one, from any number of IPs). A sign-up of a free address makes the same cache calls
        under its own scope, so both branches cost the same.
        """
        return not rate_limit_hit(
            scope="signup-taken-notice" if taken else "signup-new",
            key=email_normalise(email),
            rate=settings.SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS,
        )

    def taken_notice_send(self, email: str) -> None:
        """Queue allauth's "account already exists" e-mail to the owner of `email`."""
        super().send_account_already_exists_mail(email)

    def _account_create_decoy(self, *, send_confirmation: bool) -> None:
        request = allauth_context.request
        decoy = f"{secrets.token_hex(16)}@decoy.invalid"
        user = User(email=decoy)
        user.set_password(secrets.token_urlsafe(32))
        user.save()
        account_create(user=user, origin=Origin.from_request(request) if request is not None else None)
        setup_user_email(request, user, [EmailAddress(email=decoy)])
        if send_confirmation:
            EmailAddress.objects.get(user=user, email=decoy).send_confirmation(request, signup=True)

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

    def get_reauthentication_methods(self, user):
        """allauth's ways to confirm it is you (the order stays: the first is the default), in the
        portal's words: the alternatives on the "Confirm it is you" pages."""
        methods = super().get_reauthentication_methods(user)
        has_app = any(m["id"] == "mfa_reauthenticate" for m in methods) and "totp" in {
            item["type"] for item in second_factor_summary(user)
        }
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
