"""Console actions: what they do, that they are audited, and that the reset e-mail goes to the owner only."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device, LicenseChange, SecurityEvent
from accounts.tests.factories import AccountFactory, DeviceFactory, UserFactory
from resets.models import ResetRequest
from resets.selectors import credential_stamp_of
from resets.services import LINK_KIND, REQUEST_KIND
from support.forms import AuditReasonForm, CloseAccountForm, LicenseForm, ResetEmailForm
from support.models import SupportAuditEvent
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

CONFIRMED = {"reason": "Customer asked on the phone", "confirm": "on"}


def _pending_reset(account) -> ResetRequest:
    return ResetRequest.objects.create(
        account=account,
        nonce="n",
        token_hash="t" * 64,
        cancel_token_hash="c" * 64,
        expires_at=timezone.now() + timedelta(minutes=60),
        credential_stamp=credential_stamp_of(account),
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "attacker@evil.example"},
        {"to": "attacker@evil.example", "address": "attacker@evil.example"},
        {"account_id": "XXXXXXXXXX", "email": "someone-else@example.com"},
    ],
)
def test_resend_goes_to_the_pending_request_whatever_the_post_says(
    body, agent, client_for, customer_account, reset_emails
):
    pending = _pending_reset(customer_account)
    response = client_for(agent).post(
        reverse("support:account_reset_email", args=[customer_account.account_id]), {**body, **CONFIRMED}
    )
    assert response.status_code == 302
    [(kind, to, context)] = reset_emails()
    assert kind == LINK_KIND and to == "someone@example.com" == customer_account.user.email
    assert context["reset_request_id"] == pending.pk and context["actor_id"] == agent.pk
    event = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.RESET_EMAIL_RESENT)
    assert event.actor == agent and event.account == customer_account
    assert SecurityEvent.objects.filter(
        account=customer_account, type=SecurityEvent.Type.SUPPORT_ACTION
    ).exists()


@pytest.mark.parametrize("body", [{}, {"email": "attacker@evil.example"}])
def test_without_pending_request_a_new_one_starts_for_the_owner_address(
    body, agent, client_for, customer_account, reset_emails
):
    # An expired request does not count as pending.
    old = _pending_reset(customer_account)
    ResetRequest.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client_for(agent).post(
        reverse("support:account_reset_email", args=[customer_account.account_id]), {**body, **CONFIRMED}
    )
    [(kind, to, context)] = reset_emails()
    assert kind == REQUEST_KIND
    assert to == "someone@example.com" == customer_account.user.email
    assert context["actor_id"] == agent.pk
    assert SupportAuditEvent.objects.filter(
        action=SupportAuditEvent.Action.RESET_STARTED, actor=agent
    ).exists()


def test_reset_email_asks_for_a_confirmation_first(agent, client_for, customer_account, reset_emails):
    """One click no longer sends it (issue 17): GET shows the confirmation, an unconfirmed POST too."""
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    client = client_for(agent)
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="reason"' in page.content and b'name="ticket"' in page.content
    for body in ({}, {"reason": "Asked"}, {"confirm": "on"}, {"reason": " ", "confirm": "on"}):
        response = client.post(url, body)
        assert response.status_code == 200
    assert reset_emails() == []
    assert not SupportAuditEvent.objects.exclude(action=SupportAuditEvent.Action.ACCOUNT_VIEWED).exists()


def test_reset_email_with_an_unknown_ticket_is_refused(agent, client_for, customer_account, reset_emails):
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    response = client_for(agent).post(url, {**CONFIRMED, "ticket": "T-999999"})
    assert response.status_code == 200
    assert b"There is no ticket with this number" in response.content
    assert reset_emails() == []


def test_reset_email_records_reason_and_ticket(agent, client_for, customer_account, reset_emails):
    ticket = TicketFactory(email=customer_account.user.email, account=customer_account)
    pending = _pending_reset(customer_account)
    url = reverse("support:account_reset_email", args=[customer_account.account_id])
    client_for(agent).post(url, {**CONFIRMED, "ticket": ticket.number.lower()})
    [(kind, _, context)] = reset_emails()
    assert kind == LINK_KIND
    assert context["reset_request_id"] == pending.pk and context["support_ticket"] == ticket.number
    audit = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.RESET_EMAIL_RESENT)
    assert audit.ticket == ticket
    assert audit.details["reason"] == "Customer asked on the phone"
    assert audit.details["ticket"] == ticket.number
    event = SecurityEvent.objects.get(account=customer_account, type=SecurityEvent.Type.SUPPORT_ACTION)
    assert event.summary == f"Vault support sent your reset e-mail (ticket {ticket.number})"


def test_reset_service_has_no_address_parameter():
    import inspect

    from support.services.console import account_reset_email_send

    assert set(inspect.signature(account_reset_email_send).parameters) == {
        "account",
        "actor",
        "reason",
        "ticket",
        "conversation",  # where the customer asked (a chat), for the owner-proof check; not an address
        "origin",
    }


def test_sign_out_ends_web_sessions_but_keeps_devices(agent, client_for, customer_account):
    from allauth.usersessions.models import UserSession

    device = DeviceFactory(account=customer_account)
    customer = client_for(None)
    customer.force_login(customer_account.user)
    assert customer.get(reverse("accounts:home")).status_code == 200
    assert UserSession.objects.filter(user=customer_account.user).exists()

    response = client_for(agent).post(reverse("support:account_sign_out", args=[customer_account.account_id]))
    assert response.status_code == 302
    assert not UserSession.objects.filter(user=customer_account.user).exists()
    assert customer.get(reverse("accounts:home")).status_code == 302  # back to sign-in
    device.refresh_from_db()
    assert device.revoked_at is None
    event = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.SESSIONS_ENDED)
    assert event.actor == agent and event.details["sessions"] == 1


def test_supervisor_changes_licence_with_history(supervisor, client_for, customer_account):
    response = client_for(supervisor).post(
        reverse("support:account_license", args=[customer_account.account_id]),
        {
            "plan": "family",
            "status": "active",
            "seats": "6",
            "expires_at": "2030-01-31 23:59",
            "reason": "Upgrade",
        },
    )
    assert response.status_code == 302
    license = customer_account.license
    license.refresh_from_db()
    assert (license.plan, license.seats, license.expires_at.year) == ("family", 6, 2030)
    latest = LicenseChange.objects.filter(license=license).first()
    assert latest.changed_by == supervisor and latest.reason == "Upgrade" and latest.plan == "family"
    event = SupportAuditEvent.objects.get(action=SupportAuditEvent.Action.LICENSE_CHANGED)
    assert event.details["before"]["plan"] == "premium" and event.details["after"]["plan"] == "family"


def test_invalid_licence_form_changes_nothing(supervisor, client_for, customer_account):
    response = client_for(supervisor).post(
        reverse("support:account_license", args=[customer_account.account_id]),
        {"plan": "gold", "status": "active", "seats": "0", "reason": ""},
    )
    assert response.status_code == 200
    assert b"field-invalid" in response.content
    assert LicenseChange.objects.filter(license=customer_account.license).count() == 1


def test_supervisor_closes_account(supervisor, client_for, customer_account):
    device = DeviceFactory(account=customer_account)
    response = client_for(supervisor).post(
        reverse("support:account_close", args=[customer_account.account_id]),
        {"reason": "Owner asked", "confirm": "on"},
    )
    assert response.status_code == 302
    customer_account.refresh_from_db()
    customer_account.user.refresh_from_db()
    device.refresh_from_db()
    assert customer_account.closed_at is not None
    assert customer_account.user.is_active is False
    assert device.revoked_reason == Device.RevokedReason.SUPPORT
    assert customer_account.license.plan == "premium"  # licence kept
    assert SupportAuditEvent.objects.filter(
        action=SupportAuditEvent.Action.ACCOUNT_CLOSED, actor=supervisor
    ).exists()


def test_a_reason_with_hidden_characters_is_refused(supervisor, client_for, customer_account):
    """Reasons are read back in the support audit log and the licence history."""
    response = client_for(supervisor).post(
        reverse("support:account_close", args=[customer_account.account_id]),
        {"reason": "Owner \u202easked", "confirm": "on"},
    )
    assert response.status_code == 200
    assert b"The reason holds invisible formatting characters" in response.content
    customer_account.refresh_from_db()
    assert customer_account.closed_at is None


@pytest.mark.parametrize("form_class", [LicenseForm, AuditReasonForm, ResetEmailForm, CloseAccountForm])
def test_every_console_reason_refuses_hidden_characters(form_class):
    form = form_class({"reason": "Asked \u2067on the phone\u2069"})
    assert not form.is_valid()
    assert form.has_error("reason", "hidden_characters")


def test_close_needs_the_confirmation_box(supervisor, client_for, customer_account):
    client_for(supervisor).post(
        reverse("support:account_close", args=[customer_account.account_id]), {"reason": "x"}
    )
    customer_account.refresh_from_db()
    assert customer_account.closed_at is None


def test_viewing_an_account_is_audited_for_support_only(agent, client_for, customer_account):
    client_for(agent).get(reverse("support:account", args=[customer_account.account_id]))
    assert SupportAuditEvent.objects.filter(
        action="account_viewed", actor=agent, account=customer_account
    ).exists()
    assert not SecurityEvent.objects.filter(
        account=customer_account, type=SecurityEvent.Type.SUPPORT_ACTION
    ).exists()


def _audited(actor, n: int) -> list[SupportAuditEvent]:
    """`n` console actions of `actor`, each on another account and ticket."""
    return [
        SupportAuditEvent.objects.create(
            actor=actor,
            action=SupportAuditEvent.Action.TICKET_NOTE_ADDED,
            account=(account := AccountFactory()),
            ticket=TicketFactory(account=account),
        )
        for _ in range(n)
    ]


def _account_links(body: str) -> set[str]:
    return set(re.findall(r'href="/support/accounts/(\w+)/"', body))


def test_the_audit_log_is_cut_into_pages_whose_links_keep_the_staff_filter(
    agent, supervisor, client_for, settings
):
    settings.SUPPORT_CONSOLE_ROWS_PER_PAGE = 2
    oldest, middle, newest = _audited(agent, 3)
    _audited(supervisor, 1)
    client = client_for(supervisor)

    first = client.get(reverse("support:audit"), {"actor": agent.email}).content.decode()
    assert _account_links(first) == {newest.account.account_id, middle.account.account_id}
    assert f'href="?actor={agent.email.replace("@", "%40")}&amp;page=2"' in first
    assert "Newest first, 2 a page." in first
    second = client.get(reverse("support:audit"), {"actor": agent.email, "page": 2}).content.decode()
    assert _account_links(second) == {oldest.account.account_id}


def test_the_audit_log_costs_the_same_queries_with_1_or_30_actions(supervisor, client_for, page_queries):
    client = client_for(supervisor)
    _audited(UserFactory(is_staff=True), 1)
    small = page_queries(client, reverse("support:audit"))
    for _ in range(29):
        _audited(UserFactory(is_staff=True), 1)
    assert page_queries(client, reverse("support:audit")) == small


def test_audit_events_are_append_only(agent, customer_account):
    event = SupportAuditEvent.objects.create(actor=agent, action="sessions_ended", account=customer_account)
    event.details = {"tampered": True}
    with pytest.raises(ValueError):
        event.save()


def test_console_permissions_come_from_the_data_migration(django_db_setup, db):
    """Migration 0002 gave the groups their permissions (checked on the migrated test DB)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    # Transactional tests flush migrated rows: run the migration's function again (it is idempotent).
    importlib.import_module("support.migrations.0002_console_groups").grant(apps, None)
    agent = Group.objects.get(name="agent")
    supervisor = Group.objects.get(name="supervisor")
    assert set(agent.permissions.values_list("codename", flat=True)) >= {"use_console"}
    assert "change_license" not in set(agent.permissions.values_list("codename", flat=True))
    assert set(supervisor.permissions.values_list("codename", flat=True)) >= {
        "use_console",
        "change_license",
        "close_account",
    }


