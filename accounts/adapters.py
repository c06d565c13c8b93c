"""The one place where allauth is customised: account creation and e-mail through the worker."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from core.addresses import email_normalise
from core.origin import Origin
from mailer.services import email_queue

from .emails import allauth_email_context, allauth_email_kind
from .models import User
from .passwords import password_validate
from .selectors import account_for_email
from .services import account_create, credentials_set


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

    def send_mail(self, template_prefix, email, context):
        """Queue the e-mail with ids only; the worker renders it (accounts/emails.py)."""
        kind = allauth_email_kind(template_prefix)
        email_queue(
            to=email,
            kind=kind,
            account=account_for_email(email),
            context=allauth_email_context(kind=kind, email=email, context=context),
        )

    def get_email_confirmation_url(self, request, emailconfirmation):
        """Build the link from SITE_URL, never from the request's Host header."""
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])

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
