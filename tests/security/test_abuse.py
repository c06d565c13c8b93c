# One piece (over 300 lines): every abuse scenario against the public endpoints, sharing its timing helpers.
"""Abuse: enumeration by timing, rate limits from many IPs, tampering with a reset, fixation.

Timing tests measure both paths with many interleaved samples and require the distributions
to overlap (as resets/tests/test_views.py does for the reset request).
"""

import statistics
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.kdf import kdf_default
from accounts.models import Account
from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, VaultItemFactory, auth_key_for
from accounts.tests.zk import new_password_data, signin_data
from mailer.models import OutboundEmail
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db


def _overlap(samples: dict[str, list[float]]) -> None:
    (name_a, a), (name_b, b) = ((k, sorted(v)) for k, v in samples.items())
    q = len(a) // 4
    assert a[q] <= b[-q - 1] and b[q] <= a[-q - 1], (name_a, a, name_b, b)
    assert 0.67 < statistics.median(a) / statistics.median(b) < 1.5, (name_a, a, name_b, b)


def _measure(send, pairs, rounds=40) -> dict[str, list[float]]:
    for _ in range(5):  # warm up
        send(pairs[0][1])
        send(pairs[1][1])
    samples = {label: [] for label, _ in pairs}
    for i in range(rounds):
        for label, value in pairs if i % 2 else pairs[::-1]:
            start = time.perf_counter()
            send(value)
            samples[label].append(time.perf_counter() - start)
    return samples


def test_hint_request_timing_does_not_depend_on_the_address_being_known(settings):
    settings.RESET_RATE_LIMIT_PER_ADDRESS = "10000/h"
    settings.RESET_RATE_LIMIT_PER_IP = "10000/h"
    account = AccountFactory()
    client = Client()
    url = reverse("resets:hint")
    samples = _measure(
        lambda email: client.post(url, {"hint-email": email}),
        [("known", account.user.email), ("unknown", "nobody-here@example.com")],
    )
    _overlap(samples)


@pytest.fixture
def unthrottled_api_sign_in(monkeypatch, settings):
    from api.throttles import SignInEmailThrottle, SignInIPThrottle

    settings.ACCOUNT_RATE_LIMITS = False  # wrong passwords also count in the web's limit (§10)
    for throttle in (SignInEmailThrottle, SignInIPThrottle):
        monkeypatch.setattr(throttle, "allow_request", lambda self, request, view: True)


def test_api_sign_in_timing_does_not_depend_on_the_address_being_known(queue_only, unthrottled_api_sign_in):
    account = AccountFactory()
    api = APIClient()
    device = {"device_uid": "timing-device-01", "device_name": "Phone", "platform": "ios"}

    def send(email):
        body = {"email": email, "auth_key": auth_key_for("wrong-Password-123"), **device}
        response = api.post(reverse("api:signin"), body, format="json")
        assert response.status_code == 401, response.json()

    _overlap(_measure(send, [("known", account.user.email), ("unknown", "nobody-here@example.com")]))


@pytest.fixture
def unthrottled_prelogin(monkeypatch):
    from api.throttles import PreloginEmailThrottle, PreloginIPThrottle

    for throttle in (PreloginEmailThrottle, PreloginIPThrottle):
        monkeypatch.setattr(throttle, "allow_request", lambda self, request, view: True)


def test_prelogin_timing_does_not_depend_on_the_address_being_known(unthrottled_prelogin):
    account = AccountFactory()
    api = APIClient()

    def send(email):
        response = api.post(reverse("api:prelogin"), {"email": email}, format="json")
        assert response.status_code == 200, response.json()

    _overlap(_measure(send, [("known", account.user.email), ("unknown", "nobody-here@example.com")]))


