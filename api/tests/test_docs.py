"""The API documentation (issue 17): a valid schema where every response is described and each
status has its own examples, an error catalogue that lists every code the API raises, and a
page that loads nothing from elsewhere and runs no inline script or style."""

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from api.authentication import REVOKED_ERRORS, SIGNED_OUT_ERROR
from api.error_codes import CATALOGUE, ERRORS, STATUSES
from api.errors import _CODES

pytestmark = pytest.mark.django_db

API_DIR = Path(__file__).resolve().parents[1]
RAISED = re.compile(
    r"""code=["']([a-z_]+)["']|error_body\(\s*["']([a-z_]+)["']|["']error["']:\s*["']([a-z_]+)["']"""
)


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def test_every_response_has_a_description(schema):
    for name, operation in _operations(schema):
        for status, response in operation["responses"].items():
            assert response.get("description", "").strip(), f"{name} {status}"


def test_every_error_response_has_examples_of_its_own_status(schema):
    for name, operation in _operations(schema):
        seen = {}
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            examples = response["content"]["application/json"]["examples"]
            assert examples, f"{name} {status}"
            for example in examples.values():
                code = example["value"]["error"]
                assert CATALOGUE[code].status_for(name.split(" ", 1)[1]) == int(status), (
                    f"{name} {status} {code}"
                )
                assert example["value"]["detail"]
            seen[status] = {json.dumps(e["value"], sort_keys=True) for e in examples.values()}
        statuses = list(seen)
        for i, first in enumerate(statuses):
            for second in statuses[i + 1 :]:
                assert not seen[first] & seen[second], f"{name}: {first} and {second} share an example"


def test_sign_in_answers_have_different_examples_per_status(schema):
    responses = schema["paths"]["/api/v1/signin/"]["post"]["responses"]
    ok = responses["200"]["content"]["application/json"]["examples"]
    more = responses["202"]["content"]["application/json"]["examples"]
    assert {e["value"]["status"] for e in ok.values()} == {"authorized"}
    assert {e["value"]["status"] for e in more.values()} == {
        "owner_verification_required",
        "account_key_setup_required",
    }


def test_the_error_field_is_the_catalogue(schema):
    error = schema["components"]["schemas"]["Error"]["properties"]["error"]
    assert error["enum"] == [entry.code for entry in ERRORS]
    assert "## Error catalogue" in schema["info"]["description"]
    for code in ("account_reset", "password_changed", "owner_verification_required", "qr_obsolete"):
        assert f"`{code}`" in schema["info"]["description"]


def test_every_code_the_api_raises_is_in_the_catalogue():
    raised = set()
    for source in API_DIR.rglob("*.py"):
        if "tests" in source.parts:
            continue
        for match in RAISED.finditer(source.read_text()):
            raised.add(next(group for group in match.groups() if group))
    raised |= {code for code, _ in REVOKED_ERRORS.values()} | {SIGNED_OUT_ERROR[0]}
    raised |= {code for code, _ in _CODES.values()}
    missing = raised - set(CATALOGUE)
    assert not missing, f"add these codes to api/error_codes.py: {sorted(missing)}"


def test_the_catalogue_says_what_to_do_for_the_codes_the_issue_names():
    assert "Erase the local vault" in CATALOGUE["account_reset"].action
    for code in (
        "account_reset",
        "password_changed",
        "owner_verification_required",
        "qr_obsolete",
        "generation_obsolete",
    ):
        assert CATALOGUE[code].meaning and CATALOGUE[code].action
    statuses = {entry.code for entry in STATUSES}
    assert {"account_key_setup_required", "backup_obsolete"} <= statuses


def test_docs_page_shows_the_catalogue_and_links_back(client):
    html = client.get("/api/v1/docs/").content.decode()
    for entry in ERRORS:
        assert f'id="error-{entry.code}"' in html
    assert 'href="/"' in html and "Back to the Vault portal" in html
    assert 'href="/api/v1/docs/qr-format/"' in html
    assert 'id="walkthrough"' in html


