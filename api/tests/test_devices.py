from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.kdf import kdf_default
from accounts.models import Account, AccountKeyVerifier, Device, SecurityEvent, User
from accounts.tests.factories import DEFAULT_PASSWORD, TEST_KDF, AccountFactory, DeviceFactory, auth_key_for
from api.models import OwnershipChallenge
from vaultclient import crypto

pytestmark = pytest.mark.django_db

SIGNIN = "/api/v1/signin/"


def signin(api, account, *, device_uid="device-uid-0001", password=DEFAULT_PASSWORD, **device):
    device = {"device_name": "Laptop", "platform": "linux", **device}
    return api.post(
        SIGNIN,
        {
            "email": account.user.email,
            "auth_key": auth_key_for(password),
            "device_uid": device_uid,
            **device,
        },
        format="json",
    )


def signup_body(email: str, password: str, **extra) -> dict:
    kdf = kdf_default()
    return {"email": email, "auth_key": auth_key_for(password, kdf), "kdf": kdf.as_dict(), **extra}


def test_signup_creates_account_and_is_silent_about_taken_addresses(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    body = signup_body("new@example.com", "Plum-Orbit-Seven-77", hint="fruit")
    other = signup_body("new@example.com", "Other-Pass-Word-88", hint="fruit")
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/signup/", body, format="json")
        second = api.post("/api/v1/signup/", other, format="json")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert Account.objects.filter(user__email="new@example.com").count() == 1
    # Each attempt e-mails the address: first the verification link, then "someone tried".
    assert [m.to for m in mailoutbox] == [["new@example.com"], ["new@example.com"]]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert mailoutbox[1].subject == "[Vault] Someone tried to sign up with your e-mail address"
    assert body["auth_key"] not in mailoutbox[0].body + mailoutbox[1].body
    user = User.objects.get(email="new@example.com")
    assert user.check_password(body["auth_key"]) and user.kdf_salt == body["kdf"]["salt"]
    assert user.account.password_hint == "fruit"


# Zero-knowledge (issue 13): the password rules run on the device; the server refuses a password,
# a missing or malformed auth key and parameters below the floor, each with its own clear error.
@pytest.mark.parametrize(
    "change, code, words",
    [
        ({"password": "Plum-Orbit-Seven-77"}, "password_not_accepted", "never the password"),
        ({"auth_key": None}, "auth_key_missing", "auth_key is missing"),
        ({"auth_key": "Plum-Orbit-Seven-77"}, "auth_key_invalid", "43 characters"),
        ({"auth_key": "A" * 43 + "="}, "auth_key_invalid", "43 characters"),
        ({"kdf": {**TEST_KDF.as_dict(), "memory_kib": 1024}}, "kdf_too_weak", "memory_kib must be at least"),
        ({"kdf": {**TEST_KDF.as_dict(), "iterations": 1}}, "kdf_too_weak", "iterations must be at least 3"),
        ({"kdf": {**TEST_KDF.as_dict(), "parallelism": 64}}, "kdf_too_costly", "at most 8"),
        ({"kdf": {**TEST_KDF.as_dict(), "salt": "c2hvcnQ"}}, "kdf_invalid", "16 random bytes"),
        ({"kdf": "argon2id"}, "kdf_missing", "missing"),
        ({"kdf": None}, "kdf_missing", "missing"),
        ({"hint": "h" * 201}, "hint_invalid", "at most 200 characters"),
        ({"password_hint": "h" * 201}, "hint_invalid", "at most 200 characters"),
    ],
)
def test_signup_refuses_password_missing_malformed_key_and_weak_parameters(api, change, code, words):
    body = {**signup_body("w@example.com", "Plum-Orbit-Seven-77"), **change}
    body = {k: v for k, v in body.items() if v is not None}
    response = api.post("/api/v1/signup/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"] == code and words in response.json()["detail"]
    assert not User.objects.filter(email="w@example.com").exists()


def test_signin_refuses_a_password_with_a_clear_error(api, account):
    body = {"email": account.user.email, "password": DEFAULT_PASSWORD, "device_uid": "device-uid-0001"}
    response = api.post(SIGNIN, {**body, "device_name": "L", "platform": "p"}, format="json")
    assert response.status_code == 400 and response.json()["error"] == "password_not_accepted"


def test_signin_asks_an_account_with_old_parameters_to_upgrade(api, account, settings):
    assert signin(api, account).json()["kdf_upgrade"] is False
    settings.AUTH_KDF_DEFAULT = {"iterations": 4, "memory_kib": 65536, "parallelism": 1}
    assert signin(api, account).json()["kdf_upgrade"] is True


def test_wrong_password_and_unknown_email_look_the_same(api, account):
    wrong = signin(api, account, password="not-the-password-1")
    unknown = api.post(
        SIGNIN,
        {
            "email": "nobody@example.com",
            "auth_key": auth_key_for("x" * 12),
            "device_uid": "device-uid-0001",
            "device_name": "L",
            "platform": "p",
        },
        format="json",
    )
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "error": "invalid_credentials",
            "detail": "The e-mail address or the password is wrong.",
        }
    )
    assert account.security_events.filter(type=SecurityEvent.Type.SIGN_IN_FAILED).exists()