def test_prelogin_answers_known_and_unknown_addresses_with_the_same_status_and_shape():
    account = AccountFactory()
    api = APIClient()
    known = api.post(reverse("api:prelogin"), {"email": account.user.email}, format="json")
    unknown = api.post(reverse("api:prelogin"), {"email": "nobody-here@example.com"}, format="json")
    again = api.post(reverse("api:prelogin"), {"email": "Nobody-Here@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 200
    assert known["Content-Type"] == unknown["Content-Type"]
    k, u = known.json(), unknown.json()
    assert list(k) == list(u) == ["kdf", "salt", "iterations", "memory_kib", "parallelism"]
    assert {key: type(v) for key, v in k.items()} == {key: type(v) for key, v in u.items()}
    assert len(k["salt"]) == len(u["salt"]) == 22 and k["salt"] != u["salt"]
    assert {key: v for key, v in k.items() if key != "salt"} == {
        key: v for key, v in u.items() if key != "salt"
    }
    assert again.json() == u  # stable: asking twice tells nothing either
    assert k["salt"] == account.user.kdf_salt


def test_prelogin_is_rate_limited_per_address_from_many_ips():
    statuses = [
        APIClient()
        .post(
            reverse("api:prelogin"),
            {"email": "target@example.com"},
            format="json",
            REMOTE_ADDR=f"203.0.113.{i + 1}",
        )
        .status_code
        for i in range(22)
    ]
    assert statuses[:20] == [200] * 20 and statuses[20:] == [429, 429]


def test_prelogin_is_rate_limited_per_ip_across_addresses():
    api = APIClient()
    statuses = [
        api.post(reverse("api:prelogin"), {"email": f"a{i}@example.com"}, format="json").status_code
        for i in range(61)
    ]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    assert api.post(reverse("api:prelogin"), {"email": "x@example.com"}, format="json").json()["error"] == (
        "rate_limited"
    )


def test_web_sign_in_timing_does_not_depend_on_the_address_being_known(settings):
    settings.ACCOUNT_RATE_LIMITS = False
    account = AccountFactory()
    client = Client()
    url = reverse("account_login")

    def send(email):
        response = client.post(url, signin_data(email, "wrong-Password-123"))
        assert response.status_code == 200  # the form again, with one message for both cases

    _overlap(_measure(send, [("known", account.user.email), ("unknown", "nobody-here@example.com")]))


# --- Rate limits from many IPs ----------------------------------------------------------------


def test_per_address_limit_holds_when_every_request_comes_from_another_ip(settings):
    settings.RESET_RATE_LIMIT_PER_ADDRESS = "3/h"
    account = AccountFactory()
    statuses = [
        Client()
        .post(
            reverse("resets:request") if i % 2 else reverse("resets:hint"),
            {"email": account.user.email, "hint-email": account.user.email},
            REMOTE_ADDR=f"203.0.113.{i + 1}",
        )
        .status_code
        for i in range(8)
    ]
    assert statuses == [302, 302, 302, 429, 429, 429, 429, 429]
    assert OutboundEmail.objects.filter(to=account.user.email).count() == 3


@pytest.mark.parametrize("proxies", [0, 1])
def test_per_ip_limit_holds_across_many_addresses_and_forged_forwarded_for(settings, proxies):
    """A client cannot pose as many IPs: X-Forwarded-For entries it wrote are not trusted."""
    settings.RESET_RATE_LIMIT_PER_IP = "3/h"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    statuses = []
    for i in range(6):
        # With one trusted proxy, the proxy appends the real client (198.51.100.9) last.
        forged = f"10.0.0.{i}, 192.0.2.{i}" + (", 198.51.100.9" if proxies else "")
        statuses.append(
            Client()
            .post(
                reverse("resets:request"),
                {"email": f"someone{i}@example.com"},
                REMOTE_ADDR="198.51.100.9" if not proxies else "10.9.9.9",
                HTTP_X_FORWARDED_FOR=forged,
            )
            .status_code
        )
    assert statuses == [302, 302, 302, 429, 429, 429]


def test_api_sign_in_per_address_limit_holds_from_many_ips():
    account = AccountFactory()
    device = {"device_uid": "spread-device-01", "device_name": "Phone", "platform": "ios"}
    statuses = [
        APIClient()
        .post(
            reverse("api:signin"),
            {"email": account.user.email, "auth_key": auth_key_for(f"guess-{i}-Password"), **device},
            format="json",
            REMOTE_ADDR=f"203.0.113.{i + 1}",
        )
        .status_code
        for i in range(12)
    ]
    # Five wrong passwords per address, web and API together (allauth's login_failed, §10 item 6).
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429] * 7
    right = APIClient().post(
        reverse("api:signin"),
        {"email": account.user.email, "auth_key": auth_key_for(DEFAULT_PASSWORD), **device},
        format="json",
        REMOTE_ADDR="203.0.113.200",
    )
    assert right.status_code == 429  # even the right password waits: guesses were spread over IPs


# --- A reset cannot be completed for another account --------------------------------------------

NEW_PASSWORD = "Tampered-Passphrase-6620"


def _complete_data(confirm_email: str, **extra) -> dict:
    return {
        **new_password_data(NEW_PASSWORD),
        "hint": "",
        "confirm_email": confirm_email,
        "confirm_erase": "on",
        **extra,
    }


def _untouched(account: Account, items: int) -> None:
    account.refresh_from_db()
    account.user.refresh_from_db()
    assert account.user.check_password(auth_key_for(DEFAULT_PASSWORD))
    assert account.key_generation == 1 and account.vault_items.count() == items


def test_session_of_account_a_with_fields_naming_account_b_resets_nothing_of_b():
    attacker, victim = AccountFactory(), AccountFactory()
    VaultItemFactory.create_batch(2, account=victim)
    attacker_request, attacker_token, _ = pending_reset(attacker)
    victim_request, victim_token, victim_cancel = pending_reset(victim)
    client = Client()
    client.get(reverse("resets:link_token", args=[attacker_token]))
    tampered = _complete_data(
        victim.user.email,
        account=victim.pk,
        account_id=victim.account_id,
        user=victim.user.pk,
        email=victim.user.email,
        token=victim_token,
        reset_request=victim_request.pk,
        pk=victim_request.pk,
    )
    response = client.post(
        reverse("resets:link") + f"?token={victim_token}&account_id={victim.account_id}", tampered
    )
    assert response.status_code == 400
    assert "not the e-mail address of the account being reset" in response.content.decode()
    _untouched(victim, 2)
    _untouched(attacker, 0)
    # The same fields with the attacker's own address reset the attacker only, never the victim.
    response = client.post(reverse("resets:link"), {**tampered, "confirm_email": attacker.user.email})
    assert response.status_code == 302
    _untouched(victim, 2)
    victim_request.refresh_from_db()
    assert victim_request.state == ResetRequest.State.REQUESTED
    attacker.user.refresh_from_db()
    assert attacker.user.check_password(auth_key_for(NEW_PASSWORD))


def test_a_cancel_token_in_the_reset_slot_or_a_token_in_the_form_opens_nothing():
    victim = AccountFactory()
    _, _, victim_cancel = pending_reset(victim)
    client = Client()
    client.get(reverse("resets:link_token", args=[victim_cancel]))
    assert client.post(reverse("resets:link"), _complete_data(victim.user.email)).status_code == 410
    assert (
        Client()
        .post(reverse("resets:link"), _complete_data(victim.user.email, token=victim_cancel))
        .status_code
        == 410
    )
    _untouched(victim, 0)


# --- Session fixation ------------------------------------------------------------------------


def test_reset_completion_discards_the_session_it_ran_in():
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    client = Client()
    client.get(reverse("resets:link_token", args=[token]))
    fixed = client.cookies["sessionid"].value
    response = client.post(reverse("resets:link"), _complete_data(account.user.email))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=fixed).exists()
    assert client.cookies["sessionid"].value != fixed


