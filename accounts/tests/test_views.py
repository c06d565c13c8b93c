import pytest
from django.urls import reverse

from accounts.models import Device, SecurityEvent
from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, DeviceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return AccountFactory()


def test_account_page_shows_id_licence_devices_generation_and_events(client, account):
    device = DeviceFactory(account=account, name="Work laptop")
    client.post(reverse("account_login"), {"login": account.user.email, "password": DEFAULT_PASSWORD})
    html = client.get(reverse("accounts:home")).content.decode()
    assert account.account_id in html
    assert "Premium" in html
    assert device.name in html
    assert "Key generation" in html
    assert "Signed in on the web" in html


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
    response = client.post(
        reverse("account_login"), {"login": account.user.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
