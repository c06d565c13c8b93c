"""Sign-up from the app: the same answer and comparable work whether or not the address is taken."""

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from accounts.models import User
from accounts.passwords import hint_validate, password_validate
from accounts.services import account_create
from core.addresses import email_normalise
from core.origin import Origin

from ..errors import ApiError


def _password_validate(*, password: str, user: User | None = None, field: str = "password") -> None:
    try:
        password_validate(password=password, user=user)
    except ValidationError as exc:
        raise ApiError(code="password_invalid", detail=" ".join(exc.messages))


@sensitive_variables("password", "password_hint")
def account_signup(
    *,
    email: str,
    password: str,
    password_hint: str = "",
    request: HttpRequest | None = None,
    origin: Origin | None = None,
) -> None:
    """Create a customer account and e-mail its verification link, or, when the address is taken,
    e-mail its owner that someone tried (allauth's "account already exists" mail).

    Both paths hash a password, write an account's rows and queue one e-mail (the taken one in
    the adapter, rolled back), so they answer alike and in comparable time.
    """
    email = email_normalise(email)
    _password_validate(password=password, user=User(email=email))
    try:
        hint_validate(hint=password_hint, password=password)
    except ValidationError as exc:
        raise ApiError(code="hint_invalid", detail=" ".join(exc.messages))
    adapter = get_adapter(request)
    if User.objects.filter(email=email).exists():
        # The adapter does the work of a new account (hash and inserts, rolled back) first.
        adapter.send_account_already_exists_mail(email)
        return
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
            address = EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
            account_create(user=user, password_hint=password_hint, origin=origin)
            address.send_confirmation(request, signup=True)
    except IntegrityError:
        return
