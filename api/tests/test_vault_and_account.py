import uuid

import pytest
from django.core import mail
from django.utils import timezone

from accounts.kdf import KdfParams, kdf_default
from accounts.models import Account, Device, VaultItem
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_KDF,
    DeviceFactory,
    VaultItemFactory,
    auth_key_for,
)
from resets.models import ResetRequest
from resets.selectors import credential_stamp_of
from vaultclient import crypto

pytestmark = pytest.mark.django_db

ITEMS = "/api/v1/vault/items/"


def item_body(generation=1, size=64, **extra):
    return {
        "item_id": str(uuid.uuid4()),
        "ciphertext": crypto.b64url(b"c" * size),
        "nonce": crypto.b64url(b"n" * 12),
        "generation": generation,
        **extra,
    }


def test_create_update_delete_and_incremental_sync(authed, account):
    first = authed.post(ITEMS, item_body(), format="json")
    assert first.status_code == 201
    item_id = first.json()["item_id"]
    second = authed.post(ITEMS, item_body(), format="json").json()
    sync = authed.get(ITEMS, {"generation": 1}).json()
    assert [i["revision"] for i in sync["items"]] == [1, 2] and sync["cursor"] == 2 and not sync["more"]

    updated = authed.put(
        f"{ITEMS}{item_id}/",
        {"ciphertext": crypto.b64url(b"new"), "nonce": crypto.b64url(b"m" * 12), "generation": 1},
        format="json",
    )
    assert updated.status_code == 200 and updated.json()["revision"] == 3
    deleted = authed.delete(f"{ITEMS}{second['item_id']}/", {"generation": 1}, format="json")
    assert deleted.json()["deleted"] is True
    changes = authed.get(ITEMS, {"generation": 1, "since": 2}).json()
    assert [(i["revision"], i["deleted"]) for i in changes["items"]] == [(3, False), (4, True)]
    assert changes["cursor"] == 4
    assert authed.get(ITEMS, {"generation": 1, "since": 4}).json()["items"] == []
    assert Account.objects.get(pk=account.pk).vault_revision == 4


def test_sync_pages(authed, account, settings):
    settings.API_VAULT_PAGE_SIZE = 2
    for _ in range(3):
        authed.post(ITEMS, item_body(), format="json")
    page = authed.get(ITEMS, {"generation": 1}).json()
    assert len(page["items"]) == 2 and page["more"] and page["cursor"] == 2
    rest = authed.get(ITEMS, {"generation": 1, "since": page["cursor"]}).json()
    assert len(rest["items"]) == 1 and not rest["more"]


def test_a_cursor_ahead_of_the_vault_comes_back_as_the_vault_revision(authed, account):
    """Keeping a cursor past the vault's revision would skip every write until the vault caught up."""
    authed.post(ITEMS, item_body(), format="json")
    ahead = authed.get(ITEMS, {"generation": 1, "since": 1000}).json()
    assert ahead["items"] == [] and not ahead["more"] and ahead["cursor"] == 1
    authed.post(ITEMS, item_body(), format="json")
    assert len(authed.get(ITEMS, {"generation": 1, "since": ahead["cursor"]}).json()["items"]) == 1


def test_writes_and_sync_from_an_older_generation_are_refused(authed, account):
    Account.objects.filter(pk=account.pk).update(key_generation=2)
    response = authed.post(ITEMS, item_body(generation=1), format="json")
    assert response.status_code == 409
    assert response.json()["error"] == "generation_obsolete" and response.json()["current_generation"] == 2
    assert authed.get(ITEMS, {"generation": 1}).json()["error"] == "generation_obsolete"
    assert authed.post(ITEMS, item_body(generation=5), format="json").status_code == 422


def test_size_and_count_limits(authed, account, settings):
    settings.API_VAULT_ITEM_MAX_BYTES = 100
    big = authed.post(ITEMS, item_body(size=101), format="json")
    assert big.status_code == 413 and big.json()["error"] == "item_too_large"
    settings.API_VAULT_MAX_ITEMS = 1
    assert authed.post(ITEMS, item_body(), format="json").status_code == 201
    full = authed.post(ITEMS, item_body(), format="json")
    assert full.status_code == 422 and full.json()["error"] == "vault_full"
    assert "maximum of 1 items" in full.json()["detail"]


