"""Fixtures shared by every app's tests: factories' users, a real Celery worker, an SMTP catcher."""

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.celery_control import celery_repoint, celery_worker_started
from tests.waiting import wait_for


class _Collector:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages = []
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


class SmtpCatcher:
    def __init__(self, collector: _Collector, port: int):
        self._collector = collector
        self.port = port

    @property
    def messages(self):
        with self._collector.lock:
            return list(self._collector.messages)

    def wait_for_messages(self, count: int = 1, *, to: str | None = None, timeout: float = 15.0):
        """Wait until `count` messages (to `to`, if given) arrived; return them."""

        def matching():
            found = [m for m in self.messages if to is None or to in str(m["To"])]
            return found if len(found) >= count else None

        return wait_for(matching, timeout=timeout, message=f"{count} e-mail(s) to {to or 'anyone'}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback; the portal's e-mail backend points at it."""
    collector = _Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield SmtpCatcher(collector, port)
    finally:
        controller.stop()


@pytest.fixture
def celery_worker():
    """A real Celery worker thread on the test broker (Redis when configured, else memory://).

    Tests using it need `django_db(transaction=True)`: the worker has its own DB connection.
    """
    with celery_worker_started() as app:
        yield app


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, so rate-limit counters never leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_ip_headers():
    """Extra request headers that make the test client look like a given client IP."""

    def headers(ip: str) -> dict:
        return {"REMOTE_ADDR": ip}

    return headers


@pytest.fixture
def broker_down(monkeypatch):
    """Point Celery at a port where no broker listens (and stop eager mode) for one test."""
    from portal.celery import app

    for name in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL", "CELERY_BROKER_READ_URL"):
        monkeypatch.delenv(name, raising=False)
    previous = {
        "broker_url": app.conf.broker_url,
        "task_always_eager": app.conf.task_always_eager,
        "broker_connection_max_retries": app.conf.broker_connection_max_retries,
    }
    celery_repoint(
        app, broker_url="redis://127.0.0.1:1/0", task_always_eager=False, broker_connection_max_retries=0
    )
    try:
        yield app
    finally:
        celery_repoint(app, **previous)


@pytest.fixture
def page_queries():
    """Count the SQL statements of one GET of a page (after a first GET that warms the session
    and permission caches). Compare the count with few and with many rows: a page whose count
    grows with its rows runs a query per row (N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url: str, data: dict | None = None) -> int:
        client.get(url, data)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data)
        assert response.status_code == 200, response.status_code
        return len(queries.captured_queries)

    return count
