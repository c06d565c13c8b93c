"""Lookups by e-mail, account ID and ticket number; the account view's query count is constant."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Device, SecurityEvent
from accounts.services import license_history_record
from accounts.tests.factories import AccountFactory, DeviceFactory
from accounts.tests.zk import new_password_data
from mailer.models import OutboundEmail
from resets.models import ResetRequest, ResetRequestEvent
from resets.tests.factories import pending_reset
from support.selectors import HISTORY_LIMIT, account_dossier, console_search
from support.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def test_search_by_email_any_case(customer_account):
    result = console_search("  SomeOne@Example.COM ")
    assert result.kind == "email" and result.accounts == [customer_account]


@pytest.mark.parametrize(
    "transform", [str, str.lower, lambda v: f"{v[:4]}-{v[4:8]}-{v[8:]}", lambda v: f" {v.lower()} "]
)
def test_search_by_account_id_as_people_type_it(transform, customer_account):
    result = console_search(transform(customer_account.account_id))
    assert result.accounts == [customer_account]


@pytest.mark.parametrize("typed", ["T-{n:06d}", "t{n}", "#{n}", "T {n}"])
def test_search_by_ticket_number(typed, customer_account):
    ticket = TicketFactory(email=customer_account.user.email, account=customer_account)
    result = console_search(typed.format(n=ticket.pk))
    assert result.tickets == [ticket]
    assert result.accounts == [customer_account]


def test_search_by_email_also_lists_tickets_from_that_address(customer_account):
    ticket = TicketFactory(email="someone@example.com")
    result = console_search("someone@example.com")
    assert result.tickets == [ticket]


def test_partial_or_unknown_queries_find_nothing(customer_account):
    assert console_search("someone@").accounts == []
    assert console_search("hello world").kind == ""
    assert console_search("").accounts == []


def test_search_page_redirects_to_the_only_account(agent, client_for, customer_account):
    response = client_for(agent).get(reverse("support:search"), {"q": customer_account.account_id})
    assert response.status_code == 302
    assert response["Location"] == reverse("support:account", args=[customer_account.account_id])


def _add_history(account, n: int):
    now = timezone.now()
    for i in range(n):
        DeviceFactory(account=account)
        SecurityEvent.objects.create(account=account, type=SecurityEvent.Type.SIGNED_IN)
        OutboundEmail.objects.create(kind="hint", to=account.user.email, account=account, status="delivered")
        reset = ResetRequest.objects.create(
            account=account,
            nonce=f"n{i}",
            token_hash=f"t{i}-{account.pk}-{n}",
            cancel_token_hash=f"c{i}-{account.pk}-{n}",
            expires_at=now + timedelta(minutes=60),
        )
        ResetRequestEvent.objects.create(reset_request=reset, state="requested")
        ResetRequestEvent.objects.create(reset_request=reset, state="emailed")
        license_history_record(license=account.license, reason=f"change {i}")
        TicketFactory(email=account.user.email, account=account)


def test_account_view_query_count_is_constant(agent, client_for, page_queries):
    small, large = AccountFactory(), AccountFactory()
    _add_history(small, 1)
    _add_history(large, 30)
    client = client_for(agent)
    assert page_queries(client, reverse("support:account", args=[small.account_id])) == page_queries(
        client, reverse("support:account", args=[large.account_id])
    )


def test_account_dossier_queries(django_assert_max_num_queries, customer_account):
    _add_history(customer_account, 5)
    with django_assert_max_num_queries(10):
        dossier = account_dossier(customer_account)
        for reset in dossier.reset_requests:
            list(reset.events.all())
    assert len(dossier.devices) == 5 and len(dossier.reset_requests) == 5
    assert all(len(r.events.all()) == 2 for r in dossier.reset_requests)
    assert dossier.email_verified is True


def test_account_dossier_lists_reset_requests_newest_first_with_their_events(customer_account):
    pending_reset(customer_account)
    pending_reset(customer_account)
    dossier = account_dossier(customer_account)
    assert [[e.state for e in r.events.all()] for r in dossier.reset_requests] == [
        ["requested"],
        ["requested", "superseded"],
    ]


def test_email_delivery_status_shown(agent, client_for, customer_account):
    OutboundEmail.objects.create(
        kind="reset_link",
        to=customer_account.user.email,
        account=customer_account,
        subject="Reset",
        status="bounced",
    )
    body = (
        client_for(agent).get(reverse("support:account", args=[customer_account.account_id])).content.decode()
    )
    assert "Bounced" in body and "Reset" in body


def test_addresses_signed_up_in_mixed_case_are_found(client, django_capture_on_commit_callbacks):
    """The index-friendly exact match relies on addresses being stored lower-cased at sign-up."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Mixed.Case@Example.COM",
                **new_password_data("Marmalade-Comet-2024"),
                "password_hint": "jam",
            },
        )
    assert response.status_code == 302
    result = console_search("MIXED.case@example.com")
    assert [a.user.email for a in result.accounts] == ["mixed.case@example.com"]