def test_console_shows_who_closed_the_account(supervisor, client_for, customer_account):
    from accounts.services import account_close

    account_close(account=customer_account, closed_by=customer_account.user)
    html = client_for(supervisor).get(reverse("support:account", args=[customer_account.account_id])).content
    assert b"by the customer (from their account page)" in html


def test_console_shows_the_supervisor_who_closed_it(supervisor, client_for, customer_account):
    client_for(supervisor).post(
        reverse("support:account_close", args=[customer_account.account_id]),
        {"reason": "Owner asked", "confirm": "on"},
    )
    html = client_for(supervisor).get(reverse("support:account", args=[customer_account.account_id])).content
    assert f"by {supervisor.email}".encode() in html


def test_a_supervisor_closure_reads_as_support_in_the_customers_history_once(
    supervisor, client_for, customer_account
):
    from accounts.models import SecurityEvent

    client_for(supervisor).post(
        reverse("support:account_close", args=[customer_account.account_id]),
        {"reason": "Owner asked", "confirm": "on"},
    )
    [event] = SecurityEvent.objects.filter(
        account=customer_account,
        type__in=[SecurityEvent.Type.ACCOUNT_CLOSED, SecurityEvent.Type.SUPPORT_ACTION],
    )
    assert event.summary == "Vault support closed your account"


