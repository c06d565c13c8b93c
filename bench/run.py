# One piece: one script read top to bottom; each bench_* is a scenario sharing the helpers above it.
"""Run the production-shape benchmarks and write their section of docs/benchmarks.md.

    python -m bench.run                      # everything (several minutes)
    python -m bench.run --only signin        # one part: signin, reset_email, reset_page
    python -m bench.run --repeats 1 --quick  # a smoke run with short durations

Load comes from locust in a separate process; all traffic goes to 127.0.0.1.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import psutil

from bench.report import machine, render, summary, write_doc
from bench.seed import bench_auth_key
from bench.stack import ROOT, VAR, Stack

PASSWORD = "bench-Password-4242"


# ---- measurement helpers -------------------------------------------------------------------


def locust(
    stack: Stack,
    *,
    scenario: str,
    users: int,
    seconds: int,
    prefix: str,
    rate_per_user: float = 0,
    extra_env: dict | None = None,
    tag: str,
) -> dict:
    """Run locust headless against the stack; return the aggregated stats of the POST requests."""
    out = VAR / f"locust-{tag}"
    env = {
        **stack.env,
        "BENCH_SCENARIO": scenario,
        "BENCH_PASSWORD": PASSWORD,
        "BENCH_AUTH_KEY": bench_auth_key(PASSWORD),
        "BENCH_PREFIX": prefix,
        "BENCH_RATE_PER_USER": str(rate_per_user),
        **(extra_env or {}),
    }
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            stack.url,
            "--csv",
            str(out),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    with open(f"{out}_stats.csv") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"].startswith("POST")]
    row = rows[0]
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "median_ms": float(row["50%"]),
        "p99_ms": float(row["99%"]),
    }


def gunicorn_cpu_seconds(stack: Stack) -> float:
    """CPU seconds used so far by the gunicorn master and its workers."""
    root = psutil.Process(stack.procs["web"].pid)
    total = 0.0
    for proc in [root, *root.children(recursive=True)]:
        times = proc.cpu_times()
        total += times.user + times.system
    return total


def _hash_for(seconds: float) -> tuple[int, float]:
    """Verify one Argon2id hash for `seconds`; return (count, CPU seconds of all threads)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    django.setup()
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    count, deadline = 0, time.monotonic() + seconds
    cpu_before = time.process_time()
    while time.monotonic() < deadline:
        hasher.verify(PASSWORD, encoded)
        count += 1
    return count, time.process_time() - cpu_before


