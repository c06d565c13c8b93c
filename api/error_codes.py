"""The catalogue of every code an app can read from the API, with what it means and what to do.

Errors are `{"error": code, "detail": text}` (plus the extra fields named here). `detail` is
written for people and may change; `code` is stable, and an app decides on it. The catalogue
feeds the OpenAPI schema (descriptions and examples of every error response, see
`api/schema.py`) and the documentation page; `api/tests/test_docs.py` checks that every code
the API raises is listed here.
"""

from dataclasses import dataclass

# Where a code can come from. An empty tuple means "any endpoint" (for AUTHENTICATED: any
# endpoint that takes a device token).
AUTHENTICATED = "authenticated"
ANY = "any"


@dataclass(frozen=True)
class ApiCode:
    code: str
    status: int
    meaning: str
    action: str
    example: str  # a `detail` as the API writes it
    # Where it can come from: AUTHENTICATED, ANY, or path endings as in the schema ("signin/",
    # "vault/items/{item_id}/"), each optionally after one method ("POST vault/items/").
    endpoints: tuple[str, ...] | str = ANY
    extra: tuple[str, ...] = ()  # extra fields of the error body
    kind: str = "error"  # "error": the `error` of a 4xx/5xx body; "status": the `status` of a 2xx body
    status_on: tuple[tuple[str, int], ...] = ()  # (path ending, status) where it comes with another status

    def status_for(self, path: str) -> int:
        """The HTTP status this code comes with on `path`."""
        return next((status for ending, status in self.status_on if path.endswith(ending)), self.status)

    @property
    def status_text(self) -> str:
        """The status for people: "401", or "401; 403 on /api/v1/account/password/"."""
        return "; ".join(
            [str(self.status), *(f"{status} on /api/v1/{ending}" for ending, status in self.status_on)]
        )

    def can_come_from(self, *, path: str, method: str | None, authenticated: bool) -> bool:
        """True when an operation (`method` None: any method) on `path` can answer this code."""
        if self.endpoints == ANY:
            return True
        if self.endpoints == AUTHENTICATED:
            return authenticated
        for endpoint in self.endpoints:
            only, _, ending = endpoint.rpartition(" ")
            if path.endswith(ending) and (not only or method is None or only == method.upper()):
                return True
        return False


