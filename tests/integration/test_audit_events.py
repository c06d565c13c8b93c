"""Every audit log: written by its `*_record` service with an Origin, then never changed or deleted."""

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.models import SecurityEvent
from accounts.services import security_event_record
from accounts.tests.factories import AccountFactory, UserFactory
from chat.models import ChatEvent
from chat.services import chat_event_record
from chat.tests.factories import ChatFactory
from core.models import AppendOnlyError, AppendOnlyEvent
from core.origin import Origin
from forums.models import ForumEvent
from forums.services.audit import forum_event_record
from proofs.models import OwnerProof, OwnerProofEvent
from proofs.services import proof_event_record
from resets.models import ResetRequest, ResetRequestEvent
from resets.services import reset_event_record
from resets.tests.factories import ResetRequestFactory
from support.models import SupportAuditEvent
from support.services.audit import support_audit_record

pytestmark = pytest.mark.django_db

ORIGIN = Origin(ip="203.0.113.9", user_agent="Firefox/128")

WRITERS = {
    "security": lambda origin: security_event_record(
        account=AccountFactory(), type=SecurityEvent.Type.SIGNED_IN, origin=origin
    ),
    "reset": lambda origin: reset_event_record(
        reset_request=ResetRequestFactory(), state=ResetRequest.State.REQUESTED, origin=origin
    ),
    "support": lambda origin: support_audit_record(
        actor=UserFactory(), action=SupportAuditEvent.Action.TICKET_UPDATED, origin=origin
    ),
    "proof": lambda origin: proof_event_record(
        proof=OwnerProof.objects.create(
            account=AccountFactory(),
            agent=UserFactory(),
            conversation_kind="account",
            conversation_ref="X",
            method="app",
            expires_at=timezone.now(),
        ),
        action=OwnerProofEvent.Action.REQUESTED,
        origin=origin,
    ),
    "chat": lambda origin: chat_event_record(
        chat=ChatFactory(), action=ChatEvent.Action.VIEWED, origin=origin
    ),
    "forums": lambda origin: forum_event_record(
        actor=UserFactory(), action=ForumEvent.Action.TOPIC_LOCKED, origin=origin
    ),
}


@pytest.fixture(params=sorted(WRITERS))
def write(request):
    return WRITERS[request.param]


def test_writer_stores_the_origin(write):
    event = write(ORIGIN)
    event.refresh_from_db()
    assert event.ip == "203.0.113.9"
    if hasattr(event, "user_agent"):
        assert event.user_agent == "Firefox/128"


def test_writer_without_origin_stores_nothing_about_it(write):
    event = write(None)
    event.refresh_from_db()
    assert event.ip is None and getattr(event, "user_agent", "") == ""


def test_event_refuses_update(write):
    event = write(ORIGIN)
    event.details = {"changed": True}
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()
    event.refresh_from_db()
    assert event.details != {"changed": True}


def test_event_refuses_delete(write):
    event = write(ORIGIN)
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.delete()
    assert type(event).objects.filter(pk=event.pk).exists()


def test_every_event_log_is_covered_here():
    """A new append-only log joins WRITERS above (and so these tests)."""
    logs = {model for model in apps.get_models() if issubclass(model, AppendOnlyEvent)}
    assert logs == {
        SecurityEvent,
        ResetRequestEvent,
        SupportAuditEvent,
        ChatEvent,
        OwnerProofEvent,
        ForumEvent,
    }