def test_account_page_reads_devices_and_browsers_once(agent, client_for, customer_account):
    from core.tests.test_useragents import MAC_CHROME

    DeviceFactory(
        account=customer_account,
        revoked_at=timezone.now(),
        revoked_reason=Device.RevokedReason.SIGNED_OUT,
    )
    SecurityEvent.objects.create(
        account=customer_account, type=SecurityEvent.Type.SIGNED_IN, user_agent=MAC_CHROME
    )
    html = (
        client_for(agent).get(reverse("support:account", args=[customer_account.account_id])).content.decode()
    )
    assert len(re.findall(r"Signed out \d+ \w+ \d{4}", html)) == 1
    assert '<span class="muted">Signed out</span>' not in html  # the state is read once
    assert "Chrome on macOS" in html and f'title="{MAC_CHROME}"' in html


def test_the_dossier_lists_signed_in_devices_first_and_stops_at_the_history_limit(
    agent, client_for, customer_account
):
    long_ago = timezone.now() - timedelta(days=400)
    active = DeviceFactory(account=customer_account, name="Old laptop", last_seen_at=long_ago)
    for n in range(HISTORY_LIMIT):
        DeviceFactory(
            account=customer_account,
            revoked_at=timezone.now() - timedelta(days=n),
            revoked_reason=Device.RevokedReason.SIGNED_OUT,
        )
    devices = account_dossier(customer_account).devices
    assert len(devices) == HISTORY_LIMIT
    assert devices[0] == active
    revoked = [device.revoked_at for device in devices[1:]]
    assert revoked == sorted(revoked, reverse=True)  # the most recently signed out next
    page = client_for(agent).get(reverse("support:account", args=[customer_account.account_id]))
    assert f"Each list below shows its latest {HISTORY_LIMIT} entries" in page.content.decode()


def test_agent_home_page_offers_the_console_not_an_account(agent, client_for, customer_account):
    agent_home = client_for(agent).get(reverse("home")).content.decode()
    assert "Go to my account" not in agent_home and "Open the support console" in agent_home
    customer_home = client_for(customer_account.user).get(reverse("home")).content.decode()
    assert "Go to my account" in customer_home and "Open the support console" not in customer_home


def test_support_reads_every_state_change_of_a_reset_with_when_and_where(agent, client_for, customer_account):
    """SPEC §3: requested, e-mailed, opened, completed, cancelled, expired: each one in the console."""
    from accounts.tests.factories import credentials_for
    from core.origin import Origin
    from resets import services

    cancelled, _, _ = pending_reset(customer_account, origin=Origin(ip="198.51.100.1"))
    services.reset_cancel(reset_request=cancelled, via="email_link", origin=Origin(ip="198.51.100.2"))
    expired, _, _ = pending_reset(customer_account)
    ResetRequest.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert services.reset_requests_expire() == 1
    completed, token, _ = pending_reset(customer_account)
    services.reset_request_emailed(reset_request=completed)
    services.reset_request_open(reset_request=completed, origin=Origin(ip="198.51.100.3"))
    services.reset_complete(
        token=token, **credentials_for("Another-Passphrase-31"), hint="", origin=Origin(ip="198.51.100.4")
    )

    html = (
        client_for(agent).get(reverse("support:account", args=[customer_account.account_id])).content.decode()
    )
    section = html[html.index('id="reset-h"') : html.index("</section>", html.index('id="reset-h"'))]
    timelines = re.findall(r'<ol class="timeline">(.*?)</ol>', section, re.S)
    states = [re.findall(r"— ([^<·\n]+?)(?: by | · |\n|</li>)", timeline) for timeline in timelines]
    assert states == [
        ["Requested", "E-mailed", "Link opened", "Completed"],
        ["Requested", "Expired"],
        ["Requested", "Cancelled"],
    ]
    for ip in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
        assert ip in section