ERRORS: tuple[ApiCode, ...] = (
    # --- Requests the server could not take --------------------------------------------
    ApiCode(
        "invalid",
        400,
        "A field is missing or malformed; `detail` names it. A name (`device_name`, `platform`) is one "
        "line of visible text: text-direction, zero-width and control characters are refused.",
        "Fix the request (drop such characters from a name). Sending it again unchanged gets the same "
        "answer.",
        "email: Enter a valid email address.",
    ),
    ApiCode(
        "malformed_request",
        400,
        "The body is not valid JSON.",
        "Send a JSON object with `Content-Type: application/json`.",
        "The request body is not valid JSON.",
    ),
    ApiCode(
        "bad_request",
        400,
        "The request could not be understood (for example a bad Host header).",
        "Check the client's HTTP stack; do not retry unchanged.",
        "The request could not be understood.",
    ),
    ApiCode(
        "not_found",
        404,
        "There is nothing at this address, or the object is not this account's.",
        "Check the path (every path ends with a slash).",
        "There is no API endpoint at this address.",
    ),
    ApiCode(
        "method_not_allowed",
        405,
        "This endpoint does not take this HTTP method.",
        "Use the method this documentation gives.",
        "This method is not allowed here.",
    ),
    ApiCode(
        "not_acceptable",
        406,
        "The `Accept` header asks for something other than JSON.",
        "Accept `application/json`.",
        "This API answers in JSON only.",
    ),
    ApiCode(
        "request_too_large",
        413,
        "The request body is larger than the server reads.",
        "Send less: split the work (one vault item per request).",
        "The request body is too large.",
    ),
    ApiCode(
        "unsupported_media_type",
        415,
        "The body is not JSON.",
        "Send `Content-Type: application/json`.",
        "Send the request body as JSON.",
    ),
    ApiCode(
        "rate_limited",
        429,
        "Too many attempts from this address or for this account.",
        "Wait the number of seconds in the `Retry-After` header, then try again. Do not loop.",
        "Too many attempts. Try again in 60 seconds.",
    ),
    ApiCode(
        "server_error",
        500,
        "Something failed on the server; nothing was half-done.",
        "Try again later with a growing delay; report it if it lasts.",
        "Something went wrong on our side. Try again in a moment.",
    ),
    # --- The device token ----------------------------------------------------------------
    ApiCode(
        "not_authenticated",
        401,
        "No device token was sent.",
        "Sign in (POST /api/v1/signin/) and send `Authorization: Bearer <device_token>`.",
        "Sign in on this device first and send its token as 'Bearer <token>'.",
        AUTHENTICATED,
    ),
    ApiCode(
        "token_invalid",
        401,
        "The device token is unknown or malformed.",
        "Forget the token and sign in again. Keep the local vault: it is still encrypted and valid.",
        "This device token is not valid. Sign in again.",
        AUTHENTICATED,
    ),
    ApiCode(
        "device_signed_out",
        401,
        "This device was signed out (from the account page, another app, or support).",
        "Forget the token and sign in again; a new device proof may be asked.",
        "This device was signed out. Sign in again to use it.",
        AUTHENTICATED,
    ),
    ApiCode(
        "account_reset",
        401,
        "The account was reset: every vault item and key made before the reset is destroyed. Every "
        "token the account ever had answers this, a device signed out before the reset included.",
        "Erase the local vault, keys and cached QR data of this account now, then sign in with the new "
        "password. Never upload the old items: they belong to a key generation that no longer exists.",
        "This account was reset: every vault item and key made before the reset was destroyed. Erase this "
        "device's local copy of the vault, then sign in again with the new password.",
        AUTHENTICATED,
    ),
    ApiCode(
        "password_changed",
        401,
        "The Account Password was changed on another device; this device's token was revoked.",
        "Keep the local vault (the key generation did not change), ask for the new password, sign in again "
        "and verify the device with the newest QR code.",
        "The account password was changed on another device. Sign in again with the new password and "
        "verify this device with the newest QR code.",
        AUTHENTICATED,
    ),
    ApiCode(
        "account_closed",
        401,
        "The account is closed; nobody can sign in to it.",
        "Stop syncing, forget the token and tell the user to contact support.",
        "This account is closed.",
        AUTHENTICATED,
    ),
    ApiCode(
        "forbidden",
        403,
        "This device may not do that.",
        "Do not retry; check that the action belongs to this device's account.",
        "This device may not do that.",
        AUTHENTICATED,
    ),
    ApiCode(
        "owner_verification_required",
        403,
        "This device signed in but has not proved it holds the account key.",
        "Run the new-device proof: sign the challenge from sign-in with the key derived from the QR code "
        "(POST /api/v1/devices/verify/).",
        "Verify this device with your QR code (Encrypted Account Key) first.",
        AUTHENTICATED,
    ),
    # --- Sign-up, pre-login, sign-in and passwords -----------------------------------------
    ApiCode(
        "invalid_credentials",
        401,
        "The e-mail address or the password (auth key) is wrong. The answer never says which.",
        "Ask the user again. After a few failures, offer the password hint and the reset page.",
        "The e-mail address or the password is wrong.",
        ("signin/", "account/password/"),
        status_on=(("account/password/", 403),),
    ),
    ApiCode(
        "hint_invalid",
        400,
        "The password hint is not accepted: it is longer than 200 characters. (The server cannot see "
        "the password: checking that the hint does not give it away is the device's job.)",
        "Show `detail` and ask for a shorter hint.",
        "The password hint must have at most 200 characters.",
        ("signup/", "account/password/"),
    ),
    ApiCode(
        "password_not_accepted",
        400,
        "A password field was sent: the server never takes the Account Password.",
        "Derive the auth key on the device (pre-login, Argon2id, HKDF) and send only that.",
        "Send the auth key derived on the device, never the password.",
        ("signup/", "signin/", "account/password/"),
    ),
    ApiCode(
        "auth_key_missing",
        400,
        "The auth key derived from the password is missing.",
        "Derive it on the device (docs/auth-protocol.md) and send it as 43 characters of base64url.",
        "auth_key is missing: derive it on the device from the password.",
        ("signup/", "signin/", "account/password/"),
    ),
    ApiCode(
        "auth_key_invalid",
        400,
        "The auth key is not 32 bytes of unpadded base64url.",
        "Check the derivation and the encoding (43 characters, no padding).",
        "auth_key must be the 32-byte auth key derived on the device, as 43 characters of base64url.",
        ("signup/", "signin/", "account/password/"),
    ),
    ApiCode(
        "kdf_missing",
        400,
        "The key derivation parameters (salt, iterations, memory_kib, parallelism) are missing.",
        "Send the parameters the auth key was derived with.",
        "The key derivation parameters are missing: send salt, iterations, memory_kib and parallelism.",
        ("signup/", "account/password/"),
    ),
    ApiCode(
        "kdf_invalid",
        400,
        "A key derivation parameter is malformed (the salt must be 16 random bytes).",
        "Generate a fresh 16-byte salt and send whole numbers for the costs.",
        "The key derivation salt must be 16 random bytes as unpadded base64url (22 characters).",
        ("signup/", "account/password/"),
    ),
    ApiCode(
        "kdf_too_weak",
        400,
        "The key derivation costs are below the server's floor.",
        "Derive again with at least the costs pre-login gives.",
        "The key derivation parameters are too weak: memory_kib must be at least 19456.",
        ("signup/", "account/password/"),
    ),
    ApiCode(
        "kdf_too_costly",
        400,
        "The key derivation costs are above the server's ceiling.",
        "Derive again with the costs pre-login gives.",
        "The key derivation parameters are too costly: memory_kib must be at most 1048576.",
        ("signup/", "account/password/"),
    ),
    ApiCode(
        "kdf_salt_reused",
        400,
        "A password change reused the account's current salt.",
        "Generate a fresh random salt for the new password.",
        "new_kdf.salt must be a fresh random salt, not the account's current one.",
        ("account/password/",),
    ),
    # --- New-device proof and account key ---------------------------------------------------
    ApiCode(
        "challenge_invalid",
        400,
        "The challenge was not issued to this device.",
        "Sign in again to get a new challenge.",
        "This challenge was not issued to this device. Sign in again to get a new one.",
        ("devices/verify/",),
    ),
    ApiCode(
        "challenge_used",
        409,
        "The challenge was already used.",
        "Sign in again to get a new challenge.",
        "This challenge was already used. Sign in again to get a new one.",
        ("devices/verify/",),
    ),
    ApiCode(
        "challenge_expired",
        410,
        "The challenge expired (it lives a few minutes).",
        "Sign in again to get a new challenge, and sign it at once.",
        "This challenge has expired. Sign in again to get a new one.",
        ("devices/verify/",),
    ),
    ApiCode(
        "signature_invalid",
        403,
        "The proof does not match the account's key. On a support request: the approval was not "
        "signed with the key of the account's current key generation, over this request, its code "
        "and this device (a device token alone cannot approve; each one counts as a wrong answer).",
        "New device: ask the user to scan the QR code from their most recent account key e-mail. "
        "Support request: unlock the app (the account key of the current generation) and sign "
        "again; never retry in a loop.",
        "The proof does not match this account's key. Scan the QR code from your most recent e-mail.",
        ("devices/verify/", "approve/"),
    ),
    ApiCode(
        "qr_obsolete",
        409,
        "The QR code holds the account key of an older key generation (the account was reset since).",
        "Tell the user this QR code is obsolete and ask for the one from the most recent e-mail.",
        "This QR code is obsolete: it holds the account key of generation 1, but the account is now on "
        "generation 2. Use the QR code from your most recent e-mail.",
        ("devices/verify/",),
        ("qr_generation", "current_generation"),
    ),
    ApiCode(
        "account_key_exists",
        409,
        "The account already has an account key.",
        "Do not create another: verify this device with the QR code instead.",
        "This account already has an account key. Verify this device with your QR code.",
        ("account/key/",),
    ),
    ApiCode(
        "payload_invalid",
        400,
        "The Encrypted Account Key (QR payload) is malformed or names another account.",
        "Rebuild it as docs/qr-format.md says, for this account ID and generation.",
        "The Encrypted Account Key names another account.",
        ("account/key/", "account/key/qr/", "account/password/"),
    ),
    ApiCode(
        "generation_obsolete",
        409,
        "The data was made under an older key generation: the account was reset since.",
        "Erase the local copy of the vault and sync again from cursor 0 with the current generation.",
        "This was made under key generation 1, but the account is now on generation 2 (it was reset). "
        "Erase the local copy and sync again.",
        ("account/key/", "account/key/qr/", "account/password/", "vault/items/", "vault/items/{item_id}/"),
        ("generation", "current_generation"),
    ),
    ApiCode(
        "generation_invalid",
        422,
        "The key generation is newer than the account's: it does not exist.",
        "Read the generation from GET /api/v1/account/ and use that.",
        "Key generation 3 does not exist for this account.",
        (
            "account/key/",
            "account/key/qr/",
            "account/password/",
            "vault/items/",
            "vault/items/{item_id}/",
            "backups/check/",
        ),
    ),
    # --- Vault sync ------------------------------------------------------------------------
    ApiCode(
        "item_too_large",
        413,
        "One item's ciphertext is larger than the limit.",
        "Tell the user the item is too large (attachments do not belong in the vault).",
        "This item is too large: at most 65536 bytes of ciphertext.",
        ("POST vault/items/", "PUT vault/items/{item_id}/"),
    ),
    ApiCode(
        "vault_full",
        422,
        "The vault holds the maximum number of items.",
        "Tell the user; nothing was stored.",
        "This vault is full: at most 10000 items.",
        ("POST vault/items/",),
    ),
    ApiCode(
        "item_exists",
        409,
        "An item with this id already exists.",
        "Use a new random UUID for a new item, or PUT to change the existing one.",
        "An item with this id already exists.",
        ("POST vault/items/",),
    ),
    ApiCode(
        "item_not_found",
        404,
        "There is no such item in this vault.",
        "Sync again: another device may have deleted it.",
        "There is no such item in this vault.",
        ("PUT vault/items/{item_id}/", "DELETE vault/items/{item_id}/"),
    ),
    ApiCode(
        "revision_conflict",
        409,
        "The item changed on another device since `base_revision`.",
        "Sync, merge the two versions on the device, then write again with the new revision.",
        "The item changed on another device (now revision 2). Sync first.",
        ("PUT vault/items/{item_id}/", "DELETE vault/items/{item_id}/"),
        ("current_revision",),
    ),
    # --- Backups and resets ------------------------------------------------------------------
    ApiCode(
        "account_mismatch",
        422,
        "The backup belongs to another account.",
        "Do not restore it into this account.",
        "This backup belongs to another account.",
        ("backups/check/",),
    ),
    ApiCode(
        "no_pending_reset",
        404,
        "There is no pending reset request to cancel.",
        "Nothing to do; refresh the account status.",
        "There is no pending reset request on this account.",
        ("account/reset-request/",),
    ),
    # --- Support requests (owner proofs, issue 19) -------------------------------------------
    ApiCode(
        "proof_not_found",
        404,
        "There is no such support request on this account (another account's, or a request the "
        "app cannot answer: those are answered on the portal page).",
        "Refresh the list (GET /api/v1/support-requests/) and answer only what it shows.",
        "There is no such support request on this account.",
        ("approve/", "refuse/"),
    ),
    ApiCode(
        "proof_expired",
        410,
        "The request expired (it lives `OWNER_PROOF_TTL_SECONDS`, 10 minutes by default).",
        "Tell the user to ask support for a new one; drop the request from the list.",
        "This support request has expired. Ask support for a new one.",
        ("approve/", "refuse/"),
    ),
    ApiCode(
        "proof_used",
        409,
        "The request was already answered (approved, refused, or failed after too many wrong "
        "answers): requests are single use.",
        "Drop it from the list. Nothing else to do: the agent already sees the outcome.",
        "This support request was already answered.",
        ("approve/", "refuse/"),
    ),
    ApiCode(
        "code_mismatch",
        403,
        "The code sent is not the request's code. Counts as a wrong answer: after "
        "`OWNER_PROOF_MAX_ATTEMPTS` (3) the request fails for good.",
        "Send the code shown with the request; if the agent reads out another code, refuse instead.",
        "This code does not match the request: check it with support.",
        ("approve/",),
    ),
)

