"""Seed benchmark accounts fast: one auth key derived once, its hash shared by every user.

Run inside the stack's environment: `python -m bench.seed PREFIX COUNT PASSWORD`. Every account
gets the same salt (`bench_kdf()`), so a load generator derives the auth key once
(`bench_auth_key(PASSWORD)`) and posts it, as a device would after pre-login.
"""

import os
import sys

import django

BENCH_SALT = "YmVuY2gtc2FsdC0xNmJ5dA"  # b"bench-salt-16byt"


def bench_auth_key(password: str) -> str:
    from vaultclient.crypto import AuthKdf, auth_key_derive

    return auth_key_derive(password, AuthKdf(salt=BENCH_SALT))


def seed_accounts(prefix: str, count: int, password: str) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.ids import account_id_new
    from accounts.kdf import kdf_default
    from accounts.models import Account, License, User

    encoded = make_password(bench_auth_key(password))
    kdf = kdf_default(salt=BENCH_SALT)
    fields = {
        "kdf_salt": kdf.salt,
        "kdf_iterations": kdf.iterations,
        "kdf_memory_kib": kdf.memory_kib,
        "kdf_parallelism": kdf.parallelism,
    }
    batch = 5000
    with transaction.atomic():
        for start in range(0, count, batch):
            emails = [f"{prefix}-{n}@bench.example" for n in range(start, min(count, start + batch))]
            users = User.objects.bulk_create([User(email=e, password=encoded, **fields) for e in emails])
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
            )
            accounts = Account.objects.bulk_create(
                [Account(user=u, account_id=account_id_new()) for u in users]
            )
            License.objects.bulk_create([License(account=a) for a in accounts])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.bench")
    django.setup()
    seed_accounts(sys.argv[1], int(sys.argv[2]), sys.argv[3])
