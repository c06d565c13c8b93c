import json

import pytest
from django.utils import timezone

from accounts.models import Device
from accounts.tests.factories import AccountFactory, credentials_for
from api.tests.factories import device_with_token
from resets import services as reset_services
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        (Device.RevokedReason.ACCOUNT_RESET, "account_reset"),
        (Device.RevokedReason.PASSWORD_CHANGED, "password_changed"),
        (Device.RevokedReason.SIGNED_OUT, "device_signed_out"),
        (Device.RevokedReason.SUPPORT, "device_signed_out"),
    ],
)
def test_revoked_token_says_why(api, reason, code):
    device_with_token("revoked", revoked_at=timezone.now(), revoked_reason=reason)
    api.credentials(HTTP_AUTHORIZATION="Bearer revoked")
    response = api.get("/api/v1/account/")
    assert response.status_code == 401
    assert response.json()["error"] == code
    if code == "account_reset":
        assert "Erase this device's local copy of the vault" in response.json()["detail"]


@pytest.mark.parametrize(
    "earlier_reason",
    [Device.RevokedReason.SIGNED_OUT, Device.RevokedReason.SUPPORT, Device.RevokedReason.PASSWORD_CHANGED],
)
def test_a_device_signed_out_before_a_reset_is_told_the_account_was_reset(api, earlier_reason):
    """It still holds its local copy of the old vault: after the reset it must erase it too."""
    account = AccountFactory()
    signed_out_at = timezone.now()
    device = device_with_token(
        "signed-out-earlier", account=account, revoked_at=signed_out_at, revoked_reason=earlier_reason
    )
    _, token, _ = pending_reset(account)
    reset_services.reset_complete(token=token, **credentials_for("Brand-new-Passphrase-77"), hint="")

    api.credentials(HTTP_AUTHORIZATION="Bearer signed-out-earlier")
    response = api.get("/api/v1/account/")
    assert response.status_code == 401
    assert response.json()["error"] == "account_reset"
    device.refresh_from_db()
    assert device.revoked_at == signed_out_at  # when it was signed out is kept


def test_unknown_token_and_missing_token(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer nope")
    assert api.get("/api/v1/account/").json()["error"] == "token_invalid"
    api.credentials()
    response = api.get("/api/v1/account/")
    assert response.status_code == 401
    assert response.json() == {
        "error": "not_authenticated",
        "detail": "Sign in on this device first and send its token as 'Bearer <token>'.",
    }


def test_token_is_stored_hashed(authed, device):
    assert device.token_hash != "device-token" and len(device.token_hash) == 64
    assert authed.get("/api/v1/account/").status_code == 200


def test_unknown_path_and_bad_json_are_json_errors(authed):
    response = authed.get("/api/v1/nothing/here/")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    response = authed.post("/api/v1/vault/items/", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "malformed_request"
    response = authed.patch("/api/v1/account/", {})
    assert response.status_code == 405 and response.json()["error"] == "method_not_allowed"


def test_unverified_device_cannot_read_the_vault(api, account):
    device_with_token("pending", account=account, authorized_at=None)
    api.credentials(HTTP_AUTHORIZATION="Bearer pending")
    response = api.get("/api/v1/vault/items/", {"generation": 1})
    assert response.status_code == 403 and response.json()["error"] == "owner_verification_required"


def test_schema_and_docs_load_nothing_from_other_origins(client):
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/docs/assets/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert client.get("/api/v1/docs/assets/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_a_bad_host_header_is_a_json_bad_request(api):
    """Django refuses the Host before any API view runs: the answer keeps the API's error shape."""
    response = api.post(
        "/api/v1/prelogin/", {"email": "a@example.com"}, format="json", HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "bad_request" and response.json()["detail"]
    page = api.get("/reset/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_server_error_outside_an_api_view_keeps_the_api_shape(rf):
    from portal.views import error_500

    response = error_500(rf.get("/api/v1/account/"))
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert set(body) == {"error", "detail"} and body["error"] == "server_error"
