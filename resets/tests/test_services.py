import importlib
from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountKeyVerifier, Device, SecurityEvent, VaultItem
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_KDF,
    AccountFactory,
    DeviceFactory,
    VaultItemFactory,
    VerifierFactory,
    auth_key_for,
    credentials_for,
    signs_in_with,
)
from accounts.tests.zk import signin_data
from mailer.models import OutboundEmail
from portal.settings import resets as reset_settings
from resets import services
from resets.models import ResetRequest, ResetRequestEvent
from resets.selectors import reset_request_pending
from resets.services import completion
from resets.tests.factories import ResetRequestFactory, links_for, pending_reset
from resets.tokens import default_token_generator

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-Passphrase-77"


def _states(reset_request):
    return [e.state for e in reset_request.events.order_by("created_at", "id")]


def test_request_for_unknown_address_writes_one_outbox_row_and_no_reset():
    email = services.reset_request_create(email="nobody@example.com")
    assert OutboundEmail.objects.count() == 1
    assert email.kind == services.REQUEST_KIND
    assert services.reset_request_record(email=email) is None
    assert ResetRequest.objects.count() == 0


def test_request_is_recorded_by_the_worker_with_audit_rows():
    account = AccountFactory()
    reset_request, _, _ = pending_reset(account)
    assert reset_request.state == ResetRequest.State.REQUESTED
    assert reset_request_pending(account) == reset_request
    assert _states(reset_request) == ["requested"]
    assert account.security_events.filter(type=SecurityEvent.Type.RESET_REQUESTED).count() == 1
    outbox = OutboundEmail.objects.get()
    assert outbox.account == account and outbox.context["reset_request_id"] == reset_request.pk


def test_recording_twice_for_one_outbox_row_is_idempotent():
    account = AccountFactory()
    email = services.reset_request_create(email=account.user.email.upper())
    email.refresh_from_db()
    first = services.reset_request_record(email=email)
    email.refresh_from_db()
    assert services.reset_request_record(email=email) == first
    assert ResetRequest.objects.count() == 1


def test_token_is_stored_only_as_a_hash():
    reset_request, token, cancel = pending_reset()
    row = ResetRequest.objects.filter(pk=reset_request.pk).values().get()
    assert token not in str(row) and cancel not in str(row)
    assert row["token_hash"] == default_token_generator.token_hash(token)


def test_newer_request_supersedes_older_pending_ones():
    account = AccountFactory()
    old, old_token, _ = pending_reset(account)
    new, _, _ = pending_reset(account)
    old.refresh_from_db()
    assert old.state == ResetRequest.State.SUPERSEDED
    assert _states(old) == ["requested", "superseded"]
    assert reset_request_pending(account) == new
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=old_token, **credentials_for(NEW_PASSWORD), hint="")


def test_an_older_request_processed_late_does_not_replace_a_newer_one():
    account = AccountFactory()
    late = services.reset_request_create(email=account.user.email)
    late.context["requested_at"] = (timezone.now() - timedelta(minutes=5)).isoformat()
    late.save()
    newer, _, _ = pending_reset(account)
    late.refresh_from_db()
    assert services.reset_request_record(email=late) is None
    newer.refresh_from_db()
    assert newer.state == ResetRequest.State.REQUESTED


def test_complete_resets_everything_it_must_and_keeps_the_rest():
    account = AccountFactory()
    other = AccountFactory()
    VaultItemFactory.create_batch(5, account=account)
    VaultItemFactory(account=account, deleted=True)
    VaultItemFactory.create_batch(2, account=other)
    VerifierFactory(account=account)
    device = DeviceFactory(account=account)
    other_device = DeviceFactory(account=other)
    account_id, email, license_id = account.account_id, account.user.email, account.license.pk
    reset_request, token, _ = pending_reset(account)

    services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="the new one")

    account.refresh_from_db()
    account.user.refresh_from_db()
    assert account.account_id == account_id and account.user.email == email
    assert account.license.pk == license_id
    assert account.key_generation == 2
    assert account.password_hint == "the new one"
    assert signs_in_with(account.user, NEW_PASSWORD)
    assert not signs_in_with(account.user, DEFAULT_PASSWORD)
    assert not VaultItem.objects.filter(account=account).exists()
    assert VaultItem.objects.filter(account=other).count() == 2
    assert not AccountKeyVerifier.objects.filter(account=account, obsoleted_at__isnull=True).exists()
    device.refresh_from_db()
    other_device.refresh_from_db()
    assert device.revoked_at and device.revoked_reason == Device.RevokedReason.ACCOUNT_RESET
    assert other_device.revoked_at is None
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.COMPLETED
    completed = reset_request.events.get(state="completed")
    assert completed.details["items_deleted"] == 6 and completed.details["new_generation"] == 2
    assert account.security_events.filter(type=SecurityEvent.Type.RESET_COMPLETED).count() == 1
    assert OutboundEmail.objects.filter(kind=services.COMPLETED_KIND, account=account).count() == 1


