"""Seed benchmark accounts fast: one Argon2id hash computed once and shared by every user.

Run inside the stack's environment: `python -m bench.seed PREFIX COUNT PASSWORD`.
"""

import os
import sys

import django


def seed_accounts(prefix: str, count: int, password: str) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.ids import account_id_new
    from accounts.models import Account, License, User

    encoded = make_password(password)
    batch = 5000
    with transaction.atomic():
        for start in range(0, count, batch):
            emails = [f"{prefix}-{n}@bench.example" for n in range(start, min(count, start + batch))]
            users = User.objects.bulk_create([User(email=e, password=encoded) for e in emails])
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
