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
