"""Load shapes for `bench/run.py`, selected with BENCH_SCENARIO; runs in its own process.

Each simulated user takes account addresses from a shared numbered pool so no two requests
use the same account (per-address rate limits and supersession stay out of the way).
"""

import itertools
import json
import os
import re
import time

from locust import HttpUser, constant, constant_throughput, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "signin")
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
# What the page's script posts after pre-login and Argon2id (bench/seed.py gives every account one salt).
AUTH_KEY = os.environ.get("BENCH_AUTH_KEY", "")
PREFIX = os.environ.get("BENCH_PREFIX", "bench")
RATE_PER_USER = float(os.environ.get("BENCH_RATE_PER_USER", "0"))
SENT_LOG = os.environ.get("BENCH_SENT_LOG", "")
RESET_FORM_PATH = os.environ.get("BENCH_RESET_FORM_PATH", "/reset/")
RESET_PATH = os.environ.get("BENCH_RESET_PATH", "/reset/request/")
RESET_FIELD = os.environ.get("BENCH_RESET_FIELD", "email")

_counter = itertools.count(int(os.environ.get("BENCH_OFFSET", "0")))
_sent_file = open(SENT_LOG, "a", buffering=1) if SENT_LOG else None  # noqa: SIM115
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _next_email() -> str:
    return f"{PREFIX}-{next(_counter)}@bench.example"


class PortalUser(HttpUser):
    wait_time = constant_throughput(RATE_PER_USER) if RATE_PER_USER else constant(0)

    def _csrf(self, path: str) -> str:
        response = self.client.get(path, name=f"GET {path} (form)")
        match = CSRF_INPUT.search(response.text)
        return match.group(1) if match else ""

    @task
    def scenario(self):
        getattr(self, SCENARIO)()

    def signin(self):
        """One sign-in POST; the CSRF secret from the cookie is reused, so no page load in between."""
        if "csrftoken" not in self.client.cookies:
            self._csrf("/accounts/login/")
        token = self.client.cookies.get("csrftoken")
        with self.client.post(
            "/accounts/login/",
            data={"login": _next_email(), "auth_key": AUTH_KEY, "csrfmiddlewaretoken": token},
            name="POST sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        self.client.cookies.pop("sessionid", None)

    def _post_email(self, path: str, name: str, form_path: str):
        if not hasattr(self, "_token"):
            self._token = self._csrf(form_path)
        email = _next_email()
        started = time.time()
        with self.client.post(
            path,
            data={RESET_FIELD: email, "csrfmiddlewaretoken": self._token},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            ok = response.status_code in (200, 302)
            if not ok:
                response.failure(f"answered {response.status_code}")
        if _sent_file:
            _sent_file.write(
                json.dumps({"email": email, "t": started, "status": response.status_code}) + "\n"
            )

    def reset_request(self):
        self._post_email(RESET_PATH, "POST start reset", RESET_FORM_PATH)

    def allauth_reset(self):
        path = "/bench/allauth-password-reset/"
        self._post_email(path, "POST allauth password reset", path)


@events.quitting.add_listener
def _close(environment, **kwargs):
    if _sent_file:
        _sent_file.close()