def test_signin_is_rate_limited_per_address(api, account, settings):
    for _ in range(10):
        signin(api, account, password="wrong-password-00")
    response = signin(api, account)
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited" and response["Retry-After"]


# The device list of the account page, the reset link page and the console shows these names:
# a text-direction override could reorder the text around them (security.md, section 9).
@pytest.mark.parametrize(
    "field, value",
    [
        ("device_name", "Dana's phone \u202e\u2066moc.elpmaxe\u2069"),
        ("device_name", "Laptop\u200b"),
        ("platform", "ios\u2067"),
    ],
)
def test_signin_refuses_a_device_name_with_hidden_characters(api, account, field, value):
    response = signin(api, account, **{field: value})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert body["detail"].startswith(f"{field}: ") and "invisible formatting characters" in body["detail"]
    assert not Device.objects.filter(account=account).exists()


def test_signin_keeps_a_device_name_in_any_script(api, account):
    name = "הטלפון של דנה 👩\u200d💻"
    assert signin(api, account, device_name=name).status_code == 202
    assert Device.objects.get(account=account).name == name


def test_new_account_needs_key_setup(api):
    account = AccountFactory()
    response = signin(api, account)
    assert response.status_code == 202
    assert response.json()["status"] == "account_key_setup_required"
    assert response.json()["challenge"] is None


def test_new_device_gets_a_challenge_and_known_device_a_token(api, account):
    response = signin(api, account)
    body = response.json()
    assert response.status_code == 202 and body["status"] == "owner_verification_required"
    assert body["challenge"]["value"] and body["device_token"]
    device = Device.objects.get(account=account, device_uid="device-uid-0001")
    assert device.authorized_at is None
    Device.objects.filter(pk=device.pk).update(authorized_at=timezone.now())
    again = signin(api, account)
    assert again.status_code == 200 and again.json()["status"] == "authorized"
    assert Device.objects.filter(account=account).count() == 1


def _verify(api, account, account_key, body, *, device_uid="device-uid-0001", challenge=None):
    challenge = challenge or body["challenge"]["value"]
    signature = crypto.ownership_sign(
        account_key=account_key, account_id=account.account_id, device_uid=device_uid, challenge=challenge
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['device_token']}")
    return api.post(
        "/api/v1/devices/verify/", {"challenge": challenge, "signature": signature}, format="json"
    )


def test_ownership_proof_authorises_the_device(api, account, account_key):
    body = signin(api, account).json()
    response = _verify(api, account, account_key, body)
    assert response.status_code == 200, response.json()
    assert Device.objects.get(device_uid="device-uid-0001").authorized_at is not None
    assert api.get("/api/v1/vault/items/", {"generation": 1}).status_code == 200


def test_challenge_is_single_use(api, account, account_key):
    body = signin(api, account).json()
    assert _verify(api, account, account_key, body).status_code == 200
    replay = _verify(api, account, account_key, body)
    assert replay.status_code == 409 and replay.json()["error"] == "challenge_used"


def test_challenge_expires(api, account, account_key):
    body = signin(api, account).json()
    OwnershipChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _verify(api, account, account_key, body)
    assert response.status_code == 410 and response.json()["error"] == "challenge_expired"


def test_wrong_key_is_refused_and_spends_the_challenge(api, account):
    body = signin(api, account).json()
    response = _verify(api, account, b"x" * 32, body)
    assert response.status_code == 403 and response.json()["error"] == "signature_invalid"
    assert _verify(api, account, b"x" * 32, body).json()["error"] == "challenge_used"