def test_same_password_as_before_is_accepted():
    reset_request, token, _ = pending_reset()
    services.reset_complete(token=token, **credentials_for(DEFAULT_PASSWORD), hint="")
    reset_request.account.user.refresh_from_db()
    assert signs_in_with(reset_request.account.user, DEFAULT_PASSWORD)
    assert reset_request.account.user.account.key_generation == 2


def test_link_is_single_use():
    _, token, _ = pending_reset()
    services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=token, **credentials_for("Another-password-99"), hint="")


def test_link_expires(monkeypatch, settings):
    settings.RESET_LINK_TTL_MINUTES = 60
    reset_request, token, _ = pending_reset()
    later = timezone.now() + timedelta(minutes=61)
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    assert not services.reset_request_usable(reset_request)
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")


def test_link_lifetime_is_the_setting_60_minutes_by_default(monkeypatch, settings):
    monkeypatch.delenv("RESET_LINK_TTL_MINUTES", raising=False)
    monkeypatch.delenv("RESET_COOLING_OFF_DAYS", raising=False)
    defaults = importlib.reload(reset_settings)
    assert defaults.RESET_LINK_TTL_MINUTES == 60 and defaults.RESET_COOLING_OFF_DAYS == 7

    settings.RESET_LINK_TTL_MINUTES = 15
    reset_request, token, _ = pending_reset()
    assert reset_request.expires_at - reset_request.created_at == pytest.approx(
        timedelta(minutes=15), abs=timedelta(seconds=5)
    )
    start = timezone.now()
    monkeypatch.setattr(default_token_generator, "_now", lambda: start + timedelta(minutes=14))
    assert services.reset_request_usable(reset_request)
    monkeypatch.setattr(default_token_generator, "_now", lambda: start + timedelta(minutes=16))
    assert not services.reset_request_usable(reset_request)
    assert services.reset_requests_expire() == 1
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")


def test_link_dies_after_a_password_change():
    reset_request, token, _ = pending_reset()
    user = reset_request.account.user
    user.set_password("Changed-in-the-app-123")
    user.save()
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")


def test_link_dies_after_cancel_and_cancel_works_once():
    reset_request, token, _ = pending_reset()
    assert services.reset_cancel(reset_request=reset_request, via="email_link")
    assert not services.reset_cancel(reset_request=reset_request, via="email_link")
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    assert _states(reset_request) == ["requested", "cancelled"]
    assert reset_request.events.get(state="cancelled").details == {"via": "email_link"}


def test_tampered_or_foreign_tokens_cannot_complete_a_reset():
    victim = AccountFactory()
    attacker = AccountFactory()
    victim_request, victim_token, victim_cancel = pending_reset(victim)
    attacker_request, attacker_token, _ = pending_reset(attacker)
    for bad in (victim_token[:-1] + ("A" if victim_token[-1] != "A" else "B"), victim_cancel, "", "x" * 500):
        with pytest.raises(services.ResetLinkInvalid):
            services.reset_complete(token=bad, **credentials_for(NEW_PASSWORD), hint="")
    # Re-pointing a request row at another account (or changing its nonce) breaks its token.
    ResetRequest.objects.filter(pk=attacker_request.pk).update(account=victim)
    with pytest.raises(services.ResetLinkInvalid):
        services.reset_complete(token=attacker_token, **credentials_for(NEW_PASSWORD), hint="")
    victim.user.refresh_from_db()
    assert signs_in_with(victim.user, DEFAULT_PASSWORD)


# Every step of the completion after the vault delete, the audit rows and the e-mail last.
FAULT_POINTS = [
    "_verifiers_obsolete",
    "devices_mark_reset",
    "user_sessions_end",
    "reset_event_record",
    "security_event_record",
    "email_queue",
]


