"""The report of `bench/run.py`: the machine it ran on, and its section of docs/benchmarks.md."""

import os
import platform
import statistics
import subprocess
from pathlib import Path

import psutil

from bench.stack import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:production-shape:start -->", "<!-- bench:production-shape:end -->"


def summary(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _table(header: list[str], rows: list[list]) -> list[str]:
    """A Markdown table: the header, its separator and one line a row."""
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows),
    ]


# ---- sections --------------------------------------------------------------------------------


def machine() -> dict:
    def version(cmd: list[str]) -> str:
        try:
            return (
                subprocess.run(cmd, capture_output=True, text=True, check=False)
                .stdout.strip()
                .splitlines()[0]
            )
        except (OSError, IndexError):
            return "unknown"

    import celery
    import django
    import gunicorn

    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "celery": celery.__version__,
        "gunicorn": gunicorn.__version__,
        "postgres": version(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "show server_version"]),
        "redis": version(["redis-server", "--version"]),
    }


def render(results: dict) -> str:
    m = results["machine"]
    lines = [
        START,
        "",
        "## Production shape (gunicorn, Celery worker, PostgreSQL, Redis, SMTP on loopback)",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB; Python {m['python']}, "
        f"Django {m['django']}, Celery {m['celery']}, gunicorn {m['gunicorn']}, PostgreSQL {m['postgres']}, "
        f"{m['redis']}. Run: {results['when']} with `{results['command']}`. Load: locust in a separate "
        "process on the same machine (it shares the 2 cores with the server, so absolute figures are "
        "pessimistic; ratios are the comparable numbers).",
        "",
    ]
    if "signin" in results:
        s = results["signin"]
        b = s["bound"]
        lines += [
            "### Sign-in against the Argon2id bound",
            "",
            f"Argon2id parameters: time_cost={b['time_cost']}, memory_cost={b['memory_cost_kib']} KiB "
            f"({b['memory_cost_kib'] // 1024} MiB), parallelism={b['parallelism']} — Django 5.2's defaults, "
            "above OWASP's minimums (m=19 MiB, t=2, p=1 or m=46 MiB, t=1, p=1), so kept.",
            "",
        ]
        lines += _table(
            ["run", "sign-ins/s", "median ms", "p99 ms", "failures", "server CPU ms per sign-in"],
            [
                [
                    i,
                    f"{r['rps']:.1f}",
                    f"{r['median_ms']:.0f}",
                    f"{r['p99_ms']:.0f}",
                    r["failures"],
                    f"{r['cpu_ms_per_request']:.0f}",
                ]
                for i, r in enumerate(s["runs"], 1)
            ],
        )
        lines += [
            "",
            f"Bound: {b['hashes_per_s']:.1f} Argon2id verifications/s on {m['cores']} cores. Median "
            f"sign-in throughput {s['rps']:.1f}/s with {s['users']} concurrent clients: overhead beyond "
            f"hashing **{s['overhead_pct']:.1f}%** by throughput (target < 10%).",
            "",
            f"By CPU time, which leaves out the load generator sharing the cores: one Argon2id "
            f"verification costs {b['cpu_ms_per_hash']:.0f} ms of CPU (all its threads); one sign-in "
            f"costs the gunicorn workers {summary(s['runs'], 'cpu_ms_per_request'):.0f} ms: overhead "
            f"beyond hashing **{s['cpu_overhead_pct']:.1f}%**.",
            "",
        ]
    if "reset_email" in results:
        r = results["reset_email"]
        lines += [
            f"### Reset request → e-mail accepted by SMTP ({r['rate']} requests/s for {r['seconds']} s)",
            "",
        ]
        lines += _table(
            [
                "run",
                "accepted",
                "e-mails",
                "lost",
                "duplicates",
                "end-to-end median s",
                "end-to-end p99 s",
                "POST p99 ms",
                "gunicorn worker peak RSS MiB",
                "Celery worker peak RSS MiB",
            ],
            [
                [
                    i,
                    x["accepted"],
                    x["emails"],
                    x["lost"],
                    x["duplicates"],
                    f"{x['e2e_median_s']:.2f}",
                    f"{x['e2e_p99_s']:.2f}",
                    f"{x['p99_ms']:.0f}",
                    x["memory"]["gunicorn_worker_peak_mib"],
                    x["memory"]["celery_worker_tree_peak_mib"],
                ]
                for i, x in enumerate(r["runs"], 1)
            ],
        )
        lines.append("")
    if "reset_page" in results:
        r = results["reset_page"]
        lines += [
            '### Reset request page (POST "Start reset")',
            "",
        ]
        lines += _table(
            ["concurrent clients", "requests/s", "median ms", "p99 ms", "failures"],
            [
                [
                    lvl["users"],
                    f"{lvl['rps']:.1f}",
                    f"{lvl['median_ms']:.0f}",
                    f"{lvl['p99_ms']:.0f}",
                    lvl["failures"],
                ]
                for lvl in r["levels"]
            ],
        )
        best = r["best"]
        lines += [
            "",
            (
                f"Throughput at p99 < 100 ms: **{best['rps']:.1f} requests/s** ({best['users']} clients)."
                if best
                else "No load level kept p99 under 100 ms."
            ),
            "",
            "Cost per request against django-allauth's own password-reset view (same server, same run, "
            "2 clients; gunicorn CPU time divided by requests):",
            "",
        ]
        lines += _table(
            ["run", "ours CPU ms/request", "allauth CPU ms/request", "ratio"],
            [
                [
                    i,
                    f"{row['reset_request']['cpu_ms_per_request']:.2f}",
                    f"{row['allauth_reset']['cpu_ms_per_request']:.2f}",
                    f"{row['ratio']:.2f}×",
                ]
                for i, row in enumerate(r["comparison"], 1)
            ],
        )
        lines += [
            "",
            f"Median ratio: **{statistics.median(x['ratio'] for x in r['comparison']):.2f}×** "
            "(target ≤ 1.2×).",
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


def write_doc(section: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n\nHow to run them: `bench/README.md`.\n\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    DOC.write_text(text)
