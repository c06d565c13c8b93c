"""Faults that tests/integration/test_mail_faults.py does not cover: an SMTP server that hangs."""

import socket
import threading
from dataclasses import asdict

import pytest

from mailer import services
from mailer.emails import TEST_KIND
from mailer.models import OutboundEmail
from mailer.rendering import RenderedEmail
from mailer.tasks import send_email
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def silent_smtp(settings):
    """A server that accepts TCP connections and then never says a word (no SMTP greeting)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", listener.getsockname()[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 0.5
    try:
        yield held
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()


def test_smtp_server_that_never_answers_times_out_retries_then_fails(celery_worker, silent_smtp, monkeypatch):
    monkeypatch.setattr(send_email, "max_retries", 2)
    monkeypatch.setattr(send_email, "retry_backoff", 1)
    monkeypatch.setattr(send_email, "retry_backoff_max", 1)
    monkeypatch.setattr(send_email, "retry_jitter", False)
    rendered = RenderedEmail(subject="Timeout test", text="Body\n", html="<p>Body</p>")
    email = services.email_queue(to="slow@example.com", kind=TEST_KIND, context=asdict(rendered))
    wait_for(
        lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.FAILED,
        timeout=30,
        message="failed status after the timed-out retries",
    )
    email.refresh_from_db()
    assert email.attempts == 3
    assert "timed out" in email.last_error.lower() or "timeout" in email.last_error.lower(), email.last_error
    assert len(silent_smtp) == 3  # each attempt connected, waited EMAIL_TIMEOUT, gave up
