"""The worker side: e-mails rendered at send time, the expiry task on beat."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.tests.factories import AccountFactory, DeviceFactory, VaultItemFactory, credentials_for
from core.origin import Origin
from mailer.models import OutboundEmail
from mailer.services import email_send
from resets import services, tasks
from resets.models import ResetRequest
from resets.tests.factories import ResetRequestFactory, pending_reset

pytestmark = pytest.mark.django_db


def _text(message):
    return message.body


def _html(message):
    return message.alternatives[0][0]


def _outbox_has_no(*secrets):
    for row in OutboundEmail.objects.values():
        for secret in secrets:
            assert secret not in str(row)


def test_reset_email_is_built_from_site_url_and_never_stored(settings):
    settings.SITE_URL = "https://vault.example"
    account = AccountFactory()
    email = services.reset_request_create(email=account.user.email)
    email_send(email_id=email.pk)

    [message] = mail.outbox
    assert message.subject == "[Vault] Account reset"
    assert message.to == [account.user.email]
    text, html = _text(message), _html(message)
    reset_request = ResetRequest.objects.get()
    reset_path = re.search(r"https://vault\.example(/reset/link/[\w-]+/)", text).group(1)
    cancel_path = re.search(r"https://vault\.example(/reset/cancel/[\w-]+/)", text).group(1)
    token = reset_path.split("/")[-2]
    cancel = cancel_path.split("/")[-2]
    assert "60 minutes" in text and "This wasn't me" in text
    assert "every item in your vault" in text and "your licence" in text
    assert reset_path in html and cancel_path in html
    _outbox_has_no(token, cancel)
    assert services.reset_request_for_token(token=token) == reset_request
    assert reset_request.state == ResetRequest.State.EMAILED
    assert [e.state for e in reset_request.events.all()] == ["requested", "emailed"]
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT


def test_unknown_address_sends_nothing():
    email = services.reset_request_create(email="ghost@example.com")
    email_send(email_id=email.pk)
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.CANCELLED


def test_a_retry_or_support_resend_carries_the_same_working_link(django_user_model):
    agent = django_user_model.objects.create_user(email="agent@example.com", password="x", is_staff=True)
    reset_request, token, _ = pending_reset()
    resend = services.reset_request_resend(reset_request=reset_request, actor=agent)
    email_send(email_id=resend.pk)
    [message] = mail.outbox
    assert message.to == [reset_request.account.user.email]
    assert f"/reset/link/{token}/" in message.body
    event = reset_request.events.filter(state="emailed").get()
    assert event.actor == agent and event.details == {"resend": True}


def test_a_superseded_request_is_not_sent():
    account = AccountFactory()
    first = services.reset_request_create(email=account.user.email)
    pending_reset(account)
    first.refresh_from_db()
    email_send(email_id=first.pk)
    # The later request is the only one that counts; the earlier, processed late, is dropped.
    assert mail.outbox == []


def test_hint_email_renders_the_hint_at_send_time_only():
    account = AccountFactory(password_hint="the blue door")
    email = services.password_hint_request(email=account.user.email)
    row = OutboundEmail.objects.get()
    assert "the blue door" not in str(OutboundEmail.objects.values().get())
    email_send(email_id=email.pk)
    [message] = mail.outbox
    assert message.subject == "[Vault] Your password hint"
    assert "the blue door" in message.body and "the blue door" in _html(message)
    row.refresh_from_db()
    assert "the blue door" not in str(OutboundEmail.objects.values().get())
    assert account.security_events.filter(type=SecurityEvent.Type.HINT_SENT).count() == 1


def test_hint_for_unknown_address_sends_nothing():
    email = services.password_hint_request(email="ghost@example.com")
    email_send(email_id=email.pk)
    assert mail.outbox == []


def test_confirmation_email_lists_what_was_erased_kept_when_where_and_generation(rf):
    account = AccountFactory()
    VaultItemFactory.create_batch(3, account=account)
    DeviceFactory(account=account)
    _, token, _ = pending_reset(account)
    request = rf.post("/reset/link/", REMOTE_ADDR="203.0.113.9")
    services.reset_complete(
        token=token,
        **credentials_for("Brand-new-Passphrase-77"),
        hint="",
        origin=Origin.from_request(request),
    )
    email = OutboundEmail.objects.get(kind=services.COMPLETED_KIND)
    email_send(email_id=email.pk)
    [message] = mail.outbox
    assert message.subject == "[Vault] Your account was reset"
    text = message.body
    assert "203.0.113.9" in text and "New key generation: 2" in text
    assert "3 vault records deleted" in text and "1 device signed out" in text
    assert account.account_id in text and "Premium" in text
    assert "Brand-new-Passphrase-77" not in text


def test_expire_task_is_scheduled_on_beat_and_expires(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["resets-expire-stale-requests"]
    assert schedule["task"] == "resets.tasks.reset_requests_expire"
    # Only the name: evaluating the task proxy here finalizes the Celery app early, which makes
    # later tests' e-mails fail to queue.
    assert schedule["task"] == f"{tasks.__name__}.reset_requests_expire"
    assert callable(tasks.reset_requests_expire)
    assert services.reset_requests_expire() == 0


def test_notice_url_in_hint_email_is_absolute(settings):
    settings.SITE_URL = "https://vault.example"
    account = AccountFactory()
    email_send(email_id=services.password_hint_request(email=account.user.email).pk)
    assert "https://vault.example" + reverse("resets:notice") in mail.outbox[0].body


def test_emailed_is_recorded_only_when_the_mail_server_accepts_and_a_retry_has_the_same_link(settings):
    account = AccountFactory()
    email = services.reset_request_create(email=account.user.email)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    with pytest.raises(OSError):
        email_send(email_id=email.pk)
    reset_request = ResetRequest.objects.get()
    assert reset_request.state == ResetRequest.State.REQUESTED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_send(email_id=email.pk)
    assert ResetRequest.objects.count() == 1
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.EMAILED
    token = re.search(r"/reset/link/([\w-]+)/", mail.outbox[0].body).group(1)
    assert services.reset_request_for_token(token=token) == reset_request


FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_reset_email_says_when_from_which_address_and_browser_it_was_asked(settings):
    settings.GEOIP_PATH = None
    account = AccountFactory()
    email = services.reset_request_create(
        email=account.user.email, origin=Origin(ip="203.0.113.7", user_agent=FIREFOX_WINDOWS)
    )
    email_send(email_id=email.pk)
    [message] = mail.outbox
    text, html = _text(message), _html(message)
    asked = ResetRequest.objects.get().created_at
    for body in (text, html):
        assert f"It was asked on {asked:%-d %b %Y} at {asked:%H:%M} UTC" in body
        assert "from the IP address 203.0.113.7, with Firefox on Windows." in body
        assert "approximately" not in body
    assert "/help/contact/" in text and "/help/contact/" in html


def test_reset_email_names_the_approximate_place_where_geoip_is_configured(settings, monkeypatch):
    settings.GEOIP_PATH = "/srv/geoip"
    monkeypatch.setattr("resets.emails.place_approximate", lambda ip: "Lyon, France" if ip else "")
    account = AccountFactory()
    email = services.reset_request_create(email=account.user.email, origin=Origin(ip="203.0.113.7"))
    email_send(email_id=email.pk)
    assert "from the IP address 203.0.113.7 (approximately Lyon, France)." in _text(mail.outbox[0])


@pytest.mark.django_db(transaction=True)
def test_on_the_embedded_default_expired_links_are_audited_without_a_beat_process(client, settings):
    """`make run` starts no `celery beat`: the web process runs the schedule itself (SPEC §6),
    so the "expired" state of a reset still reaches the trail support reads (SPEC §3)."""
    from core.beat import embedded_beat_stop
    from tests.waiting import wait_for

    settings.EMBEDDED_BEAT = True
    entry = settings.CELERY_BEAT_SCHEDULE["resets-expire-stale-requests"]
    settings.CELERY_BEAT_SCHEDULE = {"resets-expire-stale-requests": {**entry, "schedule": 0.2}}
    stale = ResetRequestFactory(expires_at=timezone.now() - timedelta(minutes=1))
    try:
        assert client.get(reverse("resets:notice")).status_code == 200  # the first request starts it
        wait_for(
            lambda: stale.events.filter(state=ResetRequest.State.EXPIRED).exists(),
            timeout=10,
            message="the expired event",
        )
    finally:
        embedded_beat_stop()
    stale.refresh_from_db()
    assert stale.state == ResetRequest.State.EXPIRED
