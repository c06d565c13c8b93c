"""Console actions that matter can require an owner proof first (OWNER_PROOF_REQUIRED_FOR, one
setting per action): the reset e-mail, a licence change and closing an account, on request.

With the setting on and no approved proof by this agent in this conversation (the account page,
or the ticket the reset form names), the console refuses, keeps what the agent typed, says why
and offers the button to ask; nothing changes. With it off, nothing is asked.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Account
from proofs.models import OwnerProof
from proofs.tests.factories import App, app_for, proof_approved
from support.models import SupportAuditEvent

from .factories import TicketFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Action:
    setting: str
    url_name: str
    actor: str  # the support conftest fixture that may do it
    data: dict
    audit: str

    def done(self, account: Account) -> bool:
        account.refresh_from_db()
        if self.setting == "reset_email":
            from mailer.models import OutboundEmail
            from resets.services import LINK_KIND, REQUEST_KIND

            return OutboundEmail.objects.filter(
                kind__in=[LINK_KIND, REQUEST_KIND], to=account.user.email
            ).exists()
        if self.setting == "licence_change":
            return account.license.seats == 7
        return account.closed_at is not None


ACTIONS = [
    Action(
        "reset_email",
        "support:account_reset_email",
        "agent",
        {"reason": "Asked in the chat", "confirm": "on"},
        SupportAuditEvent.Action.RESET_STARTED,
    ),
    Action(
        "licence_change",
        "support:account_license",
        "supervisor",
        {"plan": "family", "status": "active", "seats": "7", "expires_at": "", "reason": "Asked for seats"},
        SupportAuditEvent.Action.LICENSE_CHANGED,
    ),
    Action(
        "account_close",
        "support:account_close",
        "supervisor",
        {"reason": "Asked to close", "confirm": "on"},
        SupportAuditEvent.Action.ACCOUNT_CLOSED,
    ),
]
IDS = [a.setting for a in ACTIONS]


@pytest.fixture
def app(customer_account) -> App:
    return app_for(customer_account)


def _require(settings, action: Action, on: bool = True) -> None:
    settings.OWNER_PROOF_REQUIRED_FOR = {a.setting: (on and a is action) for a in ACTIONS}


def _post(request, client_for, action: Action, account, **extra):
    actor = request.getfixturevalue(action.actor)
    url = reverse(action.url_name, args=[account.account_id])
    return actor, client_for(actor).post(url, {**action.data, **extra})


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_with_the_setting_off_no_proof_is_asked(request, settings, client_for, app, action):
    _require(settings, action, on=False)
    _, response = _post(request, client_for, action, app.account)
    assert response.status_code == 302
    assert action.done(app.account)
    audit = SupportAuditEvent.objects.get(action=action.audit)
    assert "owner_proof" not in audit.details


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_with_the_setting_on_and_no_proof_the_console_refuses_and_offers_to_ask(
    request, settings, client_for, app, action
):
    _require(settings, action)
    _, response = _post(request, client_for, action, app.account)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This action needs an owner proof first" in page
    assert "Ask the customer to prove it is them" in page
    ask = reverse("support:account_owner_proof", args=[app.account.account_id])
    assert f'action="{ask}"' in page
    assert f'name="next" value="{reverse(action.url_name, args=[app.account.account_id])}"' in page
    assert action.data["reason"] in page  # what the agent typed is kept
    assert not action.done(app.account)
    assert not SupportAuditEvent.objects.filter(action=action.audit).exists()


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
def test_with_the_setting_on_a_proof_asked_on_the_account_page_lets_the_action_through(
    request, settings, client_for, app, action
):
    _require(settings, action)
    actor = request.getfixturevalue(action.actor)
    proof = proof_approved(app=app, agent=actor, kind="account", ref=app.account.account_id)
    _, response = _post(request, client_for, action, app.account)
    assert response.status_code == 302
    assert action.done(app.account)
    audit = SupportAuditEvent.objects.get(action=action.audit)
    assert audit.details["owner_proof"] == str(proof.public_id)


@pytest.mark.parametrize("action", ACTIONS, ids=IDS)
@pytest.mark.parametrize("where", ["another_agent", "a_chat", "a_ticket", "not_approved"])
def test_a_proof_from_elsewhere_does_not_count(request, settings, client_for, app, groups, action, where):
    from proofs.tests.factories import staff

    _require(settings, action)
    actor = request.getfixturevalue(action.actor)
    if where == "another_agent":
        proof_approved(
            app=app,
            agent=staff("else@staff.example", "supervisor"),
            kind="account",
            ref=app.account.account_id,
        )
    elif where == "a_chat":
        proof_approved(app=app, agent=actor, kind="chat", ref="some-chat")
    elif where == "a_ticket":
        proof_approved(app=app, agent=actor, kind="ticket", ref=TicketFactory(account=app.account).pk)
    else:
        from proofs.services import proof_request

        proof_request(
            account=app.account,
            agent=actor,
            conversation_kind="account",
            conversation_ref=app.account.account_id,
        )
    _, response = _post(request, client_for, action, app.account)
    assert response.status_code == 403
    assert not action.done(app.account)


def test_the_reset_e_mail_also_takes_the_proof_of_the_ticket_it_names(settings, client_for, agent, app):
    _require(settings, ACTIONS[0])
    asked_in, other = TicketFactory(account=app.account), TicketFactory(account=app.account)
    proof = proof_approved(app=app, agent=agent, kind="ticket", ref=asked_in.pk)
    url = reverse("support:account_reset_email", args=[app.account.account_id])
    refused = client_for(agent).post(url, {**ACTIONS[0].data, "ticket": other.number})
    assert refused.status_code == 403 and not ACTIONS[0].done(app.account)
    done = client_for(agent).post(url, {**ACTIONS[0].data, "ticket": asked_in.number})
    assert done.status_code == 302 and ACTIONS[0].done(app.account)
    audit = SupportAuditEvent.objects.get(action=ACTIONS[0].audit)
    assert audit.details["owner_proof"] == str(proof.public_id) and audit.ticket == asked_in


def test_asking_from_a_refused_action_comes_back_to_it(settings, client_for, agent, app):
    url = reverse("support:account_reset_email", args=[app.account.account_id])
    ask = reverse("support:account_owner_proof", args=[app.account.account_id])
    response = client_for(agent).post(ask, {"next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert OwnerProof.objects.filter(conversation_kind="account").count() == 1


@pytest.mark.parametrize("target", ["https://evil.example/support/", "//evil.example/x", "/account/"])
def test_asking_never_leads_outside_the_console(client_for, agent, app, target):
    ask = reverse("support:account_owner_proof", args=[app.account.account_id])
    response = client_for(agent).post(ask, {"next": target})
    assert response["Location"] == reverse("support:account", args=[app.account.account_id])


@pytest.mark.parametrize("on", [True, False])
def test_the_account_page_says_which_actions_need_a_proof(settings, client_for, supervisor, app, on):
    settings.OWNER_PROOF_REQUIRED_FOR = dict.fromkeys(IDS, on)
    page = client_for(supervisor).get(reverse("support:account", args=[app.account.account_id])).content
    assert page.decode().count('data-testid="proof-first"') == (3 if on else 0)
