# One piece (over 300 lines): a self-contained benchmark script, seeding, measuring and reporting in one run.
"""Benchmark: support console lookups by e-mail and account ID on PostgreSQL at scale.

Not a test. Seeds N customer accounts (user, account, licence) with COPY into a separate
PostgreSQL database, then times the console's own selectors over many random lookups and
prints median / p95 / max, plus the query plans.

    .venv/bin/python bench/support_lookup.py                      # 1,000,000 accounts
    .venv/bin/python bench/support_lookup.py --accounts 200000 --lookups 5000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/support_lookup.py

Seeding is skipped when the database already holds at least N bench accounts.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/support_bench"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BATCH = 100_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=2_000)
    parser.add_argument(
        "--events", type=int, default=10_000_000, help="security events spread over the accounts"
    )
    parser.add_argument(
        "--heavy-events", type=int, default=10_000, help="events on the one account whose view is timed"
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    import psycopg

    base, _, name = database_url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def account_ids(n: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    while len(seen) < n:
        seen.add("".join(rng.choices(ALPHABET, k=10)))
    return list(seen)


def _copy(cursor, sql: str, rows) -> None:
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join(row))
        buf.write("\n")
    with cursor.copy(sql) as copy:
        copy.write(buf.getvalue())


def seed(n: int) -> float:
    from django.db import connection, transaction

    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM accounts_user WHERE email LIKE 'bench%%@bench.example'")
        have = c.fetchone()[0]
    if have >= n:
        print(f"seed: {have:,} bench accounts already present, skipping")
        return 0.0
    started = time.perf_counter()
    rng = random.Random(42)
    with connection.cursor() as c:
        c.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
        user_base = c.fetchone()[0] + 1
        c.execute("SELECT coalesce(max(id), 0) FROM accounts_account")
        account_base = c.fetchone()[0] + 1
        c.execute("SELECT coalesce(max(id), 0) FROM accounts_license")
        license_base = c.fetchone()[0] + 1
    ids = account_ids(n - have, rng)
    now = "2026-01-01 00:00:00+00"
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        cur = raw.cursor()
        for start in range(0, len(ids), BATCH):
            chunk = range(start, min(start + BATCH, len(ids)))
            _copy(
                cur,
                "COPY accounts_user (id, password, is_superuser, is_staff, is_active, date_joined, email)"
                " FROM STDIN",
                (
                    (str(user_base + i), "!", "f", "f", "t", now, f"bench{have + i}@bench.example")
                    for i in chunk
                ),
            )
            _copy(
                cur,
                "COPY accounts_account (id, user_id, account_id, password_hint, key_generation,"
                " vault_revision, created_at) FROM STDIN",
                ((str(account_base + i), str(user_base + i), ids[i], "", "1", "0", now) for i in chunk),
            )
            _copy(
                cur,
                "COPY accounts_license (id, account_id, plan, status, seats, starts_at, updated_at)"
                " FROM STDIN",
                (
                    (str(license_base + i), str(account_base + i), "premium", "active", "1", now, now)
                    for i in chunk
                ),
            )
            print(f"seed: {have + chunk.stop:,} / {n:,}", flush=True)
        for table in ("accounts_user", "accounts_account", "accounts_license"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    with connection.cursor() as c:
        c.execute("ANALYZE accounts_user; ANALYZE accounts_account; ANALYZE accounts_license")
    return time.perf_counter() - started


def seed_events(total: int, heavy: int) -> tuple[float, int]:
    """Spread `total` security events over the bench accounts; give one account `heavy` of them.

    Returns (seconds, pk of the heavy account). Skipped when the table already holds `total`.
    """
    from django.db import connection, transaction

    with connection.cursor() as c:
        c.execute("SELECT min(id), max(id) FROM accounts_account")
        low, high = c.fetchone()
        c.execute("SELECT count(*) FROM accounts_securityevent")
        have = c.fetchone()[0]
    if have >= total:
        print(f"seed: {have:,} security events already present, skipping")
        return 0.0, low
    started = time.perf_counter()
    rng = random.Random(11)
    types = ["signed_in", "device_added", "signed_out", "qr_sent", "password_changed"]
    with transaction.atomic():
        connection.ensure_connection()
        cur = connection.connection.cursor()
        done = 0
        while done < total - have:
            size = min(BATCH * 5, total - have - done)

            def rows(size=size, done=done):
                for i in range(size):
                    account = low if done + i < heavy else rng.randint(low, high)
                    minute = (done + i) % 500_000
                    yield (
                        str(account),
                        types[i % 5],
                        f"2026-{1 + minute % 12:02d}-{1 + minute % 28:02d} "
                        f"{minute % 24:02d}:{minute % 60:02d}:00+00",
                        "192.0.2.1",
                        "bench",
                        "{}",
                    )

            _copy(
                cur,
                "COPY accounts_securityevent (account_id, type, created_at, ip, user_agent, details)"
                " FROM STDIN",
                rows(),
            )
            done += size
            print(f"seed: {have + done:,} / {total:,} events", flush=True)
    with connection.cursor() as c:
        c.execute("ANALYZE accounts_securityevent")
    return time.perf_counter() - started, low


def timed(func, queries, *, found: bool = True) -> list[float]:
    """Run `func` on every query; return the times in ms (and check each finds, or not, an account)."""
    times = []
    for query in queries:
        started = time.perf_counter()
        result = func(query)
        times.append((time.perf_counter() - started) * 1000)
        assert bool(result.accounts) is found, f"unexpected result for {query!r}"
    return times


def summary(label: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[int(len(times) * 0.95) - 1]
    return f"| {label} | {len(times):,} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |"


def plan(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in c.fetchall())


def account_view_times(account, *, runs: int) -> tuple[list[float], int]:
    """Time the console's account page (full request: selectors and template) for an agent."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from accounts.models import User

    agent, _ = User.objects.get_or_create(email="bench-agent@bench.example", defaults={"is_staff": True})
    agent.groups.add(Group.objects.get_or_create(name="agent")[0])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(agent)
    url = f"/support/accounts/{account.account_id}/"
    assert client.get(url).status_code == 200
    statements = []
    # execute_wrapper, not CaptureQueriesContext: a request resets the query log when it starts.
    with connection.execute_wrapper(
        lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
    ):
        client.get(url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times, len(statements)


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.db import connection

    from accounts.models import Account
    from support.selectors.console import _accounts, account_dossier, console_search

    seconds = seed(args.accounts)
    event_seconds, heavy_pk = seed_events(args.events, args.heavy_events)
    total = Account.objects.count()
    rng = random.Random(7)
    with connection.cursor() as c:
        c.execute(
            "SELECT u.email, a.account_id FROM accounts_account a JOIN accounts_user u ON u.id = a.user_id "
            "WHERE u.email LIKE 'bench%%' ORDER BY random() LIMIT %s",
            [args.lookups],
        )
        sample = c.fetchall()
    emails = [row[0] for row in sample]
    ids = [row[1] for row in sample]
    typed_emails = [e.upper() if rng.random() < 0.5 else e for e in emails]
    typed_ids = [f"{i[:4]}-{i[4:8]}-{i[8:]}".lower() for i in ids]

    console_search(emails[0])  # warm up the connection
    by_email = timed(console_search, typed_emails)
    by_id = timed(console_search, typed_ids)
    unknown = [f"nobody{i}@bench.example" for i in range(min(500, args.lookups))]
    misses = timed(console_search, unknown, found=False)
    accounts = [Account.objects.get(account_id=i) for i in ids[:200]]
    dossier_times = []
    for account in accounts:
        started = time.perf_counter()
        account_dossier(account)
        dossier_times.append((time.perf_counter() - started) * 1000)

    heavy = Account.objects.get(pk=heavy_pk)
    view_times, view_queries = account_view_times(heavy, runs=100)

    print()
    seeded = f"; seeding took {seconds:.1f} s" if seconds else ""
    seeded += f"; {args.events:,} security events (seeded in {event_seconds:.1f} s)" if event_seconds else ""
    print(f"accounts in database: {total:,}{seeded}")
    print("| lookup | runs | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    print(summary("by e-mail (console_search, mixed case)", by_email))
    print(summary("by account ID (console_search, typed with dashes)", by_id))
    print(summary("unknown e-mail (console_search)", misses))
    print(summary("account view data (account_dossier, 9 queries)", dossier_times))
    heavy_events = heavy.security_events.count()
    print(
        summary(
            f"account view page, {heavy_events:,} events on the account ({view_queries} queries)", view_times
        )
    )
    print()
    email_sql, email_params = _accounts().filter(user__email=emails[0]).query.sql_with_params()
    id_sql, id_params = _accounts().filter(account_id=ids[0]).query.sql_with_params()
    print("plan, by e-mail:\n" + plan(email_sql, email_params))
    print("plan, by account ID:\n" + plan(id_sql, id_params))


if __name__ == "__main__":
    main()