def test_sign_in_with_a_planted_session_key_gets_a_new_one():
    account = AccountFactory()
    client = Client()
    client.get(reverse("account_login"))
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    client.cookies["sessionid"] = planted
    client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    assert client.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()


def test_a_password_change_from_the_app_ends_the_web_sessions(queue_only):
    """Django ties each session to the password hash: the change signs every browser out."""
    from accounts.tests.factories import VerifierFactory
    from api.tests.factories import device_with_token
    from vaultclient import crypto

    account = AccountFactory()
    account_key = crypto.account_key_new()
    VerifierFactory(account=account, public_key=crypto.verifier_public(account_key))
    device_with_token("app-token-for-change", account=account)
    browser = Client()
    browser.force_login(account.user)
    assert browser.get(reverse("accounts:home")).status_code == 200
    payload = crypto.payload_seal(
        account_key=account_key,
        password="Fresh-Lantern-Harbour-3190",
        account_id=account.account_id,
        generation=account.key_generation,
        kdf=crypto.KdfParams(time_cost=2, memory_kib=19_456, parallelism=1),
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer app-token-for-change")
    new_kdf = kdf_default()
    changed = api.post(
        reverse("api:password-change"),
        {
            "current_auth_key": auth_key_for(DEFAULT_PASSWORD),
            "new_auth_key": auth_key_for("Fresh-Lantern-Harbour-3190", new_kdf),
            "new_kdf": new_kdf.as_dict(),
            "encrypted_account_key": payload,
        },
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    response = browser.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("verified", "signs_in"), [(True, True), (False, False)])
def test_sign_in_with_an_extra_address_needs_it_verified(verified, signs_in):
    from allauth.account.models import EmailAddress

    account = AccountFactory()
    EmailAddress.objects.create(user=account.user, email="second@example.com", verified=verified)
    client = Client()
    client.post(reverse("account_login"), signin_data("Second@Example.com", DEFAULT_PASSWORD))
    assert ("_auth_user_id" in client.session) is signs_in
