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

    Both paths hash an auth key, write an account's rows and queue one e-mail (the taken one in
    the adapter, rolled back), so they answer alike and in comparable time. The password rules
    (length, strength, hint must not contain it) ran on the device: the server never sees the
    password (docs/security.md §1.7).
    """
    email = email_normalise(email)
    adapter = get_adapter(request)
    if User.objects.filter(email=email).exists():
        # The adapter does the work of a new account (hash and inserts, rolled back) first.
        adapter.send_account_already_exists_mail(email)
        return
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email)
            credentials_set(user=user, auth_key=auth_key, kdf=kdf)
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            account_create(user=user, password_hint=password_hint, origin=origin)
            address.send_confirmation(request, signup=True)
    except IntegrityError:
        return
