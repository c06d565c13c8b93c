"""Benchmark: account reset completion on PostgreSQL for vaults of 1k to 1M items.

Not a test. Seeds one account per size with COPY, completes a real reset through
`resets.services.reset_complete` (Argon2id hashing included), and reports the wall time,
the time of the single vault DELETE, and the number of SQL statements (which must not grow
with the vault). Prints a markdown table (and writes it to --output if given).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_resets_bench \\
        .venv/bin/python bench/reset_completion.py --sizes 1000 10000 100000 1000000
"""

import argparse
import io
import os
import platform
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User, VaultItem  # noqa: E402
from accounts.services import account_create  # noqa: E402
from portal.celery import app as celery_app  # noqa: E402
from resets import services  # noqa: E402
from resets.tokens import RESET, default_token_generator  # noqa: E402

BLOBS = [os.urandom(160) for _ in range(997)]
NONCES = [os.urandom(24) for _ in range(101)]


def _seed(account_pk: int, count: int) -> float:
    """Insert `count` vault rows for the account with one COPY; return the seconds it took."""
    start = time.perf_counter()
    columns = "account_id, item_id, ciphertext, nonce, generation, revision, deleted, updated_at"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(f"COPY accounts_vaultitem ({columns}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for n in range(count):
                buffer.write(
                    f"{account_pk}\t{uuid.uuid4()}\t\\\\x{BLOBS[n % 997].hex()}\t\\\\x{NONCES[n % 101].hex()}"
                    f"\t1\t{n + 1}\t{'t' if n % 10 == 0 else 'f'}\t2026-01-01 00:00:00+00\n"
                )
                if n % 20_000 == 19_999:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        cursor.execute("ANALYZE accounts_vaultitem")
    return time.perf_counter() - start


def _pending_token(account) -> str:
    email = services.reset_request_create(email=account.user.email)
    email.refresh_from_db()
    reset_request = services.reset_request_record(email=email)
    return default_token_generator.token_make(purpose=RESET, account_pk=account.pk, nonce=reset_request.nonce)


def run(size: int) -> dict:
    user = User.objects.create_user(email=f"bench-{uuid.uuid4().hex[:10]}@example.com", password="x" * 12)
    account = account_create(user=user)
    seed_seconds = _seed(account.pk, size)
    token = _pending_token(account)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        services.reset_complete(token=token, password="Bench-new-password-2026", hint="")
        seconds = time.perf_counter() - start
    deletes = [q for q in queries.captured_queries if q["sql"].startswith('DELETE FROM "accounts_vaultitem"')]
    assert len(deletes) == 1, "the vault must go in one statement"
    assert not VaultItem.objects.filter(account=account).exists()
    return {
        "items": size,
        "seed": seed_seconds,
        "complete": seconds,
        "delete": float(deletes[0]["time"]),
        "statements": len(queries.captured_queries),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| vault items | completion (s) | of which vault DELETE (s) | SQL statements "
        "| seeding with COPY (s) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['items']:,} | {r['complete']:.2f} | {r['delete']:.2f} "
            f"| {r['statements']} | {r['seed']:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--output", type=Path)
    parser.add_argument("--no-migrate", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this benchmark is about PostgreSQL.")
    # E-mails go to an in-memory queue nobody reads, as they would go to Redis in production:
    # the timing is the web request's, not the worker's.
    celery_app.conf.update(task_always_eager=False, broker_url="memory://localhost/")
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    rows = []
    for size in args.sizes:
        row = run(size)
        rows.append(row)
        print(f"{size:>9,} items: {row['complete']:.2f} s, {row['statements']} statements", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    header = (
        f"PostgreSQL {server}, Python {platform.python_version()}, {os.cpu_count()} CPU cores, "
        f"password hasher {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[-1]}"
    )
    output = f"{header}\n\n{table(rows)}\n"
    print(output)
    if args.output:
        args.output.write_text(output)


if __name__ == "__main__":
    main()
