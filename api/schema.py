"""The OpenAPI schema's finishing touches: the device token, and a description and examples on
every response, errors included, from the error catalogue (api/error_codes.py)."""

from http import HTTPStatus

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .error_codes import ERRORS, STATUSES, ApiCode, error_codes_for

ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}


class DeviceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.DeviceTokenAuthentication"
    name = "deviceToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The device token from sign-in."}


# Successful answers that say more than their status: (method, path ending, status) ->
# (description, {example name: (summary, value)}).
SUCCESS = {
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
                            "id": "0b8f5c1e-6d2a-4f7b-9c3e-1a2b3c4d5e6f",
                            "generation": 1,
                            "ciphertext": "AAECAwQFBgcICQoLDA0ODw",
                            "revision": 41,
                            "deleted": False,
                            "updated_at": "2026-12-01T09:58:12Z",
                        },
                        {
                            "id": "7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f",
                            "generation": 1,
                            "ciphertext": "",
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
        lines.append(f"| `{entry.code}` | {entry.status} | {entry.meaning} | {entry.action} |")
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
            for entry in error_codes_for(path=path, authenticated=authenticated):
                by_status.setdefault(entry.status, []).append(entry)
            for status in [s for s in responses]:
                _success_response(method, path, status, responses[status], operation)
            for status in sorted(by_status):
                responses[str(status)] = _error_response(status, by_status[status])
    return result