def test_conflicts_and_missing_items(authed, account):
    body = item_body()
    authed.post(ITEMS, body, format="json")
    assert authed.post(ITEMS, body, format="json").json()["error"] == "item_exists"
    stale = authed.put(f"{ITEMS}{body['item_id']}/", {**body, "base_revision": 0}, format="json")
    assert stale.status_code == 409 and stale.json()["error"] == "revision_conflict"
    missing = authed.put(f"{ITEMS}{uuid.uuid4()}/", body, format="json")
    assert missing.status_code == 404 and missing.json()["error"] == "item_not_found"


def test_other_accounts_items_are_invisible(authed, account):
    VaultItemFactory()
    assert authed.get(ITEMS, {"generation": 1}).json()["items"] == []


def test_backup_check(authed, account):
    Account.objects.filter(pk=account.pk).update(key_generation=2)
    current = authed.post(
        "/api/v1/backups/check/", {"account_id": account.account_id, "generation": 2}, format="json"
    )
    assert current.json()["status"] == "current"
    old = authed.post(
        "/api/v1/backups/check/", {"account_id": account.account_id, "generation": 1}, format="json"
    )
    assert old.json()["status"] == "obsolete" and "obsolete" in old.json()["detail"]
    other = authed.post(
        "/api/v1/backups/check/", {"account_id": "ABCDEFGHJK", "generation": 2}, format="json"
    )
    assert other.status_code == 422 and other.json()["error"] == "account_mismatch"


def test_backup_check_refuses_a_generation_the_account_never_had(authed, account):
    """A backup "of generation 9" on an account at generation 1 is not obsolete: it cannot exist."""
    future = authed.post(
        "/api/v1/backups/check/", {"account_id": account.account_id, "generation": 9}, format="json"
    )
    assert future.status_code == 422 and future.json()["error"] == "generation_invalid"


def test_licence_and_account_status(authed, account):
    licence = authed.get("/api/v1/licence/").json()
    assert licence["plan"] == "premium" and licence["status"] == "active"
    status = authed.get("/api/v1/account/").json()
    assert status["account_id"] == account.account_id
    assert status["generation"] == 1 and status["has_account_key"] is True
    assert status["pending_reset"] is None
    ResetRequest.objects.create(
        account=account,
        nonce="n",
        token_hash="a" * 64,
        cancel_token_hash="b" * 64,
        expires_at=timezone.now() + timezone.timedelta(hours=1),
        credential_stamp=credential_stamp_of(account),
    )
    assert authed.get("/api/v1/account/").json()["pending_reset"]["state"] == "requested"


def test_an_unlocked_app_cancels_the_pending_reset_once(authed, account):
    from resets.models import ResetRequest as Request

    pending = Request.objects.create(
        account=account,
        nonce="n",
        token_hash="c" * 64,
        cancel_token_hash="d" * 64,
        expires_at=timezone.now() + timezone.timedelta(hours=1),
        credential_stamp=credential_stamp_of(account),
    )
    response = authed.delete("/api/v1/account/reset-request/")
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.state == Request.State.CANCELLED
    assert pending.events.filter(state="cancelled", details__via="app").exists()
    assert authed.get("/api/v1/account/").json()["pending_reset"] is None
    again = authed.delete("/api/v1/account/reset-request/")
    assert again.status_code == 404 and again.json()["error"] == "no_pending_reset"


def test_resend_qr(authed, account, payload_for, django_capture_on_commit_callbacks):
    payload = payload_for(account)
    with django_capture_on_commit_callbacks(execute=True):
        response = authed.post("/api/v1/account/key/qr/", {"encrypted_account_key": payload}, format="json")
    assert response.status_code == 202
    [message] = mail.outbox
    assert payload in message.body and message.to == [account.user.email]