@pytest.mark.parametrize("step", FAULT_POINTS)
def test_a_fault_at_any_step_rolls_everything_back_audit_included_and_the_link_still_works(monkeypatch, step):
    account = AccountFactory()
    VaultItemFactory.create_batch(3, account=account)
    VerifierFactory(account=account)
    DeviceFactory(account=account)
    browser = Client()
    assert browser.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    reset_request, token, _ = pending_reset(account)
    trail = list(ResetRequestEvent.objects.values_list("pk", flat=True))
    history = list(account.security_events.values_list("pk", flat=True))

    def explode(*args, **kwargs):
        raise RuntimeError("injected fault")

    monkeypatch.setattr(completion, step, explode)
    with pytest.raises(RuntimeError):
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")

    account.refresh_from_db()
    account.user.refresh_from_db()
    reset_request.refresh_from_db()
    assert VaultItem.objects.filter(account=account).count() == 3
    assert account.key_generation == 1 and account.password_hint == "my usual hint"
    assert signs_in_with(account.user, DEFAULT_PASSWORD)
    assert account.verifiers.filter(obsoleted_at__isnull=True).count() == 1
    assert account.devices.filter(revoked_at__isnull=True).count() == 1
    assert UserSession.objects.filter(user=account.user).count() == 1
    assert browser.get(reverse("accounts:home")).status_code == 200
    # No audit row of a reset that did not happen, and no e-mail about it.
    assert list(ResetRequestEvent.objects.values_list("pk", flat=True)) == trail
    assert list(account.security_events.values_list("pk", flat=True)) == history
    assert not OutboundEmail.objects.filter(kind=services.COMPLETED_KIND).exists()
    assert reset_request.state == ResetRequest.State.REQUESTED
    assert services.reset_request_usable(reset_request)
    monkeypatch.undo()
    services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.COMPLETED


def _completion_queries(item_count: int) -> int:
    account = AccountFactory()
    VaultItemFactory.create_batch(item_count, account=account)
    _, token, _ = pending_reset(account)
    with CaptureQueriesContext(connection) as queries:
        services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    assert not VaultItem.objects.filter(account=account).exists()
    deletes = [q["sql"] for q in queries.captured_queries if "accounts_vaultitem" in q["sql"]]
    assert len(deletes) == 1 and deletes[0].startswith("DELETE")
    return len(queries.captured_queries)


def test_statement_count_does_not_grow_with_the_vault():
    assert _completion_queries(1) == _completion_queries(40)


def test_expire_marks_stale_requests_with_an_event():
    stale = ResetRequestFactory(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = ResetRequestFactory()
    done = ResetRequestFactory(
        state=ResetRequest.State.COMPLETED, expires_at=timezone.now() - timedelta(days=1)
    )
    assert services.reset_requests_expire() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    done.refresh_from_db()
    assert stale.state == "expired" and _states(stale) == ["expired"]
    assert fresh.state == "requested" and done.state == "completed"


def test_resend_goes_to_the_owner_only_and_not_for_finished_requests(django_user_model):
    agent = django_user_model.objects.create_user(email="agent@example.com", password="x", is_staff=True)
    reset_request, _, _ = pending_reset()
    email = services.reset_request_resend(reset_request=reset_request, actor=agent)
    assert email.to == reset_request.account.user.email
    assert email.kind == services.LINK_KIND and email.created_by == agent
    services.reset_cancel(reset_request=reset_request, via="support", actor=agent)
    assert services.reset_request_resend(reset_request=reset_request, actor=agent) is None


def test_completing_does_not_authenticate_with_the_old_password():
    reset_request, token, _ = pending_reset()
    services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    email = reset_request.account.user.email
    assert authenticate(email=email, password=auth_key_for(DEFAULT_PASSWORD, TEST_KDF)) is None
    assert authenticate(email=email, password=auth_key_for(NEW_PASSWORD, TEST_KDF)) is not None


def test_links_for_matches_what_the_factory_stores():
    reset_request = ResetRequestFactory()
    token, cancel = links_for(reset_request)
    assert services.reset_request_for_token(token=token) == reset_request
    assert services.reset_request_for_token(token=cancel, purpose="cancel") == reset_request
    assert services.reset_request_for_token(token=cancel) is None