def test_docs_page_has_no_inline_script_or_style_and_loads_only_our_files(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert "<style" not in html and " style=" not in html
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith(("/", "#")), url
    assert client.get("/api/v1/docs/assets/swagger-ui-dist/swagger-ui.css").status_code == 200
    assert client.get("/static/js/api-docs.js").status_code in (200, 404)  # served by the live server


def test_protocol_documents_are_pages(client):
    page = client.get("/api/v1/docs/qr-format/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>" in html and "Back" not in html or "App API documentation" in html
    assert client.get("/api/v1/docs/nothing-here/").status_code == 404


def test_zero_knowledge_requests_have_examples(schema):
    for method, path in [
        ("post", "/api/v1/prelogin/"),
        ("post", "/api/v1/signup/"),
        ("post", "/api/v1/signin/"),
        ("post", "/api/v1/account/password/"),
        ("post", "/api/v1/devices/verify/"),
    ]:
        examples = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["examples"]
        assert examples, path
    [signin] = schema["paths"]["/api/v1/signin/"]["post"]["requestBody"]["content"]["application/json"][
        "examples"
    ].values()
    assert "password" not in signin["value"] and len(signin["value"]["auth_key"]) == 43


def test_the_walkthrough_goes_from_sign_up_to_sync(client):
    html = client.get("/api/v1/docs/").content.decode()
    walkthrough = html.split('id="walkthrough"', 1)[1].split('id="errors"', 1)[0]
    steps = [
        "POST /api/v1/prelogin/",
        "POST /api/v1/signup/",
        "POST /api/v1/signin/",
        "POST /api/v1/account/key/",
        "POST /api/v1/devices/verify/",
        "GET /api/v1/vault/items/?generation=1&amp;since=0",
        "POST /api/v1/account/password/",
    ]
    positions = [walkthrough.index(step) for step in steps]
    assert positions == sorted(positions)
    assert 'href="/api/v1/docs/auth-protocol/"' in walkthrough
    assert 'href="/api/v1/docs/qr-format/"' in walkthrough
    for anchor in re.findall(r'href="#error-([a-z_]+)"', walkthrough):
        assert anchor in CATALOGUE, anchor


def test_catalogue_markdown_shows_as_code_on_the_page(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "<code>Retry-After</code>" in html and "`Retry-After`" not in html


@pytest.mark.parametrize("slug", ["auth-protocol", "qr-format"])
def test_links_between_protocol_documents_open_their_pages(client, slug):
    html = client.get(f"/api/v1/docs/{slug}/").content.decode()
    body = html.split('id="main"', 1)[1]
    links = [
        url for url in re.findall(r'href="([^"#]+)', body) if not url.startswith(("http://", "https://"))
    ]
    assert any("/api/v1/docs/" in url for url in links), "each document links to the other"
    for url in links:
        assert url.startswith("/"), f"a relative link opens nothing on the page: {url}"
        assert client.get(url).status_code == 200, url


def test_the_reference_says_what_a_vault_item_delete_sends(schema):
    """The server requires `generation` in a DELETE's JSON body: the reference must say so."""
    body = schema["paths"]["/api/v1/vault/items/{item_id}/"]["delete"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    component = schema["components"]["schemas"][ref]
    assert component["required"] == ["generation"]
    assert set(component["properties"]) == {"generation", "base_revision"}
    assert "requestBody" not in schema["paths"]["/api/v1/account/reset-request/"]["delete"]


def test_the_walkthrough_shows_every_vault_write_and_the_limits(client, settings):
    settings.API_VAULT_PAGE_SIZE = 321
    settings.API_VAULT_ITEM_MAX_BYTES = 4567
    html = client.get("/api/v1/docs/").content.decode()
    sync = html.split('id="walk-sync"', 1)[1].split('id="walk-password"', 1)[0]
    assert "DELETE /api/v1/vault/items/" in sync and '{"generation": 1, "base_revision": 59}' in sync
    assert "PUT /api/v1/vault/items/" in sync
    assert "at most 321 changes" in sync and "4567 bytes of ciphertext" in sync
    assert "unpadded base64url" in sync


# Modules outside api/ whose errors the API passes on as they are.
PASSED_ON = [API_DIR.parent / "accounts" / "kdf.py", *(API_DIR.parent / "proofs" / "services").glob("*.py")]
PROOF_ERROR = re.compile(r'ProofError\(\s*"([a-z_]+)"')


def test_every_catalogue_code_is_one_the_api_can_answer():
    """A code no request can provoke misleads app developers (and hides the real answer)."""
    raised = set()
    sources = [
        path for path in API_DIR.rglob("*.py") if "tests" not in path.parts and path.name != "error_codes.py"
    ]
    for source in sources + PASSED_ON:
        text = source.read_text()
        raised |= {next(group for group in match.groups() if group) for match in RAISED.finditer(text)}
        raised |= set(PROOF_ERROR.findall(text))
    raised |= {code for code, _ in REVOKED_ERRORS.values()} | {SIGNED_OUT_ERROR[0]}
    raised |= {code for code, _ in _CODES.values()}
    never = set(CATALOGUE) - raised
    assert not never, f"the API never answers these codes: {sorted(never)}"


def _codes(schema, method, path, status):
    response = schema["paths"][path][method]["responses"].get(str(status))
    if response is None:
        return set()
    return {e["value"]["error"] for e in response["content"]["application/json"]["examples"].values()}


def test_each_operation_lists_only_the_errors_it_can_answer(schema):
    items, item = "/api/v1/vault/items/", "/api/v1/vault/items/{item_id}/"
    assert _codes(schema, "get", items, 409) == {"generation_obsolete"}
    assert _codes(schema, "get", items, 413) == {"request_too_large"}
    assert _codes(schema, "get", items, 422) == {"generation_invalid"}
    assert _codes(schema, "get", items, 404) == {"not_found"}
    assert _codes(schema, "post", items, 409) == {"generation_obsolete", "item_exists"}
    assert _codes(schema, "put", item, 409) == {"generation_obsolete", "revision_conflict"}
    assert _codes(schema, "delete", item, 413) == {"request_too_large"}
    assert _codes(schema, "post", items, 422) == {"generation_invalid", "vault_full"}
    assert "item_not_found" in _codes(schema, "delete", item, 404)
    assert _codes(schema, "get", "/api/v1/support-requests/", 409) == set()
    assert _codes(schema, "get", "/api/v1/support-requests/", 410) == set()
    assert "proof_used" in _codes(schema, "post", "/api/v1/support-requests/{id}/refuse/", 409)
    assert "code_mismatch" not in _codes(schema, "post", "/api/v1/support-requests/{id}/refuse/", 403)
    assert _codes(schema, "post", "/api/v1/account/key/qr/", 409) == {"generation_obsolete"}
    assert "account_key_exists" in _codes(schema, "post", "/api/v1/account/key/", 409)


def test_a_wrong_current_password_is_documented_with_the_status_it_gets(schema, client):
    """The change of password answers a wrong current auth key with 403 (the token is fine)."""
    path = "/api/v1/account/password/"
    assert "invalid_credentials" in _codes(schema, "post", path, 403)
    assert "invalid_credentials" not in _codes(schema, "post", path, 401)
    assert "invalid_credentials" in _codes(schema, "post", "/api/v1/signin/", 401)
    html = client.get("/api/v1/docs/").content.decode()
    row = html.split('id="error-invalid_credentials"', 1)[1].split("</tr>", 1)[0]
    assert "401" in row and "403" in row and "/api/v1/account/password/" in row