def test_change_password_keeps_vault_signs_out_others_and_emails_qr(
    authed, account, device, payload_for, django_capture_on_commit_callbacks
):
    VaultItemFactory(account=account)
    other = DeviceFactory(account=account)
    new = "Quartz-Lantern-Ninety-9"
    payload = payload_for(account, password=new)
    new_kdf = kdf_default()
    with django_capture_on_commit_callbacks(execute=True):
        response = authed.post(
            "/api/v1/account/password/",
            {
                "current_auth_key": auth_key_for(DEFAULT_PASSWORD),
                "new_auth_key": auth_key_for(new, new_kdf),
                "new_kdf": new_kdf.as_dict(),
                "encrypted_account_key": payload,
            },
            format="json",
        )
    assert response.status_code == 200, response.json()
    account.user.refresh_from_db()
    assert account.user.check_password(auth_key_for(new, new_kdf))
    assert KdfParams.from_user(account.user) == new_kdf
    other.refresh_from_db()
    assert other.revoked_reason == Device.RevokedReason.PASSWORD_CHANGED
    assert VaultItem.objects.filter(account=account).count() == 1
    assert authed.get("/api/v1/account/").status_code == 200
    assert len(mail.outbox) == 1 and payload in mail.outbox[0].body


def test_change_password_refuses_wrong_current_and_weak_new(authed, account, payload_for):
    # Issue 13: the strength of the new password is checked on the device; the server refuses
    # a password, weak parameters and a reused salt.
    payload = payload_for(account)
    new_kdf = kdf_default()
    body = {
        "current_auth_key": auth_key_for("wrong-password-xx"),
        "new_auth_key": auth_key_for("Quartz-Lantern-99", new_kdf),
        "new_kdf": new_kdf.as_dict(),
        "encrypted_account_key": payload,
    }
    wrong = authed.post("/api/v1/account/password/", body, format="json")
    assert wrong.status_code == 403 and wrong.json()["error"] == "invalid_credentials"
    body["current_auth_key"] = auth_key_for(DEFAULT_PASSWORD)
    weak = authed.post(
        "/api/v1/account/password/",
        {**body, "new_kdf": {**new_kdf.as_dict(), "memory_kib": 19456}},
        format="json",
    )
    assert weak.json()["error"] == "kdf_too_weak"
    reused = authed.post("/api/v1/account/password/", {**body, "new_kdf": TEST_KDF.as_dict()}, format="json")
    assert reused.json()["error"] == "kdf_salt_reused"
    no_kdf = {name: value for name, value in body.items() if name != "new_kdf"}
    assert authed.post("/api/v1/account/password/", no_kdf, format="json").json()["error"] == "kdf_missing"
    long_hint = authed.post("/api/v1/account/password/", {**body, "hint": "h" * 201}, format="json")
    assert long_hint.status_code == 400 and long_hint.json()["error"] == "hint_invalid"
    clear = authed.post(
        "/api/v1/account/password/",
        {"current_password": DEFAULT_PASSWORD, "new_password": "Quartz-Lantern-99", "payload": payload},
        format="json",
    )
    assert clear.status_code == 400 and clear.json()["error"] == "password_not_accepted"
    account.user.refresh_from_db()
    assert account.user.check_password(auth_key_for(DEFAULT_PASSWORD))


def test_the_account_status_shows_a_cooling_off_reset(authed, account):
    """Issue 15: a reset without the second factor waits, and every signed-in app sees it."""
    until = timezone.now() + timezone.timedelta(days=7)
    ResetRequest.objects.create(
        account=account,
        nonce="n",
        token_hash="c" * 64,
        cancel_token_hash="d" * 64,
        expires_at=until + timezone.timedelta(hours=72),
        credential_stamp=credential_stamp_of(account),
        cooling_off_until=until,
    )
    pending = authed.get("/api/v1/account/").json()["pending_reset"]
    assert pending["cooling_off_until"] is not None
    assert authed.delete("/api/v1/account/reset-request/").status_code == 200


@pytest.mark.parametrize("path", [ITEMS, "/api/v1/account/", "/api/v1/licence/"])
def test_reads_cost_the_same_queries_with_1_or_200_items_and_30_devices(path, authed, device, page_queries):
    account = device.account
    url = f"{path}?generation={account.key_generation}" if path == ITEMS else path
    VaultItemFactory(account=account)
    small = page_queries(authed, url)
    for _ in range(199):
        VaultItemFactory(account=account)
    for _ in range(30):
        DeviceFactory(account=account)
    assert page_queries(authed, url) == small
