"""Benchmark: help-centre search with 1,000 published articles (target: p95 under 20 ms).

Not a test. Loads the seeded help centre plus generated articles up to N, indexes them once
(`support.search.index_rebuild`), then times `support.search.knowledge_search` — the call the
search page makes — over a mix of people's queries: plain words, synonyms, typos and queries
that find nothing. Prints median / p95 / max per backend.

    .venv/bin/python bench/knowledge_search.py                  # SQLite file var/bench/kb.sqlite3
    .venv/bin/python bench/knowledge_search.py --postgres       # postgres://postgres@127.0.0.1:5432/kb_bench
    .venv/bin/python bench/knowledge_search.py --articles 5000 --queries 3000
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/kb_bench"
QUERIES = [
    "forgot my master password",
    "resett",
    "new phone",
    "lost qr code",
    "2FA",
    "two-step sign in",
    "face id",
    "delete my account",
    "old backup after reset",
    "refund",
    "pasword hint",
    "syncing between devices",
    "what can you see",
    "stolen laptop",
    "licence seats family",
    "zzqxv nothing",
]
WORDS = [
    "vault",
    "device",
    "password",
    "sync",
    "backup",
    "export",
    "import",
    "licence",
    "seat",
    "phone",
    "laptop",
    "browser",
    "key",
    "generation",
    "encrypted",
    "account",
    "hint",
    "reset",
    "sign",
    "unlock",
    "biometric",
    "passkey",
    "recovery",
    "code",
    "support",
    "ticket",
    "chat",
    "renew",
    "invoice",
    "team",
    "family",
    "privacy",
    "audit",
    "history",
    "network",
    "session",
    "token",
    "item",
    "note",
    "card",
    "file",
    "share",
    "folder",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    return parser.parse_args()


def setup_django(args) -> None:
    if args.postgres or args.database_url.startswith("postgres"):
        url = args.database_url or POSTGRES_URL
        import psycopg

        base, _, name = url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        path = ROOT / "var" / "bench" / "kb.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        url = args.database_url or f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def seed(n: int) -> None:
    """Top the help centre up to `n` published articles of a few hundred words each, then index."""
    from support import search
    from support.models import Article, ArticleCategory

    have = Article.objects.filter(is_published=True).count()
    if have >= n:
        return
    rng = random.Random(7)
    categories = list(ArticleCategory.objects.all())
    articles = []
    for i in range(have, n):
        paragraphs = [" ".join(rng.choices(WORDS, k=60)) + "." for _ in range(5)]
        articles.append(
            Article(
                category=categories[i % len(categories)],
                title=" ".join(rng.choices(WORDS, k=6)).capitalize(),
                slug=f"bench-{i}",
                summary=" ".join(rng.choices(WORDS, k=15)) + ".",
                body="\n\n".join(paragraphs),
                position=100 + i % 50,
            )
        )
    Article.objects.bulk_create(articles, batch_size=500)
    search.index_rebuild()


def backend_cpu_seconds(connection) -> float | None:
    """CPU time so far of this connection's PostgreSQL backend process (same host only), else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def main() -> None:
    args = parse_args()
    setup_django(args)
    seed(args.articles)
    from django.db import connection

    from support.models import Article
    from support.search import knowledge_search

    knowledge_search("warm up")  # builds this process's vocabulary once, as the first request does
    rng = random.Random(11)
    timings: dict[str, list[float]] = {q: [] for q in QUERIES}
    cpu: list[float] = []
    load_before = os.getloadavg()[0]
    server_before = backend_cpu_seconds(connection)
    for _ in range(args.queries):
        query = rng.choice(QUERIES)
        start, start_cpu = time.perf_counter(), time.process_time()
        knowledge_search(query)
        timings[query].append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    every = sorted(t for ts in timings.values() for t in ts)
    cpu.sort()
    server_after = backend_cpu_seconds(connection)

    def p95(values):
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]

    print(
        f"{connection.vendor}: {Article.objects.filter(is_published=True).count()} published articles, "
        f"{len(every)} searches"
    )
    print(
        f"all queries: median {statistics.median(every):.2f} ms, p95 {p95(every):.2f} ms, "
        f"max {every[-1]:.2f} ms"
    )
    print(
        f"CPU time of this process per search (less sensitive to other load; the database server's own "
        f"time is not in it on PostgreSQL): median {statistics.median(cpu):.2f} ms, p95 {p95(cpu):.2f} ms"
    )
    if server_before is not None and server_after is not None:
        server_ms = (server_after - server_before) * 1000 / args.queries
        print(f"CPU time of the PostgreSQL backend per search (mean, /proc; 10 ms ticks): {server_ms:.2f} ms")
    print(
        f"load average (1 min) before / after the run: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores"
    )
    for query, values in timings.items():
        if values:
            print(f"  {query!r:32} median {statistics.median(values):6.2f} ms  p95 {p95(values):6.2f} ms")
    for query in QUERIES[:4]:
        hits = knowledge_search(query).hits
        print(f"  first for {query!r}: {hits[0].article.slug if hits else '-'}")


if __name__ == "__main__":
    main()
