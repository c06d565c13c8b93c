"""E-mail delivery under faults: a worker killed mid-send, the broker down, SMTP refusing."""

import os
import signal
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from mailer import services
from mailer.emails import TEST_KIND
from mailer.models import OutboundEmail
from mailer.rendering import RenderedEmail
from mailer.tasks import outbox_flush, send_email
from tests.celery_control import celery_repoint, celery_worker_started
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
RENDERED = RenderedEmail(subject="Fault test", text="Body\n", html="<p>Body</p>")
needs_shared_broker = pytest.mark.skipif(
    not settings.CELERY_TEST_BROKER_URL.startswith("redis://"),
    reason="a worker in another process needs a broker server (set REDIS_URL/CELERY_BROKER_URL; CI does)",
)


class _Handler:
    """SMTP handler whose answer the test controls."""

    def __init__(self):
        self.accepted = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.hold_first = False
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        if self.refuse:
            return "554 5.7.1 Message refused"
        if self.hold_first:
            self.hold_first = False
            self.started.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Connection lost, not accepted"
        self.accepted.append(envelope)
        return "250 OK"


@pytest.fixture
def controlled_smtp(settings):
    from aiosmtpd.controller import Controller

    from conftest import _free_port

    handler = _Handler()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    handler.port = port
    yield handler
    handler.release.set()
    controller.stop()


def _worker_process(smtp_port: int) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "CELERY_BROKER_URL": settings.CELERY_TEST_BROKER_URL,
        "CELERY_VISIBILITY_TIMEOUT": "2",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        pytest.fail("a worker subprocess needs a database server (PostgreSQL) to share the test database")
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-P",
            "solo",
            "-l",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


@pytest.fixture
def queue_only():
    """The test process only queues to the real broker; workers run in other processes."""
    from portal.celery import app

    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    celery_repoint(app, broker_url=settings.CELERY_TEST_BROKER_URL, task_always_eager=False)
    yield app
    celery_repoint(app, **previous)


@needs_shared_broker
def test_worker_killed_mid_send_still_delivers_the_email_once(controlled_smtp, queue_only):
    controlled_smtp.hold_first = True
    first = _worker_process(controlled_smtp.port)
    try:
        email = services.email_queue(to="victim@example.com", kind=TEST_KIND, context=asdict(RENDERED))
        assert controlled_smtp.started.wait(30), "the worker never reached the SMTP DATA phase"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        controlled_smtp.release.set()
        assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENDING
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    second = _worker_process(controlled_smtp.port)
    try:
        wait_for(lambda: controlled_smtp.accepted, timeout=60, message="redelivered e-mail")
        wait_for(
            lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT,
            timeout=10,
            message="row marked sent",
        )
        threading.Event().wait(3)
        assert len(controlled_smtp.accepted) == 1
        assert controlled_smtp.accepted[0].rcpt_tos == ["victim@example.com"]
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(20)


def test_broker_down_at_request_time_then_sent_when_it_is_back(broker_down, smtp_server, settings):
    email = services.email_queue(to="patient@example.com", kind=TEST_KIND, context=asdict(RENDERED))
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert smtp_server.messages == []
    OutboundEmail.objects.filter(pk=email.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    return_to_service(broker_down, settings)
    with celery_worker_started():
        outbox_flush.delay()
        smtp_server.wait_for_messages(1, to="patient@example.com", timeout=30)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


def return_to_service(app, settings) -> None:
    """Point the Celery app back at the test broker (the broker "comes back")."""
    celery_repoint(
        app,
        broker_url=settings.CELERY_TEST_BROKER_URL,
        task_always_eager=False,
        broker_connection_max_retries=100,
    )


def test_smtp_refusing_retries_with_backoff_then_marks_failed(celery_worker, controlled_smtp, monkeypatch):
    controlled_smtp.refuse = True
    monkeypatch.setattr(send_email, "max_retries", 2)
    monkeypatch.setattr(send_email, "retry_backoff", 1)
    monkeypatch.setattr(send_email, "retry_backoff_max", 1)
    email = services.email_queue(to="bounce@example.com", kind=TEST_KIND, context=asdict(RENDERED))
    wait_for(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.FAILED,
        timeout=30,
        message="failed status after the last retry",
    )
    email.refresh_from_db()
    assert email.attempts == 3
    assert "554" in email.last_error
    assert controlled_smtp.accepted == []
