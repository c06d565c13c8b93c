"""Demo data for the embedded default: one customer with a vault, one agent, one supervisor."""

import os
import uuid
from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .kdf import kdf_default
from .models import Account, Device, License, User, VaultItem
from .roles import SUPPORT_GROUPS
from .services import account_create, credentials_set, license_history_record

DEMO_CUSTOMER = "customer@demo.vault.example"
DEMO_AGENT = "agent@demo.vault.example"
DEMO_SUPERVISOR = "supervisor@demo.vault.example"
DEMO_PASSWORD = "correct-horse-battery-staple"
# The demo staff's authenticator-app secret (README): staff need a second factor for the console.
# Add it to an authenticator app, or print a code with `python -c "import pyotp;
# print(pyotp.TOTP('VAULTDEMOSTAFF2FAVAULTDEMOSTAFF2').now())"`. Demo data only.
DEMO_STAFF_TOTP_SECRET = "VAULTDEMOSTAFF2FAVAULTDEMOSTAFF2"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


def _user(email: str, *, staff: bool) -> tuple[User, bool]:
    user = User.objects.filter(email=email).first()
    if user:
        return user, False
    user = User.objects.create_user(email=email, is_staff=staff)
    # The same derivation as a browser or app (docs/auth-protocol.md), done here once: the
    # server stores only the auth key's hash, so the demo logins sign in like any other.
    from vaultclient.crypto import auth_key_derive

    kdf = kdf_default()
    credentials_set(user=user, auth_key=auth_key_derive(DEMO_PASSWORD, kdf), kdf=kdf)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, True


def _demo_vault(account: Account) -> None:
    now = timezone.now()
    for uid, name, platform, authorized_days, seen_days in (
        ("demo-phone", "Demo phone", "ios", 40, 2),
        ("demo-laptop", "Demo laptop", "macos", 90, 12),
    ):
        Device.objects.create(
            account=account,
            device_uid=uid,
            name=name,
            platform=platform,
            authorized_at=now - timedelta(days=authorized_days),
            last_seen_at=now - timedelta(days=seen_days),
        )
    items = [
        VaultItem(
            account=account,
            item_id=uuid.uuid4(),
            ciphertext=os.urandom(96),
            nonce=os.urandom(12),
            generation=account.key_generation,
            revision=index + 1,
        )
        for index in range(12)
    ]
    VaultItem.objects.bulk_create(items)
    Account.objects.filter(pk=account.pk).update(vault_revision=len(items))


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    """Create the demo users if missing (safe to run again); return the logins created now."""
    created: list[DemoLogin] = []
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in SUPPORT_GROUPS}

    customer, is_new = _user(DEMO_CUSTOMER, staff=False)
    if is_new:
        account = account_create(
            user=customer, password_hint="The horse and the battery", plan=License.Plan.PREMIUM
        )
        license = account.license
        license.expires_at = timezone.now() + timedelta(days=365)
        license.save()
        license_history_record(license=license, reason="Demo: yearly Premium")
        _demo_vault(account)
        created.append(DemoLogin("customer", DEMO_CUSTOMER, DEMO_PASSWORD))

    for role, email in (("agent", DEMO_AGENT), ("supervisor", DEMO_SUPERVISOR)):
        user, is_new = _user(email, staff=True)
        user.groups.add(groups[role])
        if is_new:
            TOTP.activate(user, DEMO_STAFF_TOTP_SECRET)
        if is_new:
            created.append(DemoLogin(role, email, DEMO_PASSWORD))
    return created
