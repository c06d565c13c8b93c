"""The OpenAPI schema's finishing touches: the device token, and a description and examples on
every response, errors included, from the error catalogue (api/error_codes.py)."""

from http import HTTPStatus

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from .error_codes import ERRORS, STATUSES, ApiCode, error_codes_for

ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, plus the JSON body that a DELETE declares with `extend_schema(request=...)`.

    Deleting a vault item takes `{"generation", "base_revision"}` like a PUT (the reference
    client sends it); drf-spectacular describes a body only on PUT, PATCH and POST, so without
    this the reference would not say what the server requires.
    """

    def _get_request_body(self, direction="request"):
        if self.method != "DELETE":
            return super()._get_request_body(direction)
        self.method = "PUT"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The device token from sign-in."}


KDF = {"iterations": 3, "memory_kib": 65536, "parallelism": 1}
KDF_SIGN_IN = {"kdf_upgrade": False, "kdf_default": KDF}
AUTH_KEY = "q38y2vSBP6AAtx6VqSAVpIStIHdK5Gzrmq3d0kDJosI"  # docs/auth-protocol.md, vector ascii-default
SALT = "AAECAwQFBgcICQoLDA0ODw"

# Request bodies, per (method, path ending): {example name: (summary, value)}.
REQUESTS = {
    ("post", "/prelogin/"): {"prelogin": ("Before every sign-in", {"email": "me@example.com"})},
    ("post", "/signup/"): {
        "signup": (
            "A new account: the auth key and the parameters it was derived with",
            {
                "email": "me@example.com",
                "auth_key": AUTH_KEY,
                "kdf": {"salt": SALT, **KDF},
                "hint": "the usual",
            },
        )
    },
    ("post", "/signin/"): {
        "signin": (
            "Derived with the pre-login answer",
            {
                "email": "me@example.com",
                "auth_key": AUTH_KEY,
                "device_uid": "ios-3f9c2a7b51d04e8e",
                "device_name": "Dana's phone",
                "platform": "ios",
            },
        )
    },
    ("post", "/devices/verify/"): {
        "proof": (
            "The challenge signed with the QR code's signing key",
            {
                "challenge": "b2tU0m9yX2N3V1Zx",
                "signature": "m4Jx0Xy8n9Yq7Kc2Vt5Rb1Wd3Ze6Lf8Gh0Ja2Ms4No6Pq8Sr0Tu2Vw4Xy6Za8"
                "Bc1De3Fg5Hi7Jk9Lm1No3Pq5Rs7Tu9Vw1Xy3Za5Bc7De9Fg",
            },
        )
    },
    ("post", "/account/key/"): {
        "setup": (
            "The first device after sign-up or a reset",
            {
                "generation": 1,
                "verifier": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                "encrypted_account_key": "vaultkey:AUs3UTJNOVg0VEQAAAABAQAAAAMAAQAAAQ...",
            },
        )
    },
    ("post", "/account/password/"): {
        "change": (
            "Current auth key with the pre-login answer; new one with a fresh salt",
            {
                "current_auth_key": AUTH_KEY,
                "new_auth_key": "ZUKt4MeqXnxKaih6vSfQlzBtSKjHiQeq1jtlip7Ds7c",
                "new_kdf": {"salt": "_____________________w", **KDF},
                "encrypted_account_key": "vaultkey:AUs3UTJNOVg0VEQAAAABAQAAAAMAAQAAAQ...",
            },
        )
    },
    ("post", "/vault/items/"): {
        "create": (
            "A new item, encrypted on the device with the item key",
            {
                "item_id": "0b8f5c1e-6d2a-4f7b-9c3e-1a2b3c4d5e6f",
                "ciphertext": "3q2-7wAAAAAAAAAAAAAAAA",
                "nonce": "AAECAwQFBgcICQoL",
                "generation": 1,
            },
        )
    },
}

# Successful answers that say more than their status: (method, path ending, status) ->
# (description, {example name: (summary, value)}).
SUCCESS = {
    ("post", "/prelogin/", "200"): (
        "The salt and costs to derive the auth key with. The same shape, status and timing whether or "
        "not the address has an account.",
        {"parameters": ("What to derive with", {"kdf": "argon2id", "salt": SALT, **KDF})},
    ),
    ("post", "/signin/", "200"): (
        "Signed in: the device is verified (`status` is `authorized`). Keep `device_token` and sync.",
        {
            "authorized": (
                "A device that proved ownership before",
                {
                    "status": "authorized",
                    "detail": "Signed in.",
                    "device_token": "q0sV7cJ0bVt6m2yq0T8F2a4Yf1bq3l5uXo7C9tQ2wZs",
                    "account_id": "K7Q2M9X4TD",
                    "generation": 1,
                    "challenge": None,
                    **KDF_SIGN_IN,
                },
            )
        },
    ),
    ("post", "/signin/", "202"): (
        "Signed in, one more step: `status` says which (`owner_verification_required`: sign the "
        "challenge with the QR code's key; `account_key_setup_required`: create the account key).",
        {
            "owner_verification_required": (
                "A new device: prove ownership with the QR code",
                {
                    "status": "owner_verification_required",
                    "detail": "New device: prove you own the account by scanning the QR code from your "
                    "latest account key e-mail, then sign the challenge.",
                    "device_token": "Jm3V0b8cR2yZ5kq1TfW9hX4dL7sN6aP0uE2iO8gC3vY",
                    "account_id": "K7Q2M9X4TD",
                    "generation": 2,
                    "challenge": {"value": "b2tU0m9yX2N3V1Zx", "expires_at": "2026-12-01T10:05:00Z"},
                    **KDF_SIGN_IN,
                },
            ),
            "account_key_setup_required": (
                "The first device after sign-up or a reset",
                {
                    "status": "account_key_setup_required",
                    "detail": "This account has no account key yet: create one on this device.",
                    "device_token": "Hc2N8vQ1sL5xR0bM7tK3jW9fY4dA6gP2uZ8eO1iT5nU",
                    "account_id": "K7Q2M9X4TD",
                    "generation": 2,
                    "challenge": None,
                    **KDF_SIGN_IN,
                },
            ),
        },
    ),
    ("post", "/signup/", "202"): (
        "Taken: the same answer whether or not the address already had an account (no enumeration). "
        "Sign in next.",
        {
            "accepted": (
                "Always this answer",
                {"detail": "If this address can be used, the account is ready: sign in from the app."},
            )
        },
    ),
    ("get", "/vault/items/", "200"): (
        "One page of changes since `since`, tombstones (`deleted: true`) included. Store `cursor`; "
        "while `more` is true, ask again with `since=cursor`.",
        {
            "page": (
                "A page with one change and one tombstone",
                {
                    "generation": 1,
                    "cursor": 42,
                    "more": False,
                    "items": [
                        {
                            "item_id": "0b8f5c1e-6d2a-4f7b-9c3e-1a2b3c4d5e6f",
                            "ciphertext": "3q2-7wAAAAAAAAAAAAAAAA",
                            "nonce": "AAECAwQFBgcICQoL",
                            "generation": 1,
                            "revision": 41,
                            "deleted": False,
                            "updated_at": "2026-12-01T09:58:12Z",
                        },
                        {
                            "item_id": "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f",
                            "ciphertext": "",
                            "nonce": "",
                            "generation": 1,
                            "revision": 42,
                            "deleted": True,
                            "updated_at": "2026-12-01T10:01:40Z",
                        },
                    ],
                },
            )
        },
    ),
    ("post", "/backups/check/", "200"): (
        "Whether the backup may be restored: `status` is `current` or `obsolete` (never restore an "
        "obsolete backup: its keys were destroyed by a reset).",
        {
            "current": (
                "A backup of the current generation",
                {
                    "status": "current",
                    "generation": 2,
                    "current_generation": 2,
                    "detail": "This backup is current.",
                },
            ),
            "obsolete": (
                "A backup made before a reset",
                {
                    "status": "obsolete",
                    "generation": 1,
                    "current_generation": 2,
                    "detail": "This backup was made under key generation 1, but the account is now on "
                    "generation 2: it is obsolete and cannot be restored.",
                },
            ),
        },
    ),
}


def _request_examples(method: str, path: str, operation: dict) -> None:
    for (m, ending), examples in REQUESTS.items():
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if m == method and path.endswith(ending) and content is not None:
            content["examples"] = {
                name: {"summary": summary, "value": value} for name, (summary, value) in examples.items()
            }


def _error_example(entry: ApiCode) -> dict:
    value = {"error": entry.code, "detail": entry.example}
    for name in entry.extra:
        value[name] = 2 if "current" in name else 1
    return {"summary": f"{entry.code}: {entry.meaning}", "value": value}


def _error_response(status: int, entries: list[ApiCode]) -> dict:
    phrase = HTTPStatus(status).phrase
    codes = ", ".join(f"`{entry.code}`" for entry in entries)
    description = f"{phrase}. `error` is one of: {codes}. See the error catalogue for what the app should do."
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": ERROR_SCHEMA,
                "examples": {entry.code: _error_example(entry) for entry in entries},
            }
        },
    }


def _success_response(method: str, path: str, status: str, response: dict, operation: dict) -> None:
    for (m, ending, code), (description, examples) in SUCCESS.items():
        if m == method and path.endswith(ending) and code == status:
            response["description"] = description
            content = response.setdefault("content", {}).setdefault("application/json", {})
            content["examples"] = {
                name: {"summary": summary, "value": value} for name, (summary, value) in examples.items()
            }
            return
    if not response.get("description"):
        summary = (operation.get("description") or "").strip().split("\n")[0]
        response["description"] = f"{HTTPStatus(int(status)).phrase}. {summary}".strip()


def catalogue_markdown() -> str:
    """The error catalogue as a Markdown table (for the schema's description)."""
    lines = [
        "| code | HTTP | what it means | what the app should do |",
        "|---|---|---|---|",
    ]
    for entry in ERRORS:
        lines.append(f"| `{entry.code}` | {entry.status_text} | {entry.meaning} | {entry.action} |")
    lines += ["", "Codes in a successful answer's `status` field:", ""]
    lines += ["| status | HTTP | what it means | what the app should do |", "|---|---|---|---|"]
    for entry in STATUSES:
        lines.append(f"| `{entry.code}` | {entry.status} | {entry.meaning} | {entry.action} |")
    return "\n".join(lines)


def schema_document(result, generator, request, public):
    """Postprocessing hook: describe every response and give each status its own examples."""
    result["info"]["description"] = (
        settings.SPECTACULAR_SETTINGS.get("DESCRIPTION", "")
        + "\n\n## Error catalogue\n\n"
        + catalogue_markdown()
    )
    error_schema = result.setdefault("components", {}).setdefault("schemas", {}).get("Error")
    if error_schema is not None:
        error_schema["properties"]["error"] = {
            "type": "string",
            "enum": [entry.code for entry in ERRORS],
            "description": "A stable code from the error catalogue: decide on it.",
        }
        error_schema["properties"]["detail"] = {
            "type": "string",
            "description": "A sentence for people; it may change. Show it, never parse it.",
        }
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            authenticated = any(requirement for requirement in operation.get("security", [{}]))
            for status in [s for s in responses if int(s) >= 400]:
                del responses[status]
            by_status: dict[int, list[ApiCode]] = {}
            for entry in error_codes_for(path=path, method=method, authenticated=authenticated):
                by_status.setdefault(entry.status_for(path), []).append(entry)
            _request_examples(method, path, operation)
            for status in [s for s in responses]:
                _success_response(method, path, status, responses[status], operation)
            for status in sorted(by_status):
                responses[str(status)] = _error_response(status, by_status[status])
    return result
