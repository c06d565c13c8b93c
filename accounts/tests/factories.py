import os
import uuid
from functools import lru_cache

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.kdf import KdfParams
from accounts.models import Account, AccountKeyVerifier, Device, License, LicenseChange, User, VaultItem
from accounts.services import credentials_set
from vaultclient.crypto import auth_key_derive

DEFAULT_PASSWORD = "a-long-test-password-42"
# The authenticator-app secret of factory users with `second_factor=True` (pyotp.TOTP(...).now()).
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Every factory user shares this salt so a test process derives each password once (lru_cache).
TEST_KDF = KdfParams(salt="dGVzdC1zYWx0LTE2Ynl0ZQ", iterations=3, memory_kib=65_536, parallelism=1)


@lru_cache(maxsize=64)
def auth_key_for(password: str = DEFAULT_PASSWORD, kdf: KdfParams = TEST_KDF) -> str:
    """The auth key a device derives from `password` (the reference derivation, cached)."""
    return auth_key_derive(password, kdf)


def credentials_for(password: str = DEFAULT_PASSWORD, kdf: KdfParams = TEST_KDF) -> dict:
    """`auth_key=` and `kdf=` as the device sends them for `password` (reset completion, sign-up)."""
    return {"auth_key": auth_key_for(password, kdf), "kdf": kdf}


def signs_in_with(user: User, password: str) -> bool:
    """True when the auth key a device derives from `password` with the user's stored parameters
    matches the stored hash (what `check_password(password)` meant before issue 13)."""
    user.refresh_from_db()
    kdf = KdfParams.from_user(user)
    return kdf is not None and user.check_password(auth_key_for(password, kdf))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    is_active = True

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        # The server stores a hash of the auth key the device derives, never of the password.
        if create:
            credentials_set(user=self, auth_key=auth_key_for(extracted or DEFAULT_PASSWORD), kdf=TEST_KDF)
        else:
            self.set_password(auth_key_for(extracted or DEFAULT_PASSWORD))

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """`second_factor=True`: an authenticator app with TEST_TOTP_SECRET (staff need one)."""
        if create and extracted:
            totp_enroll(self)


def totp_enroll(user: User, secret: str = TEST_TOTP_SECRET):
    """Give `user` an authenticator app (allauth.mfa's TOTP) with a known secret, no signals."""
    from allauth.mfa.totp.internal.auth import TOTP

    return TOTP.activate(user, secret).instance


def totp_code(secret: str = TEST_TOTP_SECRET, *, offset: int = 0) -> str:
    """The current code of `secret` (or `offset` 30-second steps away), as an app shows it."""
    import pyotp

    totp = pyotp.TOTP(secret)
    return totp.at(timezone.now().timestamp() + offset * totp.interval)


def second_factor_session(client, user: User) -> None:
    """Record in `client`'s session that `user` just passed a second factor (what allauth's
    code page records), for tests that force_login and then use a supervisor action."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session.save()


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    password_hint = "my usual hint"

    @factory.post_generation
    def license(self, create, extracted, **kwargs):
        if create:
            license = License.objects.create(account=self, plan=kwargs.get("plan", License.Plan.PREMIUM))
            LicenseChange.objects.create(
                license=license,
                plan=license.plan,
                status=license.status,
                seats=license.seats,
                starts_at=license.starts_at,
                reason="factory",
            )


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    account = factory.SubFactory(AccountFactory)
    device_uid = factory.LazyFunction(lambda: uuid.uuid4().hex)
    name = factory.Sequence(lambda n: f"Phone {n}")
    platform = "ios"
    authorized_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)


class VerifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountKeyVerifier

    account = factory.SubFactory(AccountFactory)
    generation = factory.SelfAttribute("account.key_generation")
    public_key = factory.LazyFunction(lambda: os.urandom(32))


class VaultItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VaultItem

    account = factory.SubFactory(AccountFactory)
    item_id = factory.LazyFunction(uuid.uuid4)
    ciphertext = factory.LazyFunction(lambda: os.urandom(64))
    nonce = factory.LazyFunction(lambda: os.urandom(12))
    generation = factory.SelfAttribute("account.key_generation")
    revision = factory.Sequence(lambda n: n + 1)