def test_the_licence_form_says_how_to_fix_each_field(supervisor, client_for, customer_account):
    response = client_for(supervisor).post(
        reverse("support:account_license", args=[customer_account.account_id]),
        {"plan": "premium", "status": "active", "seats": "0", "expires_at": "next tuesday", "reason": ""},
    )
    html = response.content.decode()
    assert "A licence has at least 1 seat." in html
    assert "Write the date as 2027-01-31 23:59 (UTC), or leave it empty." in html
    assert "Say why: the reason goes into the licence history." in html
    assert "Ensure this value" not in html and "Enter a valid date/time" not in html
    assert "This field is required" not in html


def test_empty_console_forms_say_what_is_missing(agent, supervisor, client_for, customer_account):
    from support.tests.factories import TicketFactory

    ticket = TicketFactory(email=customer_account.user.email)
    pages = [
        client_for(agent).post(
            reverse("support:account_reset_email", args=[customer_account.account_id]), {"reason": ""}
        ),
        client_for(agent).post(reverse("support:ticket_note", args=[ticket.pk]), {"body": ""}, follow=True),
        client_for(supervisor).post(
            reverse("support:account_close", args=[customer_account.account_id]), {"reason": ""}
        ),
    ]
    reset_email, note, close = (page.content.decode() for page in pages)
    assert "Say why: the team reads it in the audit log." in reset_email
    assert "Tick this box once you have checked who you are talking to." in reset_email
    assert "Write the message first." in note
    assert "Tick this box to confirm that the account should be closed." in close
    for html in (reset_email, note, close):
        assert "This field is required" not in html


