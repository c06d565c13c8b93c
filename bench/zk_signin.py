"""Zero-knowledge sign-in (issue 13): where the Argon2id work went, measured on this machine.

    .venv/bin/python bench/zk_signin.py [--rounds 200]

* Client: the reference client's derivation at the default parameters (Argon2id 64 MiB, t=3,
  p=1, then HKDF), wall and CPU time, median of 10.
* Server, in one process on the embedded default (SQLite, portal.settings.test, tasks queued
  to an in-memory broker nobody reads): CPU time per API pre-login and per API sign-in of a
  known device, against the server-side hash alone (accounts.hashers.AuthKeyHasher) and, for
  "before", Django's Argon2id hasher at its default parameters (what hashed the password until
  issue 13). Throughput on one core = 1 / CPU time.

Prints a Markdown table for docs/benchmarks.md and writes var/bench/zk_signin.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-Password-4242-zk"


def client_derivation(runs: int = 10) -> dict:
    from vaultclient.crypto import AuthKdf, auth_key_derive

    kdf = AuthKdf.fresh()
    auth_key_derive(PASSWORD, kdf)  # warm up
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        auth_key_derive(PASSWORD, kdf)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return {
        "wall_ms_median": statistics.median(wall) * 1000,
        "wall_ms_min": min(wall) * 1000,
        "cpu_ms_median": statistics.median(cpu) * 1000,
        "params": {
            "iterations": kdf.iterations,
            "memory_kib": kdf.memory_kib,
            "parallelism": kdf.parallelism,
        },
    }


def _cpu_per_call(call, rounds: int) -> float:
    for _ in range(min(20, rounds)):
        call()
    start = time.process_time()
    for _ in range(rounds):
        call()
    return (time.process_time() - start) / rounds * 1000


def server(rounds: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    from accounts.kdf import kdf_default
    from accounts.models import Account, AccountKeyVerifier, Device, License, User
    from accounts.services import credentials_set
    from api.throttles import (
        PreloginEmailThrottle,
        PreloginIPThrottle,
        SignInEmailThrottle,
        SignInIPThrottle,
    )
    from portal.celery import app
    from vaultclient import crypto

    setup_test_environment()
    settings.DATABASES["default"]["NAME"] = str(Path(tempfile.mkdtemp()) / "zk-bench.sqlite3")
    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"]
    call_command("migrate", verbosity=0)
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://localhost/"
    for throttle in (PreloginEmailThrottle, PreloginIPThrottle, SignInEmailThrottle, SignInIPThrottle):
        throttle.allow_request = lambda self, request, view: True

    kdf = kdf_default()
    auth_key = crypto.auth_key_derive(PASSWORD, kdf)
    user = User.objects.create_user(email="bench-zk@example.com")
    credentials_set(user=user, auth_key=auth_key, kdf=kdf)
    account = Account.objects.create(user=user)
    License.objects.create(account=account)
    account_key = crypto.account_key_new()
    AccountKeyVerifier.objects.create(
        account=account, generation=1, public_key=crypto.verifier_public(account_key)
    )
    Device.objects.create(account=account, device_uid="bench-device-01", name="Bench", platform="cli")
    Device.objects.filter(account=account).update(authorized_at=django.utils.timezone.now())

    api = APIClient()
    body = {
        "email": user.email,
        "auth_key": auth_key,
        "device_uid": "bench-device-01",
        "device_name": "Bench",
        "platform": "cli",
    }

    def sign_in():
        response = api.post("/api/v1/signin/", body, format="json")
        assert response.status_code == 200, response.content

    def prelogin():
        response = api.post("/api/v1/prelogin/", {"email": user.email}, format="json")
        assert response.status_code == 200, response.content

    def prelogin_unknown():
        response = api.post("/api/v1/prelogin/", {"email": "nobody@example.com"}, format="json")
        assert response.status_code == 200, response.content

    hasher = get_hasher()
    encoded = hasher.encode(auth_key, hasher.salt())
    argon2 = Argon2PasswordHasher()
    argon2_encoded = argon2.encode(PASSWORD, argon2.salt())
    cache.clear()
    result = {
        "hasher": hasher.algorithm,
        "hash_cpu_ms": _cpu_per_call(lambda: hasher.verify(auth_key, encoded), rounds * 20),
        "signin_cpu_ms": _cpu_per_call(sign_in, rounds),
        "prelogin_cpu_ms": _cpu_per_call(prelogin, rounds),
        "prelogin_unknown_cpu_ms": _cpu_per_call(prelogin_unknown, rounds),
        "argon2_before_cpu_ms": _cpu_per_call(lambda: argon2.verify(PASSWORD, argon2_encoded), 10),
        "argon2_before_params": {
            "time_cost": argon2.time_cost,
            "memory_cost_kib": argon2.memory_cost,
            "parallelism": argon2.parallelism,
        },
    }
    app.control.purge()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    client = client_derivation()
    srv = server(args.rounds)
    after = srv["signin_cpu_ms"] + srv["prelogin_cpu_ms"]
    request_only = srv["signin_cpu_ms"] - srv["hash_cpu_ms"]
    before = srv["argon2_before_cpu_ms"] + request_only
    cpu = platform.processor() or platform.machine()
    machine = f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
    rows = [
        (
            "Client: derive the auth key (Argon2id 64 MiB, t=3, p=1 + HKDF), wall",
            f"{client['wall_ms_median']:.0f} ms (min {client['wall_ms_min']:.0f})",
        ),
        ("Client: the same, CPU", f"{client['cpu_ms_median']:.0f} ms"),
        (f"Server: hash alone ({srv['hasher']}, verify)", f"{srv['hash_cpu_ms'] * 1000:.1f} µs"),
        ("Server: API sign-in, whole request", f"{srv['signin_cpu_ms']:.2f} ms"),
        (
            "Server: API pre-login, known / unknown address",
            f"{srv['prelogin_cpu_ms']:.2f} / {srv['prelogin_unknown_cpu_ms']:.2f} ms",
        ),
        ("Server: pre-login + sign-in (after)", f"{after:.2f} ms → {1000 / after:.0f} sign-ins/s per core"),
        (
            "Server: Argon2id verify before issue 13 "
            "(t={time_cost}, {memory_cost_kib} KiB, p={parallelism})".format(**srv["argon2_before_params"]),
            f"{srv['argon2_before_cpu_ms']:.0f} ms",
        ),
        (
            "Server: sign-in before (that hash + the same request work)",
            f"{before:.0f} ms → {1000 / before:.1f} sign-ins/s per core",
        ),
    ]
    print(
        f"Machine: {machine}. CPU times are process CPU (all threads), means over {args.rounds} requests.\n"
    )
    print("| measure | figure |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "zk_signin.json").write_text(
        json.dumps({"machine": machine, "client": client, "server": srv}, indent=1)
    )


if __name__ == "__main__":
    main()
