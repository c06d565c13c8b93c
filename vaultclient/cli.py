"""`python -m vaultclient`: the reference client on the command line."""

import argparse
import getpass
import json
import os
import sys

from .client import ClientError, VaultClient


def _password(prompt: str = "Account Password: ", env: str = "VAULT_PASSWORD") -> str:
    return os.environ.get(env) or getpass.getpass(prompt)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vaultclient", description="Reference vault app for the app API.")
    p.add_argument("--server", default=os.environ.get("VAULT_SERVER", "http://127.0.0.1:8000"))
    p.add_argument("--state", default=os.environ.get("VAULT_STATE", "vaultclient-state.json"))
    sub = p.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("signup", help="create an account")
    sp.add_argument("email")
    sp.add_argument("--hint", default="")
    sp = sub.add_parser("signin", help="sign this device in")
    sp.add_argument("email")
    sp.add_argument("--device-name", default="vaultclient")
    sub.add_parser("setup-key", help="create the account key; its QR code is e-mailed")
    sp = sub.add_parser("verify", help="verify this new device with the QR code")
    group = sp.add_mutually_exclusive_group(required=True)
    group.add_argument("--payload", help="the QR code's text (vaultkey:...)")
    group.add_argument("--png", help="a PNG image of the QR code")
    sp = sub.add_parser("add", help="add an item")
    sp.add_argument("name")
    sp.add_argument("secret")
    sub.add_parser("list", help="list items (decrypted locally)")
    sub.add_parser("sync", help="fetch changes from the server")
    sp = sub.add_parser("delete", help="delete an item")
    sp.add_argument("item_id")
    sp = sub.add_parser("export", help="write an encrypted backup file")
    sp.add_argument("path")
    sp = sub.add_parser("import", help="restore an encrypted backup file")
    sp.add_argument("path")
    sub.add_parser("change-password", help="change the Account Password (new QR e-mailed)")
    sub.add_parser("resend-qr", help="e-mail the QR code again")
    sub.add_parser("status", help="account status")
    sub.add_parser("support-requests", help="pending 'support asks you to confirm it is you' requests")
    sp = sub.add_parser(
        "approve", help="approve the support request showing CODE (signed with the account key)"
    )
    sp.add_argument("code")
    sp = sub.add_parser("refuse", help="refuse the support request showing CODE")
    sp.add_argument("code")
    sub.add_parser("signout", help="sign this device out")
    return p


def run(args: argparse.Namespace) -> str:
    client = VaultClient(args.server, args.state)
    match args.command:
        case "signup":
            return client.signup(email=args.email, password=_password(), hint=args.hint)
        case "signin":
            body = client.signin(email=args.email, password=_password(), device_name=args.device_name)
            upgrade = (
                "\nYour password protection uses older settings: run change-password with the same "
                "password to upgrade it."
                if body.get("kdf_upgrade")
                else ""
            )
            return f"{body['status']}: {body['detail']}{upgrade}"
        case "setup-key":
            return client.key_setup(password=_password())
        case "verify":
            return client.verify(password=_password(), payload=args.payload, png=args.png)
        case "add":
            return client.add(name=args.name, secret=args.secret)
        case "list":
            return (
                "\n".join(f"{i['name']}\t{i['secret']}\t{i['item_id']}" for i in client.items()) or "(empty)"
            )
        case "sync":
            return f"{client.sync()} change(s)"
        case "delete":
            client.delete(args.item_id)
            return "deleted"
        case "export":
            return f"backup written to {client.backup_export(args.path)}"
        case "import":
            return f"{client.backup_import(args.path)} item(s) restored"
        case "change-password":
            current = _password("Current password: ")
            new = _password("New password: ", env="VAULT_NEW_PASSWORD")
            return client.change_password(current_password=current, new_password=new)
        case "resend-qr":
            return client.resend_qr(password=_password())
        case "status":
            return json.dumps(client.status(), indent=2)
        case "support-requests":
            rows = client.support_requests()
            return (
                "\n".join(
                    f"{r['code']}\t{r['agent']}\t{r['conversation']}\texpires {r['expires_at']}" for r in rows
                )
                or "(no pending request)"
            )
        case "approve":
            return client.support_approve(args.code)
        case "refuse":
            return client.support_refuse(args.code)
        case "signout":
            return client.signout()
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        print(run(args))
    except ClientError as exc:
        print(f"error ({exc.code}): {exc}", file=sys.stderr)
        return 1
    return 0