def argon2_bound(seconds: float = 10.0) -> dict:
    """How many Argon2id verifications per second all cores can do with the production parameters."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    cores = os.cpu_count() or 1
    with Pool(cores) as pool:
        results = pool.map(_hash_for, [seconds] * cores)
    counts = [count for count, _ in results]
    cpu_ms_per_hash = sum(cpu for _, cpu in results) / max(sum(counts), 1) * 1000
    hasher = Argon2PasswordHasher
    return {
        "hashes_per_s": sum(counts) / seconds,
        "cpu_ms_per_hash": cpu_ms_per_hash,
        "time_cost": hasher.time_cost,
        "memory_cost_kib": hasher.memory_cost,
        "parallelism": hasher.parallelism,
    }


# ---- scenarios -----------------------------------------------------------------------------


def bench_signin(stack: Stack, repeats: int, seconds: int) -> dict:
    users = 4
    stack_seed(stack, "signin", 20000)
    bound = argon2_bound(seconds=min(10, seconds))
    runs = []
    for n in range(repeats):
        before = gunicorn_cpu_seconds(stack)
        run = locust(
            stack, scenario="signin", users=users, seconds=seconds, prefix="signin", tag=f"signin-{n}"
        )
        run["cpu_ms_per_request"] = (gunicorn_cpu_seconds(stack) - before) / max(run["requests"], 1) * 1000
        runs.append(run)
        stack.manage(
            "shell",
            "-c",
            "from django.contrib.sessions.models import Session; Session.objects.all().delete()",
        )
    rps = summary(runs, "rps")
    return {
        "runs": runs,
        "bound": bound,
        "users": users,
        "rps": rps,
        "overhead_pct": (bound["hashes_per_s"] / rps - 1) * 100 if rps else None,
        "cpu_overhead_pct": (summary(runs, "cpu_ms_per_request") / bound["cpu_ms_per_hash"] - 1) * 100,
    }


def stack_seed(stack: Stack, prefix: str, count: int) -> None:
    subprocess.run(
        [sys.executable, "-m", "bench.seed", prefix, str(count), PASSWORD],
        cwd=ROOT,
        env=stack.env,
        check=True,
    )


def bench_reset_email(stack: Stack, repeats: int, seconds: int, rate: int = 20) -> dict:
    """Target 1: reset requests at `rate`/s for `seconds`; latency until the SMTP server accepts each."""
    stack_seed(stack, "resetmail", rate * seconds * repeats + 100)
    runs = []
    offset = 0
    for n in range(repeats):
        sent_log = VAR / f"reset-sent-{n}.jsonl"
        sent_log.unlink(
            missing_ok=True
        )  # the SMTP log is kept (the sink holds it open); addresses are unique
        for sampler in stack.samplers.values():
            sampler.reset()
        stats = locust(
            stack,
            scenario="reset_request",
            users=rate,
            seconds=seconds,
            prefix="resetmail",
            rate_per_user=1.0,
            tag=f"reset-email-{n}",
            extra_env={"BENCH_SENT_LOG": str(sent_log), "BENCH_OFFSET": str(offset)},
        )
        sent = [json.loads(line) for line in sent_log.read_text().splitlines()]
        offset += len(sent)
        accepted = {s["email"]: s["t"] for s in sent if s["status"] in (200, 302)}
        deadline = time.monotonic() + 60
        arrivals: dict[str, list[float]] = {}
        while time.monotonic() < deadline:
            arrivals = {}
            if stack.smtp_log.exists():
                for line in stack.smtp_log.read_text().splitlines():
                    record = json.loads(line)
                    for rcpt in record["to"]:
                        arrivals.setdefault(rcpt, []).append(record["t"])
            if all(e in arrivals for e in accepted):
                break
            time.sleep(0.5)
        latencies = sorted(arrivals[e][0] - t for e, t in accepted.items() if e in arrivals)
        runs.append(
            {
                **stats,
                "accepted": len(accepted),
                "emails": sum(len(arrivals.get(e, [])) for e in accepted),
                "lost": sum(1 for e in accepted if e not in arrivals),
                "duplicates": sum(1 for e in accepted if len(arrivals.get(e, [])) > 1),
                "e2e_median_s": statistics.median(latencies) if latencies else None,
                "e2e_p99_s": latencies[int(len(latencies) * 0.99) - 1] if latencies else None,
                "memory": stack.memory_peaks(),
            }
        )
    return {"runs": runs, "rate": rate, "seconds": seconds}


def bench_reset_page(stack: Stack, repeats: int, seconds: int) -> dict:
    """Target 2: throughput of POST "Start reset" at p99 < 100 ms, and CPU per request vs allauth's view."""
    stack_seed(stack, "resetpage", 60000)
    stack_seed(stack, "allauthreset", 60000)
    levels = []
    for users in (1, 2, 4, 8):
        stats = locust(
            stack,
            scenario="reset_request",
            users=users,
            seconds=seconds,
            prefix="resetpage",
            tag=f"reset-page-u{users}",
        )
        levels.append({"users": users, **stats})
    ok = [lvl for lvl in levels if lvl["p99_ms"] < 100 and not lvl["failures"]]
    best = max(ok, key=lambda lvl: lvl["rps"]) if ok else None
    comparison = []
    for n in range(repeats):
        row = {}
        for scenario, prefix in (("reset_request", "resetpage"), ("allauth_reset", "allauthreset")):
            before = gunicorn_cpu_seconds(stack)
            stats = locust(
                stack,
                scenario=scenario,
                users=2,
                seconds=seconds,
                prefix=prefix,
                tag=f"cmp-{scenario}-{n}",
                extra_env={"BENCH_OFFSET": str(n * 100000)},
            )
            cpu = gunicorn_cpu_seconds(stack) - before
            row[scenario] = {**stats, "cpu_ms_per_request": cpu / max(stats["requests"], 1) * 1000}
        row["ratio"] = row["reset_request"]["cpu_ms_per_request"] / row["allauth_reset"]["cpu_ms_per_request"]
        comparison.append(row)
    return {"levels": levels, "best": best, "comparison": comparison}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", action="append", choices=["signin", "reset_email", "reset_page"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="short durations, for a smoke run")
    args = parser.parse_args()
    parts = args.only or ["signin", "reset_email", "reset_page"]
    seconds = 10 if args.quick else 30
    results: dict = {
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "command": "python -m bench.run " + " ".join(sys.argv[1:]),
    }
    with Stack() as stack:
        if "signin" in parts:
            results["signin"] = bench_signin(stack, args.repeats, seconds)
        if "reset_email" in parts:
            results["reset_email"] = bench_reset_email(stack, args.repeats, 15 if args.quick else 60)
        if "reset_page" in parts:
            results["reset_page"] = bench_reset_page(stack, args.repeats, seconds)
    (VAR / "results.json").write_text(json.dumps(results, indent=2))
    write_doc(render(results))
    print(render(results))


if __name__ == "__main__":
    main()
