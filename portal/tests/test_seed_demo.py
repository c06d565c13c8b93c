import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_AGENT, DEMO_CUSTOMER, DEMO_SUPERVISOR
from accounts.models import Account, License, User, VaultItem

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_is_harmless(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert DEMO_CUSTOMER in first and DEMO_AGENT in first and DEMO_SUPERVISOR in first
    assert "already loaded" in second
    assert User.objects.filter(email=DEMO_CUSTOMER).count() == 1
    account = Account.objects.get(user__email=DEMO_CUSTOMER)
    assert account.license.plan == License.Plan.PREMIUM
    assert VaultItem.objects.filter(account=account).count() == 12
    assert User.objects.get(email=DEMO_AGENT).groups.filter(name="agent").exists()
    assert User.objects.get(email=DEMO_SUPERVISOR).groups.filter(name="supervisor").exists()
    from support.models import Ticket

    assert Ticket.objects.filter(email=DEMO_CUSTOMER).count() == 1


def test_demo_logins_sign_in_through_the_device_derivation():
    # Issue 13: the server stores a hash of the auth key, so the demo password works only through
    # pre-login → Argon2id → HKDF, exactly as a browser or app derives it.
    from rest_framework.test import APIClient

    from accounts.demo import DEMO_PASSWORD
    from accounts.kdf import KdfParams
    from vaultclient.crypto import AuthKdf, auth_key_derive

    call_command("seed_demo")
    api = APIClient()
    for email in (DEMO_CUSTOMER, DEMO_AGENT, DEMO_SUPERVISOR):
        user = User.objects.get(email=email)
        assert not user.check_password(DEMO_PASSWORD)
        params = api.post("/api/v1/prelogin/", {"email": email}, format="json").json()
        assert KdfParams.from_user(user).as_dict() == {k: v for k, v in params.items() if k != "kdf"}
        kdf = AuthKdf(**{k: v for k, v in params.items() if k != "kdf"})
        assert user.check_password(auth_key_derive(DEMO_PASSWORD, kdf))
    kdf = AuthKdf(**KdfParams.from_user(User.objects.get(email=DEMO_CUSTOMER)).as_dict())
    body = {
        "email": DEMO_CUSTOMER,
        "auth_key": auth_key_derive(DEMO_PASSWORD, kdf),
        "device_uid": "demo-cli-0001",
    }
    response = api.post("/api/v1/signin/", {**body, "device_name": "CLI", "platform": "cli"}, format="json")
    assert response.status_code in (200, 202), response.json()


def test_demo_staff_have_the_documented_authenticator_and_open_the_console(client):
    """Issue 15: the console needs a second factor; the demo staff's secret is in the README."""
    import pyotp
    from django.urls import reverse

    from accounts.demo import DEMO_STAFF_TOTP_SECRET
    from accounts.second_factors import second_factor_enrolled

    call_command("seed_demo")
    for email in (DEMO_AGENT, DEMO_SUPERVISOR):
        assert second_factor_enrolled(User.objects.get(email=email))
    assert not second_factor_enrolled(User.objects.get(email=DEMO_CUSTOMER))
    from pathlib import Path

    assert DEMO_STAFF_TOTP_SECRET in (Path(__file__).resolve().parents[2] / "README.md").read_text()
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.get(user__email=DEMO_AGENT, type="totp")
    assert TOTP(authenticator).validate_code(pyotp.TOTP(DEMO_STAFF_TOTP_SECRET).now())
    client.force_login(User.objects.get(email=DEMO_AGENT))
    assert client.get(reverse("support:dashboard")).status_code == 200


def test_seed_demo_refuses_where_demo_data_is_not_allowed(settings):
    """Demo logins have a published password and authenticator secret (README): production
    (DEMO_DATA_ALLOWED off) refuses to create them."""
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        call_command("seed_demo")
    assert not User.objects.filter(email__in=[DEMO_CUSTOMER, DEMO_AGENT, DEMO_SUPERVISOR]).exists()
