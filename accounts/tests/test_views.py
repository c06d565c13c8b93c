import re

import pytest
from django.urls import reverse

from accounts.kdf import NO_AUTH_KEY
from accounts.models import Device, SecurityEvent
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    AccountFactory,
    DeviceFactory,
    UserFactory,
    auth_key_for,
)
from accounts.tests.zk import signin_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return AccountFactory()


def test_account_page_shows_id_licence_devices_generation_and_events(client, account):
    device = DeviceFactory(account=account, name="Work laptop")
    client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    html = client.get(reverse("accounts:home")).content.decode()
    assert account.account_id in html
    assert "Premium" in html
    assert device.name in html
    assert "Key generation" in html
    assert "Signed in on the web" in html


def test_account_page_costs_the_same_queries_with_1_or_30_devices_and_events(client, account, page_queries):
    def history(n):
        for _ in range(n):
            DeviceFactory(account=account)
            SecurityEvent.objects.create(account=account, type=SecurityEvent.Type.SIGNED_IN)

    client.force_login(account.user)
    history(1)
    small = page_queries(client, reverse("accounts:home"))
    history(29)
    assert page_queries(client, reverse("accounts:home")) == small


def test_account_page_requires_sign_in(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_out_this_device_revokes_it_and_audits(client, account):
    device = DeviceFactory(account=account)
    client.force_login(account.user)
    response = client.post(reverse("accounts:device_sign_out", args=[device.pk]))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.revoked_at is not None
    assert device.revoked_reason == Device.RevokedReason.SIGNED_OUT
    assert account.security_events.filter(type=SecurityEvent.Type.DEVICE_REVOKED).count() == 1


def test_cannot_sign_out_someone_elses_device(client, account):
    other = DeviceFactory()
    client.force_login(account.user)
    response = client.post(reverse("accounts:device_sign_out", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_allauth_password_reset_is_replaced_by_the_reset_notice(client):
    response = client.get("/accounts/password/reset/")
    assert response.status_code == 302
    assert response["Location"] == reverse("resets:notice")
    response = client.get("/accounts/password/reset/key/1-abc/")
    assert response["Location"] == reverse("resets:notice")


def test_allauth_password_change_explains_the_app_does_it(client, account):
    client.force_login(account.user)
    response = client.get("/accounts/password/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Change your password in the app" in html
    assert 'name="password1"' not in html


def test_unknown_page_gets_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_sign_in_form_errors_are_clear(client, account):
    response = client.post(reverse("account_login"), signin_data(account.user.email, "wrong-password"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "That e-mail address and Account Password do not match." in html
    assert "and/or" not in html
    assert "Keep me signed in on this device" in html and "Remember Me" not in html


def test_sign_in_with_the_auth_key_signs_in(client, account):
    response = client.post(reverse("account_login"), signin_data(account.user.email))
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_staff_sign_in_the_same_way(client):
    staff = UserFactory(email="staff@example.com", is_staff=True, password="Staff-Password-Long-1")
    response = client.post(reverse("account_login"), signin_data(staff.email, "Staff-Password-Long-1"))
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


@pytest.mark.parametrize(
    "data",
    [
        {"auth_key": ""},
        {"auth_key": "not-a-key"},
        {"auth_key": "", "password": DEFAULT_PASSWORD},
    ],
    ids=["missing", "malformed", "password-instead"],
)
def test_sign_in_without_a_valid_auth_key_says_javascript_is_needed(client, account, data):
    response = client.post(reverse("account_login"), {"login": account.user.email, **data})
    assert response.status_code == 200
    html = response.content.decode()
    assert NO_AUTH_KEY in html
    assert DEFAULT_PASSWORD not in html
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_never_names_the_password_input_nor_echoes_the_auth_key(client, account):
    response = client.post(reverse("account_login"), signin_data(account.user.email, "wrong-password"))
    html = response.content.decode()
    assert 'data-zk="signin"' in html
    assert re.search(r'<input type="password" id="id_password" data-zk-password', html)
    assert '<input type="hidden" name="auth_key" value="">' in html
    assert signin_data(account.user.email, "wrong-password")["auth_key"] not in html
    assert "needs JavaScript" in html


def test_reauthentication_takes_the_auth_key(client, account):
    client.force_login(account.user)
    page = client.get(reverse("account_reauthenticate"))
    assert 'data-zk="reauth"' in page.content.decode()
    assert f'data-zk-email="{account.user.email}"' in page.content.decode()

    wrong = client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for("wrong-password")})
    assert wrong.status_code == 200
    assert "incorrect" in wrong.content.decode().lower()
    missing = client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    assert NO_AUTH_KEY in missing.content.decode()

    right = client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for(DEFAULT_PASSWORD)})
    assert right.status_code == 302
