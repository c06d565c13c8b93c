import smtplib

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.utils import timezone

from mailer import registry, services
from mailer.emails import TEST_KIND
from mailer.models import OutboundEmail
from mailer.rendering import RenderedEmail, email_message
from mailer.tasks import outbox_flush, send_email

pytestmark = pytest.mark.django_db

RENDERED = {"subject": "Hello", "text": "Plain body\n", "html": "<p>HTML body</p>"}


@pytest.fixture
def declare():
    """Declare e-mail kinds for one test; they are forgotten afterwards."""
    names = []

    def declare_(name, render, **options):
        registry.email_kind(name, label=options.pop("label", name), **options)(render)
        names.append(name)

    yield declare_
    for name in names:
        registry.kind_forget(name)


def _queued(**kwargs):
    return services.email_queue(to="owner@example.com", kind=TEST_KIND, context=RENDERED, **kwargs)


def test_send_delivers_text_and_html_then_forgets_the_body():
    email = _queued()
    services.email_send(email_id=email.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.body == "Plain body\n"
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Message-ID"].startswith(f"<outbox-{email.pk}-")
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.text_body == email.html_body == ""
    assert email.subject == "Hello"


def test_the_operators_test_message_of_text_only_gets_an_html_part_too():
    """The check from `manage.py shell` that mailer/emails.py documents gives no HTML of its own."""
    email = services.email_queue(
        to="me@example.com", kind=TEST_KIND, context={"subject": "Hi", "text": "Hi <there>\nsecond line\n"}
    )
    services.email_send(email_id=email.pk)
    [message] = mail.outbox
    assert message.body == "Hi <there>\nsecond line\n"
    assert message.alternatives == [("<p>Hi &lt;there&gt;<br>second line</p>", "text/html")]


def test_sending_twice_sends_once():
    email = _queued()
    services.email_send(email_id=email.pk)
    services.email_send(email_id=email.pk)
    send_email.apply(args=[email.pk])
    assert len(mail.outbox) == 1


def test_email_queue_hands_the_row_to_the_worker_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.email_queue(to="a@example.com", kind=TEST_KIND, context=RENDERED)
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_transport_error_keeps_the_row_queued_with_the_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    email = _queued()
    with pytest.raises(OSError):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert "ConnectionRefused" in email.last_error
    assert email.text_body == "Plain body\n"


def test_last_retry_marks_the_email_failed(monkeypatch):
    email = _queued()

    def refuse(**kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(services, "email_send", refuse)
    send_email.max_retries = 0
    try:
        send_email.apply(args=[email.pk])
    finally:
        send_email.max_retries = 6
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "gone" in email.last_error


def test_registered_renderer_builds_the_message_at_send_time(declare):
    def render(email):
        return email_message(
            to=email.to, rendered=RenderedEmail("Built", f"id={email.context['n']}\n", "<p>x</p>")
        )

    declare("mailer.test_rendered", render)
    email = services.email_queue(to="x@example.com", kind="mailer.test_rendered", context={"n": 7})
    services.email_send(email_id=email.pk)
    assert mail.outbox[0].subject == "Built"
    assert mail.outbox[0].body == "id=7\n"


def test_renderer_returning_none_cancels_the_email(declare):
    declare("mailer.test_none", lambda email: None)
    email = services.email_queue(to="x@example.com", kind="mailer.test_none")
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED
    assert mail.outbox == []


def test_outbox_flush_sends_what_was_left_queued():
    email = _queued()
    OutboundEmail.objects.filter(pk=email.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=2)
    )
    fresh = _queued()
    assert outbox_flush.apply().get() == 1
    email.refresh_from_db()
    fresh.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.QUEUED


def test_broker_down_keeps_the_email_in_the_outbox(django_capture_on_commit_callbacks, broker_down):
    with django_capture_on_commit_callbacks(execute=True):
        email = services.email_queue(to="a@example.com", kind=TEST_KIND, context=RENDERED)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("event_type", "status"), [("delivered", "delivered"), ("bounced", "bounced"), ("failed", "failed")]
)
def test_provider_tracking_events_update_delivery_status(event_type, status):
    email = _queued()
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    event = AnymailTrackingEvent(event_type=event_type, message_id=email.message_id, recipient=email.to)
    tracking.send(sender=object, event=event, esp_name="Test")
    email.refresh_from_db()
    assert email.status == status


def test_outbox_flush_leaves_transient_kinds_to_their_own_task(declare):
    declare("mailer.test_transient", lambda email, *, secret: None, transient=("secret",))
    email = services.email_queue(to="x@example.com", kind="mailer.test_transient", transient={"secret": "s"})
    OutboundEmail.objects.filter(pk=email.pk).update(
        updated_at=timezone.now() - timezone.timedelta(minutes=2)
    )
    assert services.outbox_pending_ids() == []
