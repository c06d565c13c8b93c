"""Sign-up from the app: the same answer and comparable work whether or not the address is taken."""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from accounts.kdf import KdfParams
from accounts.models import User
from accounts.services import account_create, credentials_set
from core.addresses import email_normalise
from core.origin import Origin


@sensitive_variables("auth_key", "password_hint")
def account_signup(
    *,
    email: str,
    auth_key: str,
    kdf: KdfParams,
    password_hint: str = "",
    request: HttpRequest | None = None,
    origin: Origin | None = None,
) -> None:
    """Create a customer account and e-mail its verification link, or, when the address is taken,
    e-mail its owner that someone tried (allauth's "account already exists" mail).

    Both paths hash an auth key, write an account's rows through the same function (for a taken
    address a decoy's, rolled back) and commit and queue one e-mail (the verification, or the
    notice to the owner, which the worker sends within its per-address limit), so they answer
    alike and in the same time. The password rules
    (length, strength, hint must not contain it) ran on the device: the server never sees the
    password (docs/security.md §1.7).
    """
    email = email_normalise(email)
    adapter = get_adapter(request)
    if User.objects.filter(email=email).exists():
        # The same rows as a new account, for an address nobody has, then rolled back; the one
        # e-mail is the notice to the owner, in the place of the decoy's verification (the
        # worker sends it within the per-address limit).
        try:
            with adapter.signup_decoy(email) as decoy, transaction.atomic():
                _account_rows_create(
                    email=decoy.email,
                    auth_key=auth_key,
                    kdf=kdf,
                    password_hint=password_hint,
                    request=request,
                    origin=origin,
                )
                raise _RolledBack
        except _RolledBack:
            pass
        adapter.signup_decoy_notice(decoy)
        return
    try:
        with transaction.atomic():
            _account_rows_create(
                email=email,
                auth_key=auth_key,
                kdf=kdf,
                password_hint=password_hint,
                request=request,
                origin=origin,
            )
    except IntegrityError:
        return


class _RolledBack(Exception):
    """Raised to roll back the decoy rows of the taken-address branch."""


@sensitive_variables("auth_key", "password_hint")
def _account_rows_create(
    *,
    email: str,
    auth_key: str,
    kdf: KdfParams,
    password_hint: str,
    request: HttpRequest | None,
    origin: Origin | None,
) -> None:
    """Write a new account's rows (user, credentials, address, account) and queue its verification
    (not for a decoy: `AccountAdapter.signup_decoy`)."""
    user = User.objects.create_user(email=email)
    credentials_set(user=user, auth_key=auth_key, kdf=kdf)
    address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    account_create(user=user, password_hint=password_hint, origin=origin)
    address.send_confirmation(request, signup=True)