def test_an_empty_post_is_a_submitted_form_with_its_errors_not_a_fresh_one(
    agent, supervisor, client_for, customer_account, reset_emails
):
    """A POST with no field at all (a script, a form whose fields were removed) was shown as a new
    form, with no error, as if nothing had been sent: it is a refused form like any other."""
    account_id = customer_account.account_id
    licence_history = LicenseChange.objects.count()
    reset_email = client_for(agent).post(reverse("support:account_reset_email", args=[account_id]), {})
    licence = client_for(supervisor).post(reverse("support:account_license", args=[account_id]), {})
    close = client_for(supervisor).post(reverse("support:account_close", args=[account_id]), {})
    assert "Say why: the team reads it in the audit log." in reset_email.content.decode()
    assert "Tick this box once you have checked who you are talking to." in reset_email.content.decode()
    assert "Say why: the reason goes into the licence history." in licence.content.decode()
    assert "Tick this box to confirm that the account should be closed." in close.content.decode()
    assert reset_emails() == []
    customer_account.refresh_from_db()
    assert customer_account.closed_at is None
    assert LicenseChange.objects.count() == licence_history
    assert not SupportAuditEvent.objects.exclude(action=SupportAuditEvent.Action.ACCOUNT_VIEWED).exists()


def test_the_audit_log_shows_the_reason_staff_gave(
    agent, supervisor, client_for, customer_account, reset_emails
):
    """The reset e-mail form says its reason is "kept in the support audit log": the log shows it."""
    client_for(agent).post(
        reverse("support:account_reset_email", args=[customer_account.account_id]),
        {"reason": "Customer <b>locked out</b>, called from the number on file", "confirm": "on"},
    )
    html = client_for(supervisor).get(reverse("support:audit")).content.decode()
    assert '<th scope="col">Reason</th>' in html
    assert "Customer &lt;b&gt;locked out&lt;/b&gt;, called from the number on file" in html


def test_an_audit_log_filter_that_matches_nobody_says_so_and_offers_everyone(agent, client_for):
    html = client_for(agent).get(reverse("support:audit"), {"actor": "Nobody@Example.com"}).content.decode()
    assert "No console action by nobody@example.com." in html
    assert f'href="{reverse("support:audit")}">Show everyone' in html


def test_an_empty_console_search_says_what_to_type(agent, client_for):
    html = client_for(agent).get(reverse("support:search"), {"q": ""}).content.decode()
    assert "Type an e-mail address, an account ID or a ticket number like T-000123." in html
    assert "This field is required" not in html


def test_the_licence_form_shows_the_expiry_as_its_help_writes_it(supervisor, client_for, customer_account):
    """The field showed '2027-12-02 14:28:36' under help that asks for '2027-01-31 23:59'."""
    from datetime import UTC, datetime

    license = customer_account.license
    license.expires_at = datetime(2027, 12, 2, 14, 28, 36, tzinfo=UTC)
    license.save()
    html = (
        client_for(supervisor)
        .get(reverse("support:account_license", args=[customer_account.account_id]))
        .content.decode()
    )
    assert 'value="2027-12-02 14:28"' in html