def test_obsolete_qr_names_both_generations(api, account, account_key):
    AccountKeyVerifier.objects.filter(account=account).update(obsoleted_at=timezone.now())
    Account.objects.filter(pk=account.pk).update(key_generation=2)
    AccountKeyVerifier.objects.create(
        account=account, generation=2, public_key=crypto.verifier_public(b"n" * 32)
    )
    body = signin(api, account).json()
    response = _verify(api, account, account_key, body)
    assert response.status_code == 409
    data = response.json()
    assert data["error"] == "qr_obsolete"
    assert data["qr_generation"] == 1 and data["current_generation"] == 2
    assert "generation 1" in data["detail"] and "generation 2" in data["detail"]


def test_key_setup_stores_verifier_obsoletes_old_and_emails_qr(
    api, payload_for, django_capture_on_commit_callbacks
):
    account = AccountFactory(key_generation=3)
    AccountKeyVerifier.objects.create(account=account, generation=2, public_key=b"o" * 32)
    body = signin(api, account).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['device_token']}")
    payload = payload_for(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/account/key/",
            {
                "generation": 3,
                "verifier": crypto.b64url(crypto.verifier_public(b"k" * 32)),
                "encrypted_account_key": payload,
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    live = AccountKeyVerifier.objects.get(account=account, obsoleted_at__isnull=True)
    assert live.generation == 3
    assert AccountKeyVerifier.objects.get(generation=2).obsoleted_at is not None
    assert Device.objects.get(account=account).authorized_at is not None
    [message] = mail.outbox
    assert "generation 3" in message.subject
    assert payload in message.body
    assert account.account_id in message.body and "Delete every older QR code" in message.body
    assert "cid:account-key-qr" in message.alternatives[0][0]
    again = api.post(
        "/api/v1/account/key/",
        {"generation": 3, "verifier": crypto.b64url(b"z" * 32), "encrypted_account_key": payload},
        format="json",
    )
    assert again.status_code == 409 and again.json()["error"] == "account_key_exists"


def test_key_setup_refuses_a_payload_for_another_account_or_generation(api, payload_for):
    account = AccountFactory(key_generation=2)
    body = signin(api, account).json()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {body['device_token']}")
    verifier = crypto.b64url(b"v" * 32)
    other = api.post(
        "/api/v1/account/key/",
        {"generation": 2, "verifier": verifier, "encrypted_account_key": payload_for(AccountFactory())},
        format="json",
    )
    assert other.json()["error"] == "payload_invalid"
    old = api.post(
        "/api/v1/account/key/",
        {"generation": 1, "verifier": verifier, "encrypted_account_key": payload_for(account, generation=1)},
        format="json",
    )
    assert old.status_code == 409 and old.json()["error"] == "generation_obsolete"
    garbage = api.post(
        "/api/v1/account/key/",
        {"generation": 2, "verifier": verifier, "encrypted_account_key": "hello"},
        format="json",
    )
    assert garbage.json()["error"] == "payload_invalid"
    assert not mail.outbox


def test_sign_out_this_device_and_another(authed, device, account):
    other = DeviceFactory(account=account)
    response = authed.post(f"/api/v1/devices/{other.pk}/signout/")
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.revoked_reason == Device.RevokedReason.SIGNED_OUT
    assert authed.post(f"/api/v1/devices/{DeviceFactory().pk}/signout/").status_code == 404
    assert authed.post("/api/v1/signout/").status_code == 200
    assert authed.get("/api/v1/account/").json()["error"] == "device_signed_out"


def test_the_device_list_shows_signed_in_devices_first_and_stops_at_its_limit(authed, device, settings):
    settings.API_DEVICES_LISTED = 3
    long_ago = timezone.now() - timedelta(days=400)
    Device.objects.filter(pk=device.pk).update(last_seen_at=long_ago)
    signed_out = [
        DeviceFactory(account=device.account, revoked_at=timezone.now() - timedelta(days=n)) for n in range(3)
    ]
    listed = [row["id"] for row in authed.get("/api/v1/devices/").json()]
    assert listed == [device.pk, signed_out[0].pk, signed_out[1].pk]


def test_the_device_list_costs_the_same_queries_with_1_or_30_devices(authed, device, page_queries):
    DeviceFactory(account=device.account)
    small = page_queries(authed, "/api/v1/devices/")
    for _ in range(29):
        DeviceFactory(account=device.account, revoked_at=timezone.now())
    assert page_queries(authed, "/api/v1/devices/") == small
