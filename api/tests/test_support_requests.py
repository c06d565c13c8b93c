"""The support-request endpoints (issue 19) as another team's app meets them: what is listed,
the documented errors, the per-device limit, and the documentation of the flow."""

import json
import re
from pathlib import Path

import pytest

from accounts.tests.factories import AccountFactory
from api.error_codes import CATALOGUE, error_codes_for
from api.tests.factories import device_with_token
from proofs.models import OwnerProof
from proofs.services import proof_request
from proofs.tests.factories import app_for, staff
from vaultclient import crypto

pytestmark = pytest.mark.django_db

PROOFS_DIR = Path(__file__).resolve().parents[2] / "proofs" / "services"
LIST = "/api/v1/support-requests/"


@pytest.fixture
def agent():
    return staff("maya@staff.example")


@pytest.fixture
def phone(api):
    """An account whose verified app holds the account key, signed in with a bearer token."""
    app = app_for(AccountFactory(user__email="owner@example.com"))
    app.device.delete()
    app.device = device_with_token("phone-token", account=app.account, name="Pixel 8")
    api.credentials(HTTP_AUTHORIZATION="Bearer phone-token")
    return app


def _ask(account, agent, kind="chat", ref="chat-a"):
    return proof_request(account=account, agent=agent, conversation_kind=kind, conversation_ref=ref)


def _approve(api, proof, body):
    return api.post(f"{LIST}{proof.public_id}/approve/", body, format="json")


def test_the_list_shows_this_accounts_app_requests_only(api, phone, agent):
    mine = _ask(phone.account, agent)
    _ask(app_for(AccountFactory()).account, agent)  # another account's
    on_the_page = _ask(phone.account, agent, "ticket", "3")  # answered on the portal page, not in the app
    OwnerProof.objects.filter(pk=on_the_page.pk).update(method=OwnerProof.Method.EMAIL)
    [listed] = api.get(LIST).json()
    assert listed["id"] == str(mine.public_id) and listed["code"] == mine.short_code
    assert listed["agent"] == "Maya" and listed["conversation"] == "chat chat-a"


def test_approve_then_replay(api, phone, agent):
    proof = _ask(phone.account, agent)
    body = {"code": proof.short_code, "signature": phone.sign(proof)}
    assert _approve(api, proof, body).json() == {"detail": "Approved: support now knows it is you."}
    replay = _approve(api, proof, body)
    assert (replay.status_code, replay.json()["error"]) == (409, "proof_used")
    assert api.get(LIST).json() == []


def test_a_token_alone_cannot_approve_and_the_answer_is_documented(api, phone, agent):
    from proofs.tests.factories import OTHER_KEY

    proof = _ask(phone.account, agent)
    forged = _approve(api, proof, {"code": proof.short_code, "signature": phone.sign(proof, key=OTHER_KEY)})
    assert forged.status_code == 403 and forged.json()["error"] == "signature_invalid"
    assert CATALOGUE["signature_invalid"].status == 403


def test_the_approve_endpoint_is_limited_per_device(api, phone, agent):
    proof = _ask(phone.account, agent)
    statuses = [
        _approve(api, proof, {"code": "AAAAAA", "signature": crypto.b64url(b"x" * 64)}).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:10]
    proof.refresh_from_db()
    assert proof.status == OwnerProof.Status.FAILED


def test_every_code_a_support_request_can_answer_is_in_the_catalogue_and_the_schema(client):
    raised = set()
    for module in ("answering.py", "trail.py"):
        raised |= set(re.findall(r'ProofError\(\s*"([a-z_]+)"', (PROOFS_DIR / module).read_text()))
    assert {"proof_not_found", "proof_expired", "proof_used", "code_mismatch", "signature_invalid"} <= raised
    missing = raised - set(CATALOGUE)
    assert not missing, f"add these codes to api/error_codes.py: {sorted(missing)}"
    approve_path = "/api/v1/support-requests/{id}/approve/"
    documented = {
        entry.code for entry in error_codes_for(path=approve_path, method="post", authenticated=True)
    }
    assert raised - {"invalid"} <= documented
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    responses = schema["paths"][approve_path]["post"]["responses"]
    for code in raised:
        status = str(CATALOGUE[code].status)
        examples = responses[status]["content"]["application/json"]["examples"].values()
        assert code in {e["value"]["error"] for e in examples}, (code, status)


def test_the_schema_describes_the_flow(client):
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    listing = schema["paths"][LIST]["get"]["description"]
    approve = schema["paths"]["/api/v1/support-requests/{id}/approve/"]["post"]["description"]
    refuse = schema["paths"]["/api/v1/support-requests/{id}/refuse/"]["post"]["description"]
    assert "never asks for a password, a QR code or recovery codes" in listing
    assert "vault-support-proof-v1:<account ID>:<request id>:<code>:<device_uid>" in approve
    assert "a device token alone cannot approve" in approve
    assert "No signature is needed" in refuse


def test_the_walkthrough_ends_with_the_support_check(client):
    html = client.get("/api/v1/docs/").content.decode()
    walkthrough = html.split('id="walkthrough"', 1)[1].split('id="errors"', 1)[0]
    steps = [
        "POST /api/v1/devices/verify/",
        "GET /api/v1/support-requests/",
        "vault-support-proof-v1:&lt;account_id&gt;:&lt;id&gt;:&lt;code&gt;:&lt;device_uid&gt;",
        "POST /api/v1/support-requests/&lt;id&gt;/approve/",
        "POST /api/v1/support-requests/&lt;id&gt;/refuse/",
    ]
    positions = [walkthrough.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "Support never asks for a password, a QR code or recovery codes" in walkthrough
    for anchor in re.findall(r'href="#error-([a-z_]+)"', walkthrough):
        assert anchor in CATALOGUE, anchor


def test_the_signed_message_is_the_same_in_the_docs_the_server_and_the_client():
    from proofs.services import proof_message

    expected = proof_message(account_id="A", proof_id="P", short_code="C", device_uid="D").decode()
    assert expected == "vault-support-proof-v1:A:P:C:D"
    qr_format = (Path(__file__).resolve().parents[2] / "docs" / "qr-format.md").read_text()
    assert '"vault-support-proof-v1:<account ID>:<request id>:<code>:<device_uid>"' in qr_format


def test_the_list_costs_the_same_queries_with_1_or_30_requests_from_different_agents(
    api, phone, page_queries
):
    from django.core.cache import cache

    def asked(n):
        for _ in range(n):
            cache.clear()  # the per-account limit on asking: 30 agents ask here on purpose
            agent = staff(f"agent-{OwnerProof.objects.count()}@staff.example")
            _ask(phone.account, agent, "ticket", str(OwnerProof.objects.count()))

    asked(1)
    small = page_queries(api, LIST)
    asked(29)
    assert len(api.get(LIST).json()) == 30
    assert page_queries(api, LIST) == small
