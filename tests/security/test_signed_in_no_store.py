"""Pages shown to a signed-in visitor are kept out of caches (the TOTP key, account details)."""

import pytest
from django.urls import reverse

from accounts.tests.factories import AccountFactory, auth_key_for
from accounts.tests.zk import signin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    account = AccountFactory()
    assert client.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()}).status_code == 302
    return client


def test_the_authenticator_set_up_page_that_shows_the_key_is_not_stored(signed_in):
    response = signed_in.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_account_page_is_not_stored(signed_in):
    response = signed_in.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_public_page_for_a_visitor_is_left_to_its_view(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_api_sign_in_answer_that_carries_the_device_token_is_not_stored(client):
    """Found from outside: the request is anonymous (the token is in the answer), so the
    signed-in rule above never saw it; a token answer must say no-store (RFC 6749 §5.1)."""
    account = AccountFactory()
    body = {
        "email": account.user.email,
        "auth_key": auth_key_for(),
        "device_uid": "device-uid-0001",
        "device_name": "Laptop",
        "platform": "linux",
    }
    response = client.post(reverse("api:signin"), body, content_type="application/json")
    assert response.status_code in (200, 202) and response.json()["device_token"]
    assert "no-store" in response["Cache-Control"]
