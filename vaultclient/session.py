"""The account side of an app: its state file, sign-in, the account key, devices and support checks.

`vaultclient.client.VaultClient` adds the vault (items, sync, backups) on top of this session.
"""

import json
import os
import uuid
from pathlib import Path

from . import crypto
from .api import Api, ApiError
from .errors import ClientError
from .policy import PasswordRejected, password_check

LOCKED = "This device has no account key yet: set it up or verify the device."


def qr_png_read(path: str | Path) -> str:
    """Return the text of the QR code in a PNG file."""
    import zxingcpp
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(path))
    if not results:
        raise ClientError("qr_unreadable", f"No QR code found in {path}.")
    return results[0].text


class AccountSession:
    """One app install's account side; its state (token, account key, local vault) is a JSON file.

    A real app keeps the account key in the platform keystore; this reference client keeps it in
    its state file (mode 0600), which is fine for tests and demos only.
    """

    def __init__(self, server: str, state_path: str | Path, *, kdf: crypto.KdfParams = crypto.DEFAULT_KDF):
        self.server = server
        self.state_path = Path(state_path)
        self.kdf = kdf
        self.state = json.loads(self.state_path.read_text()) if self.state_path.exists() else {}
        self.state.setdefault("device_uid", uuid.uuid4().hex)
        self.state.setdefault("items", {})
        self.state.setdefault("cursor", 0)

    # -- plumbing ---------------------------------------------------------------------------
    def _save(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(self.state, handle, indent=1)

    def _api(self) -> Api:
        return Api(self.server, self.state.get("token"))

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            return self._api().call(method, path, **kwargs)
        except ApiError as exc:
            if exc.code == "account_reset":
                self._erase_local_vault()
            raise ClientError(exc.code, exc.detail) from exc

    def _erase_local_vault(self) -> None:
        for key in ("account_key", "token", "generation"):
            self.state.pop(key, None)
        self.state["items"], self.state["cursor"] = {}, 0
        self._save()

    def _account_key(self) -> bytes:
        if "account_key" not in self.state:
            raise ClientError("locked", LOCKED)
        return crypto.b64url_decode(self.state["account_key"])

    def _generation(self) -> int:
        """The key generation of this device's account key (none before setup or verification)."""
        if "generation" not in self.state:
            raise ClientError("locked", LOCKED)
        return self.state["generation"]

    # -- zero-knowledge sign-in (docs/auth-protocol.md): the password never leaves this device --
    def prelogin(self, email: str) -> crypto.AuthKdf:
        """The salt and Argon2id costs the server gives for `email` (stand-ins if it has no account)."""
        body = self._call("POST", "prelogin/", json={"email": email})
        if body.get("kdf") != "argon2id":
            raise ClientError(
                "kdf_unknown", f"The server asks for an unknown key derivation: {body.get('kdf')}."
            )
        kdf = crypto.AuthKdf(
            salt=body["salt"],
            iterations=body["iterations"],
            memory_kib=body["memory_kib"],
            parallelism=body["parallelism"],
        )
        if not crypto.auth_kdf_acceptable(kdf):
            # A server (or someone in the middle) asking for a cheap derivation would get an auth
            # key that is cheap to guess the password from: never derive with such parameters.
            raise ClientError(
                "kdf_refused",
                "The server asked for key derivation parameters outside the protocol's limits "
                "(docs/auth-protocol.md); this client will not derive the password with them.",
            )
        return kdf

    def auth_key(self, *, email: str, password: str) -> str:
        """Pre-login, then Argon2id + HKDF on this device: what sign-in sends instead of the password."""
        return crypto.auth_key_derive(password, self.prelogin(email))

    @staticmethod
    def new_credentials(
        *, password: str, hint: str = "", email: str = "", costs: dict | None = None
    ) -> tuple[str, crypto.AuthKdf]:
        """Check the password rules here (the server cannot), then derive under a fresh salt.

        `costs` are the server's current defaults (sign-in's `kdf_default`, or pre-login's answer
        for an address without an account); never below this client's own defaults.
        """
        try:
            password_check(password, hint=hint, user_inputs=(email,) if email else ())
        except PasswordRejected as exc:
            raise ClientError(exc.code, str(exc))
        own = crypto.AuthKdf(salt="")
        kdf = crypto.AuthKdf.fresh(
            **{
                name: max(int((costs or {}).get(name, 0)), getattr(own, name))
                for name in ("iterations", "memory_kib", "parallelism")
            }
        )
        return crypto.auth_key_derive(password, kdf), kdf

    # -- account and device -----------------------------------------------------------------
    def signup(self, *, email: str, password: str, hint: str = "") -> str:
        costs = self.prelogin(email).as_dict()  # an address without an account: today's defaults
        auth_key, kdf = self.new_credentials(password=password, hint=hint, email=email, costs=costs)
        body = self._call(
            "POST", "signup/", json={"email": email, "auth_key": auth_key, "kdf": kdf.as_dict(), "hint": hint}
        )
        return body["detail"]

    def signin(
        self, *, email: str, password: str, device_name: str = "vaultclient", platform: str = "cli"
    ) -> dict:
        body = self._call(
            "POST",
            "signin/",
            json={
                "email": email,
                "auth_key": self.auth_key(email=email, password=password),
                "device_uid": self.state["device_uid"],
                "device_name": device_name,
                "platform": platform,
            },
        )
        self.state.update(
            email=email,
            token=body["device_token"],
            account_id=body["account_id"],
            server_generation=body["generation"],
            challenge=(body.get("challenge") or {}).get("value"),
            kdf_upgrade=bool(body.get("kdf_upgrade")),
            kdf_default=body.get("kdf_default") or {},
        )
        if self.state.get("generation") not in (None, body["generation"]):
            self._erase_local_vault()
            self.state.update(token=body["device_token"])
        self._save()
        return body

    def key_setup(self, *, password: str) -> str:
        """Create the account key of the current generation; the server e-mails its QR code."""
        account_key = crypto.account_key_new()
        generation = self.state["server_generation"]
        payload = crypto.payload_seal(
            account_key=account_key,
            password=password,
            account_id=self.state["account_id"],
            generation=generation,
            kdf=self.kdf,
        )
        body = self._call(
            "POST",
            "account/key/",
            json={
                "generation": generation,
                "verifier": crypto.b64url(crypto.verifier_public(account_key)),
                "encrypted_account_key": payload,
            },
        )
        self.state.update(account_key=crypto.b64url(account_key), generation=generation)
        self._save()
        return body["detail"]

    def verify(self, *, password: str, payload: str | None = None, png: str | Path | None = None) -> str:
        """Prove ownership on this new device with the QR code (text or PNG) and the password."""
        text = payload if payload is not None else qr_png_read(png)
        try:
            opened = crypto.payload_open(text, password)
        except crypto.PayloadError as exc:
            raise ClientError(exc.code, str(exc))
        if opened.account_id != self.state.get("account_id"):
            raise ClientError("wrong_account", "This QR code belongs to another account.")
        if not self.state.get("challenge"):
            raise ClientError("no_challenge", "Sign in first: the server gives a challenge to sign.")
        signature = crypto.ownership_sign(
            account_key=opened.account_key,
            account_id=opened.account_id,
            device_uid=self.state["device_uid"],
            challenge=self.state["challenge"],
        )
        body = self._call(
            "POST", "devices/verify/", json={"challenge": self.state["challenge"], "signature": signature}
        )
        self.state.update(
            account_key=crypto.b64url(opened.account_key), generation=opened.generation, challenge=None
        )
        self._save()
        return body["detail"]

    # -- support identity checks (issue 19): approve only in an unlocked app --------------------
    def support_requests(self) -> list[dict]:
        """Pending "support asks you to confirm it is you" requests, with the code the agent sees."""
        return self._call("GET", "support-requests/")

    def _support_request(self, code: str) -> dict:
        wanted = code.strip().upper()
        for request in self.support_requests():
            if request["code"] == wanted:
                return request
        raise ClientError("no_such_request", "No pending support request shows this code.")

    def support_approve(self, code: str) -> str:
        """Sign the request whose code matches with the account-key-derived key and approve it."""
        request = self._support_request(code)
        signature = crypto.support_proof_sign(
            account_key=self._account_key(),
            account_id=self.state["account_id"],
            proof_id=request["id"],
            code=request["code"],
            device_uid=self.state["device_uid"],
        )
        path = f"support-requests/{request['id']}/approve/"
        return self._call("POST", path, json={"code": request["code"], "signature": signature})["detail"]

    def support_refuse(self, code: str) -> str:
        request = self._support_request(code)
        return self._call("POST", f"support-requests/{request['id']}/refuse/")["detail"]

    def status(self) -> dict:
        return self._call("GET", "account/")

    def licence(self) -> dict:
        return self._call("GET", "licence/")

    def resend_qr(self, *, password: str) -> str:
        payload = self._payload(password)
        return self._call("POST", "account/key/qr/", json={"encrypted_account_key": payload})["detail"]

    def change_password(self, *, current_password: str, new_password: str, hint: str | None = None) -> str:
        """New auth key under a fresh salt and the account key re-wrapped under the new password.

        With the same password twice, this is the re-keying a `kdf_upgrade` sign-in asks for.
        """
        email = self.state.get("email")
        if not email:
            raise ClientError("not_signed_in", "Sign in on this device first.")
        current = self.auth_key(email=email, password=current_password)
        new_auth_key, new_kdf = self.new_credentials(
            password=new_password, hint=hint or "", email=email, costs=self.state.get("kdf_default")
        )
        payload = self._payload(new_password)
        json_body = {
            "current_auth_key": current,
            "new_auth_key": new_auth_key,
            "new_kdf": new_kdf.as_dict(),
            "encrypted_account_key": payload,
        }
        if hint is not None:
            json_body["hint"] = hint
        body = self._call("POST", "account/password/", json=json_body)
        self.state["kdf_upgrade"] = False
        self._save()
        return body["detail"]

    def signout(self) -> str:
        detail = self._call("POST", "signout/")["detail"]
        self._erase_local_vault()
        return detail

    def _payload(self, password: str) -> str:
        return crypto.payload_seal(
            account_key=self._account_key(),
            password=password,
            account_id=self.state["account_id"],
            generation=self.state["generation"],
            kdf=self.kdf,
        )
