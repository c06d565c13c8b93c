"""Start and stop the production shape on this machine: gunicorn, Celery worker, SMTP sink.

PostgreSQL and Redis are the machine's own (127.0.0.1:5432, 127.0.0.1:6379); the benchmark
uses its own database (`bench_portal`) and Redis database 15, both wiped at start.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = os.environ.get("BENCH_DB", "bench_portal")
REDIS_DB = os.environ.get("BENCH_REDIS_DB", "15")
WEB_PORT = int(os.environ.get("BENCH_WEB_PORT", "8100"))
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "2526"))
BIN = Path(sys.executable).parent


def _psql(sql: str, db: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-qc", sql],
        check=True,
        capture_output=True,
    )


def _wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


class RssSampler(threading.Thread):
    """Sample the resident memory of a process tree every `interval` seconds; keep the peaks."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_per_process: dict[int, int] = {}
        self.peak_total = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = 0
                for proc in procs:
                    rss = proc.memory_info().rss
                    total += rss
                    self.peak_per_process[proc.pid] = max(self.peak_per_process.get(proc.pid, 0), rss)
                self.peak_total = max(self.peak_total, total)
            except psutil.Error:
                pass
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join(timeout=2)

    def reset(self):
        self.peak_per_process.clear()
        self.peak_total = 0


class Stack:
    """The running production shape. Use as a context manager."""

    def __init__(self, *, web_workers: int = 3, worker_concurrency: int = 2):
        self.web_workers = web_workers
        self.worker_concurrency = worker_concurrency
        self.url = f"http://127.0.0.1:{WEB_PORT}"
        self.smtp_log = VAR / "smtp-arrivals.jsonl"
        self.procs: dict[str, subprocess.Popen] = {}
        self.samplers: dict[str, RssSampler] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.bench",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
            "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
            "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
            "SITE_URL": self.url,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "CACHE_KEY_PREFIX": "bench",
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(VAR / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def start(self) -> "Stack":
        VAR.mkdir(parents=True, exist_ok=True)
        self.smtp_log.unlink(missing_ok=True)
        _psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        _psql(f"CREATE DATABASE {DB_NAME}")
        subprocess.run(["redis-cli", "-n", REDIS_DB, "flushdb"], check=True, capture_output=True)
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self._spawn(
            "smtp",
            [sys.executable, "-m", "bench.smtp_sink", "--port", str(SMTP_PORT), "--log", str(self.smtp_log)],
        )
        _wait_port(SMTP_PORT)
        worker = self._spawn(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "-l",
                "WARNING",
                "--concurrency",
                str(self.worker_concurrency),
                "-P",
                "prefork",
            ],
        )
        web = self._spawn(
            "web",
            [
                str(BIN / "gunicorn"),
                "portal.wsgi:application",
                "-b",
                f"127.0.0.1:{WEB_PORT}",
                "-w",
                str(self.web_workers),
                "--log-level",
                "warning",
                "--no-control-socket",  # as in production: gunicorn 27's socket would sit in $HOME
            ],
        )
        _wait_port(WEB_PORT)
        urllib.request.urlopen(f"{self.url}/healthz", timeout=10).read()  # noqa: S310 - loopback only
        self.samplers = {"web": RssSampler(web.pid), "worker": RssSampler(worker.pid)}
        for sampler in self.samplers.values():
            sampler.start()
        return self

    def stop(self) -> None:
        for sampler in self.samplers.values():
            sampler.stop()
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def memory_peaks(self) -> dict:
        """Peak RSS (MiB) of the busiest gunicorn worker and of the Celery worker tree."""
        web = self.samplers["web"]
        gunicorn_master = self.procs["web"].pid
        worker_peaks = [v for pid, v in web.peak_per_process.items() if pid != gunicorn_master]
        return {
            "gunicorn_worker_peak_mib": round(max(worker_peaks or [0]) / 2**20, 1),
            "celery_worker_tree_peak_mib": round(self.samplers["worker"].peak_total / 2**20, 1),
        }

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