# Codes in a successful answer's `status` field, or met by the reference client: not errors,
# but an app must act on them all the same.
STATUSES: tuple[ApiCode, ...] = (
    ApiCode(
        "authorized",
        200,
        "Sign-in: the device is signed in and verified.",
        "Keep the device token (in the platform's secure storage) and sync.",
        "Signed in.",
        ("signin/",),
        kind="status",
    ),
    ApiCode(
        "owner_verification_required",
        202,
        "Sign-in: a new device. It has a token but must prove it holds the account key.",
        "Ask the user to scan the QR code, sign `challenge.value` with the key it gives and "
        "POST /api/v1/devices/verify/ before `challenge.expires_at`.",
        "New device: prove you own the account by scanning the QR code from your latest account key "
        "e-mail, then sign the challenge.",
        ("signin/",),
        kind="status",
    ),
    ApiCode(
        "account_key_setup_required",
        202,
        "Sign-in: the account has no account key yet (first device after sign-up or a reset).",
        "Create the account key on this device and POST /api/v1/account/key/; the QR code is e-mailed.",
        "This account has no account key yet: create one on this device.",
        ("signin/",),
        kind="status",
    ),
    ApiCode(
        "backup_obsolete",
        200,
        "Backup check: `status` is `obsolete`: the backup was made under an older key generation.",
        "Never restore it: its items belong to keys destroyed by a reset (the reference client raises "
        "`backup_obsolete`).",
        "This backup was made under key generation 1, but the account is now on generation 2: it is "
        "obsolete and cannot be restored.",
        ("backups/check/",),
        kind="status",
    ),
)

CATALOGUE: dict[str, ApiCode] = {entry.code: entry for entry in ERRORS}


def error_codes_for(*, path: str, authenticated: bool, method: str | None = None) -> list[ApiCode]:
    """The error codes an operation (`method` None: any) on `path` can answer, in catalogue order."""
    return [
        entry
        for entry in ERRORS
        if entry.can_come_from(path=path, method=method, authenticated=authenticated)
    ]
