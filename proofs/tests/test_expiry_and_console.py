"""Requests expire (the beat task, OWNER_PROOF_TTL_SECONDS) and the console's proof box says what happened."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from proofs.models import OwnerProof, OwnerProofEvent
from proofs.services import proof_refuse_app, proof_request
from proofs.tasks import owner_proofs_expire
from support.tests.factories import TicketFactory

from .factories import OTHER_KEY

pytestmark = pytest.mark.django_db


def _ask(account, agent, kind="account", ref=None) -> OwnerProof:
    return proof_request(
        account=account, agent=agent, conversation_kind=kind, conversation_ref=ref or account.account_id
    )


def _overdue(proof) -> None:
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def _box(client, account) -> str:
    """The account page's proof box (the console shows one next to each conversation)."""
    page = client.get(reverse("support:account", args=[account.account_id])).content.decode()
    start = page.index('data-testid="owner-proof"')
    return page[start : page.index("</section>", start)]


# --- The beat task ------------------------------------------------------------------------


def test_the_beat_runs_the_expiry_task_every_minute():
    from portal.celery import app as celery_app

    entry = django_settings.CELERY_BEAT_SCHEDULE["proofs-expire"]
    assert entry["task"] == "proofs.tasks.owner_proofs_expire" and entry["schedule"] <= 60
    assert entry["task"] in celery_app.tasks


def test_the_task_expires_overdue_requests_only_and_erases_their_codes(app, no_app_account, agent):
    overdue = _ask(app.account, agent)
    emailed = _ask(no_app_account, agent)
    still_open = _ask(app.account, agent, "chat", "other")
    _overdue(overdue)
    _overdue(emailed)
    assert owner_proofs_expire.delay().get() == 2
    for proof in (overdue, emailed, still_open):
        proof.refresh_from_db()
    assert overdue.status == emailed.status == OwnerProof.Status.EXPIRED
    assert overdue.short_code == emailed.short_code == emailed.secret_hash == ""
    assert overdue.events.last().action == OwnerProofEvent.Action.EXPIRED
    assert still_open.status == OwnerProof.Status.PENDING and still_open.short_code
    assert owner_proofs_expire.delay().get() == 0  # nothing twice


def test_a_request_lives_exactly_its_setting(app, agent, settings):
    settings.OWNER_PROOF_TTL_SECONDS = 60
    proof = _ask(app.account, agent)
    OwnerProof.objects.filter(pk=proof.pk).update(created_at=timezone.now() - timedelta(seconds=59))
    assert owner_proofs_expire() == 0  # 59 s old: its expiry is still ahead
    OwnerProof.objects.filter(pk=proof.pk).update(expires_at=proof.created_at)
    assert owner_proofs_expire() == 1


# --- The console's proof box --------------------------------------------------------------


def test_pending_the_box_shows_the_comparison_code_and_the_method(app, agent, console_for):
    proof = _ask(app.account, agent)
    box = _box(console_for(agent), app.account)
    assert proof.short_code in box and "Waiting for the customer" in box and "the app" in box
    assert "strong" in box


def test_approved_the_box_names_the_device_and_the_time_and_no_code(app, agent, console_for):
    proof = _ask(app.account, agent)
    code = proof.short_code
    app.approve(proof)
    proof.refresh_from_db()
    box = _box(console_for(agent), app.account)
    at = time_format(timezone.localtime(proof.decided_at), "H:i")
    assert f"Owner proven with the app on '<bdi>Pixel 8</bdi>' at {at}" in box and "strong" in box
    assert code not in box


def test_an_e_mailed_proof_is_marked_weak(no_app_account, agent, console_for):
    from proofs.models import OwnerProof as Proof

    proof = _ask(no_app_account, agent)
    Proof.objects.filter(pk=proof.pk).update(status=Proof.Status.APPROVED, decided_at=timezone.now())
    box = _box(console_for(agent), no_app_account)
    assert "Owner proven with a code e-mailed" in box and "weak: e-mail only" in box


def test_refused_and_failed_are_shown_without_a_code(app, agent, console_for, settings):
    proof = _ask(app.account, agent)
    code = proof.short_code
    proof_refuse_app(device=app.device, proof_id=str(proof.public_id))
    box = _box(console_for(agent), app.account)
    assert "Proof refused" in box and code not in box

    settings.OWNER_PROOF_MAX_ATTEMPTS = 1
    again = _ask(app.account, agent)
    code = again.short_code
    from proofs.services import ProofError, proof_approve_app

    with pytest.raises(ProofError):
        proof_approve_app(
            device=app.device,
            proof_id=str(again.public_id),
            code=code,
            signature=app.sign(again, key=OTHER_KEY),
        )
    box = _box(console_for(agent), app.account)
    assert "Proof failed" in box and code not in box


def test_overdue_the_box_says_expired_before_and_after_the_beat(app, agent, console_for):
    proof = _ask(app.account, agent)
    code = proof.short_code
    _overdue(proof)
    client = console_for(agent)
    before = _box(client, app.account)
    assert "Proof expired" in before and code not in before and "Waiting" not in before
    owner_proofs_expire()
    after = _box(client, app.account)
    assert "Proof expired" in after and code not in after


def test_the_ticket_page_shows_the_tickets_proof_only(app, agent, console_for):
    ticket = TicketFactory(account=app.account)
    on_account_page = _ask(app.account, agent)
    client = console_for(agent)
    page = client.get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    assert on_account_page.short_code not in page and "Identity not proven" in page
    in_ticket = _ask(app.account, agent, "ticket", ticket.pk)
    page = client.get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    assert in_ticket.short_code in page
