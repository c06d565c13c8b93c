"""The app API under the wrong identity: another account's token, a half-signed-in device.

Complements api/tests (each view's own checks) and support/tests/test_permissions.py (the
console from every side). Also checks that the schemathesis fuzz sees every API route.
"""

import pytest
from django.urls import URLResolver, get_resolver
from rest_framework.test import APIClient

from accounts.models import Device
from accounts.tests.factories import AccountFactory, DeviceFactory, VaultItemFactory
from api.tests.factories import device_with_token
from api.tests.test_vault_and_account import item_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_accounts():
    mine, theirs = AccountFactory(), AccountFactory()
    device_with_token("my-token-0000000001", account=mine)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer my-token-0000000001")
    return client, mine, theirs


def test_a_customer_token_cannot_touch_another_accounts_items_or_devices(two_accounts):
    client, mine, theirs = two_accounts
    item = VaultItemFactory(account=theirs)
    their_device = DeviceFactory(account=theirs)
    before = bytes(item.ciphertext), item.revision
    body = item_body(generation=mine.key_generation)
    url = f"/api/v1/vault/items/{item.item_id}/"
    assert client.put(url, body, format="json").status_code == 404
    assert client.delete(url, {"generation": mine.key_generation}, format="json").status_code == 404
    assert client.post(f"/api/v1/devices/{their_device.pk}/signout/").status_code == 404
    listed = client.get("/api/v1/vault/items/", {"generation": mine.key_generation}).json()["items"]
    assert listed == []
    devices = client.get("/api/v1/devices/").json()
    assert their_device.pk not in [d["id"] for d in devices]
    check = client.post(
        "/api/v1/backups/check/", {"account_id": theirs.account_id, "generation": 1}, format="json"
    )
    assert check.status_code == 422
    item.refresh_from_db()
    their_device.refresh_from_db()
    assert (bytes(item.ciphertext), item.revision, item.deleted) == (*before, False)
    assert their_device.revoked_at is None


def test_a_device_that_has_not_proved_ownership_reaches_nothing_but_the_proof(two_accounts):
    _, mine, _ = two_accounts
    device_with_token("half-signed-in-token", account=mine, authorized_at=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer half-signed-in-token")
    for method, path in [
        ("get", "/api/v1/vault/items/?generation=1"),
        ("get", "/api/v1/devices/"),
        ("post", "/api/v1/account/password/"),
        ("post", "/api/v1/account/key/qr/"),
        ("delete", "/api/v1/account/reset-request/"),
    ]:
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code in (401, 403), (path, response.status_code)
    assert Device.objects.filter(account=mine, revoked_at__isnull=True).count() == 2


def test_every_api_route_is_in_the_schema_that_schemathesis_fuzzes(client):
    schema_paths = set(client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["paths"])
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    routes = {
        "/api/v1/"
        + str(p.pattern)
        .replace("<int:pk>", "{id}")
        .replace("<uuid:item_id>", "{item_id}")
        .replace("<uuid:pk>", "{id}")
        for p in api.url_patterns
        if getattr(p, "name", None) not in (None, "schema", "docs", "docs-document")
    }
    assert routes and routes <= schema_paths, routes - schema_paths
