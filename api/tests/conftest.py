import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import AccountFactory, VerifierFactory
from api.tests.factories import device_with_token
from vaultclient import crypto

FAST_KDF = crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def account_key():
    return b"k" * 32


@pytest.fixture
def account(account_key):
    account = AccountFactory()
    VerifierFactory(account=account, public_key=crypto.verifier_public(account_key))
    return account


@pytest.fixture
def device(account):
    return device_with_token("device-token", account=account)


@pytest.fixture
def authed(api, device):
    api.credentials(HTTP_AUTHORIZATION="Bearer device-token")
    return api


@pytest.fixture
def payload_for(account_key):
    def make(account, *, generation=None, password="a-long-test-password-42"):
        return crypto.payload_seal(
            account_key=account_key,
            password=password,
            account_id=account.account_id,
            generation=generation or account.key_generation,
            kdf=FAST_KDF,
        )

    return make
