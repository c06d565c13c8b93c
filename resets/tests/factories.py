from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import AccountFactory
from resets import services
from resets.models import ResetRequest
from resets.tokens import CANCEL, RESET, default_token_generator


class ResetRequestFactory(factory.django.DjangoModelFactory):
    """A reset request row; use `pending_reset` when the test needs working links."""

    class Meta:
        model = ResetRequest

    account = factory.SubFactory(AccountFactory)
    nonce = factory.LazyFunction(default_token_generator.nonce_new)
    token_hash = factory.LazyAttribute(
        lambda o: default_token_generator.token_hash(
            default_token_generator.token_make(purpose=RESET, account_pk=o.account.pk, nonce=o.nonce)
        )
    )
    cancel_token_hash = factory.LazyAttribute(
        lambda o: default_token_generator.token_hash(
            default_token_generator.token_make(purpose=CANCEL, account_pk=o.account.pk, nonce=o.nonce)
        )
    )
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=60))
    credential_stamp = factory.LazyAttribute(
        lambda o: default_token_generator.credential_stamp(
            password_hash=o.account.user.password, key_generation=o.account.key_generation
        )
    )


def links_for(reset_request: ResetRequest) -> tuple[str, str]:
    """Return the (reset, cancel) tokens the worker would put in the e-mail."""
    make = default_token_generator.token_make
    return (
        make(purpose=RESET, account_pk=reset_request.account_id, nonce=reset_request.nonce),
        make(purpose=CANCEL, account_pk=reset_request.account_id, nonce=reset_request.nonce),
    )


def pending_reset(account=None, *, origin=None):
    """Go through the real request path (outbox row, then the worker's recording).

    Returns (reset_request, reset_token, cancel_token).
    """
    account = account or AccountFactory()
    email = services.reset_request_create(email=account.user.email, origin=origin)
    email.refresh_from_db()
    reset_request = services.reset_request_record(email=email)
    reset, cancel = links_for(reset_request)
    return reset_request, reset, cancel
