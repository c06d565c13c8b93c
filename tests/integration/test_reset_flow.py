"""Account reset end to end: real worker, real SMTP server, and a broker outage."""

import re
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device, VaultItem
from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory, DeviceFactory, VaultItemFactory
from accounts.tests.zk import new_password_data, signin_data
from mailer import tasks as mailer_tasks
from mailer.models import OutboundEmail
from resets import tasks as reset_tasks
from resets.models import ResetRequest
from tests.celery_control import celery_repoint
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Imported so that their tasks are registered before the test worker starts, whichever
# test runs first (the worker thread does not run Celery's autodiscovery).
TASK_MODULES = (mailer_tasks, reset_tasks)

NEW_PASSWORD = "Marmalade-Comet-2031"


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _link_path(settings, text: str, kind: str) -> str:
    return re.search(re.escape(settings.SITE_URL) + rf"(/reset/{kind}/[\w-]+/)", text).group(1)


def test_reset_from_request_to_sign_in_with_the_new_password(celery_worker, smtp_server, settings):
    account = AccountFactory()
    VaultItemFactory.create_batch(4, account=account)
    device = DeviceFactory(account=account)
    address = account.user.email
    client = Client()

    response = client.post(reverse("resets:request"), {"email": address})
    assert response.status_code == 302

    [message] = smtp_server.wait_for_messages(1, to=address)
    assert message["Subject"] == "[Vault] Account reset"
    text = _text(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    link = _link_path(settings, text, "link")
    assert link in html and _link_path(settings, text, "cancel") in html
    # The worker records "emailed" just after the SMTP server accepted the message.
    wait_for(
        lambda: ResetRequest.objects.filter(account=account, state=ResetRequest.State.EMAILED).exists(),
        message="the request marked emailed",
    )
    reset_request = ResetRequest.objects.get(account=account)
    assert wait_for(lambda: OutboundEmail.objects.filter(to=address, status="sent").exists())

    assert client.get(link)["Location"] == reverse("resets:link")
    page = client.get(reverse("resets:link"))
    assert page.status_code == 200 and device.name in page.content.decode()
    backup = client.post(reverse("resets:backup"))
    assert backup.status_code == 200 and b"".join(backup.streaming_content).count(b'"ciphertext"') == 4

    done = client.post(
        reverse("resets:link"),
        {
            **new_password_data(NEW_PASSWORD),
            "hint": "breakfast in space",
            "confirm_email": address,
            "confirm_erase": "on",
        },
    )
    assert done["Location"] == reverse("resets:done")

    messages = smtp_server.wait_for_messages(2, to=address)
    confirmation = messages[1]
    assert confirmation["Subject"] == "[Vault] Your account was reset"
    confirmation_text = _text(confirmation)
    assert "New key generation: 2" in confirmation_text
    assert "encrypted backup of your vault was downloaded" in confirmation_text
    assert NEW_PASSWORD not in confirmation_text
    assert not VaultItem.objects.filter(account=account).exists()
    device.refresh_from_db()
    assert device.revoked_reason == Device.RevokedReason.ACCOUNT_RESET
    assert [e.state for e in reset_request.events.all()] == ["requested", "emailed", "opened", "completed"]

    fresh = Client()
    old = fresh.post(reverse("account_login"), signin_data(address, DEFAULT_PASSWORD))
    assert old.status_code == 200
    new = fresh.post(reverse("account_login"), signin_data(address, NEW_PASSWORD))
    assert new.status_code == 302
    assert fresh.get(reverse("accounts:home")).status_code == 200


def test_a_request_made_while_the_broker_is_down_is_delivered_later(broker_down, smtp_server, settings):
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    account = AccountFactory()
    response = Client().post(reverse("resets:request"), {"email": account.user.email})
    assert response.status_code == 302
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.QUEUED
    assert smtp_server.messages == []

    # The broker is back: beat's outbox_flush hands the row to a real worker.
    app = broker_down
    celery_repoint(app, broker_url=settings.CELERY_TEST_BROKER_URL, broker_connection_max_retries=100)

    def close_worker_connections(**kwargs):
        connections.close_all()

    task_postrun.connect(close_worker_connections, weak=False)
    OutboundEmail.objects.update(updated_at=timezone.now() - timedelta(minutes=1))
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ):
            mailer_tasks.outbox_flush.delay()
            [message] = smtp_server.wait_for_messages(1, to=account.user.email)
    finally:
        task_postrun.disconnect(close_worker_connections)
    assert message["Subject"] == "[Vault] Account reset"
    assert ResetRequest.objects.get(account=account).state == ResetRequest.State.EMAILED
