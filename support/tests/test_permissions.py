"""Every console URL and action, from every side: only support staff get in."""

import pytest
from django.urls import reverse

from accounts.models import License
from accounts.tests.factories import UserFactory
from support.models import SupportAuditEvent, TicketMessage
from support.tests.factories import ArticleFactory, TicketFactory

pytestmark = pytest.mark.django_db

# (method, url name, needs account/ticket/article, POST data, supervisor only)
CONSOLE_URLS = [
    ("get", "support:dashboard", None, None, False),
    ("get", "support:search", None, None, False),
    ("get", "support:account", "account", None, False),
    ("get", "support:account_reset_email", "account", None, False),
    ("post", "support:account_reset_email", "account", {"reason": "Asked by phone", "confirm": "on"}, False),
    ("post", "support:account_sign_out", "account", {}, False),
    ("post", "support:account_owner_proof", "account", {}, False),
    ("get", "support:account_license", "account", None, True),
    (
        "post",
        "support:account_license",
        "account",
        {"plan": "family", "status": "active", "seats": "6", "expires_at": "", "reason": "Upgrade"},
        True,
    ),
    ("get", "support:account_close", "account", None, True),
    ("post", "support:account_close", "account", {"reason": "Asked by owner", "confirm": "on"}, True),
    ("get", "support:tickets", None, None, False),
    ("get", "support:ticket", "ticket", None, False),
    ("post", "support:ticket_reply", "ticket", {"body": "Here is how."}, False),
    ("post", "support:ticket_note", "ticket", {"body": "Called them."}, False),
    ("post", "support:ticket_update", "ticket", {"status": "solved", "assigned_to": ""}, False),
    ("post", "support:ticket_owner_proof", "ticket", {}, False),
    ("get", "support:articles", None, None, False),
    ("get", "support:article_feedback", "article", None, False),
    ("get", "support:audit", None, None, False),
]
IDS = [f"{method} {name}" for method, name, *_ in CONSOLE_URLS]


@pytest.fixture
def targets(customer_account):
    return {
        "account": [customer_account.account_id],
        "ticket": [TicketFactory(email=customer_account.user.email).pk],
        "article": [ArticleFactory().pk],
        None: [],
    }


def _request(client, method, name, args, data):
    url = reverse(name, args=args)
    if method == "get":
        return client.get(url, {"q": "someone@example.com"} if name == "support:search" else None)
    return client.post(url, data)


def _writes():
    return (
        SupportAuditEvent.objects.count(),
        TicketMessage.objects.count(),
        License.objects.filter(plan="family").count(),
    )


@pytest.mark.parametrize(("method", "name", "target", "data", "supervisor_only"), CONSOLE_URLS, ids=IDS)
@pytest.mark.parametrize("who", ["anonymous", "customer", "staff_without_group", "superuser_without_group"])
def test_outsiders_get_404_and_change_nothing(
    who,
    method,
    name,
    target,
    data,
    supervisor_only,
    targets,
    client_for,
    customer_account,
    staff_without_group,
    reset_emails,
):
    user = {
        "anonymous": None,
        "customer": customer_account.user,
        "staff_without_group": staff_without_group,
        "superuser_without_group": UserFactory(email="root@staff.example", is_staff=True, is_superuser=True),
    }[who]
    before = _writes()
    response = _request(client_for(user), method, name, targets[target], data)
    assert response.status_code == 404
    assert b"console" not in response.content.lower()
    assert _writes() == before
    assert reset_emails() == []


@pytest.mark.parametrize(("method", "name", "target", "data", "supervisor_only"), CONSOLE_URLS, ids=IDS)
def test_agent_gets_in_except_supervisor_actions(
    method, name, target, data, supervisor_only, targets, client_for, agent, reset_emails
):
    before = _writes()
    response = _request(client_for(agent), method, name, targets[target], data)
    if supervisor_only:
        assert response.status_code == 403
        assert License.objects.filter(plan="family").count() == 0
        assert before[0] == SupportAuditEvent.objects.count()
    else:
        assert response.status_code == (200 if method == "get" else 302)


@pytest.mark.parametrize(("method", "name", "target", "data", "supervisor_only"), CONSOLE_URLS, ids=IDS)
def test_supervisor_gets_everywhere(
    method, name, target, data, supervisor_only, targets, client_for, supervisor, reset_emails
):
    response = _request(client_for(supervisor), method, name, targets[target], data)
    assert response.status_code == (200 if method == "get" else 302)


CONSOLE_ACTIONS = [url for url in CONSOLE_URLS if url[0] == "post"]


def _audit_rows_by(user) -> int:
    from proofs.models import OwnerProofEvent

    return (
        SupportAuditEvent.objects.filter(actor=user).count()
        + OwnerProofEvent.objects.filter(actor=user).count()
    )


@pytest.mark.parametrize(
    ("method", "name", "target", "data", "supervisor_only"),
    CONSOLE_ACTIONS,
    ids=[f"{method} {name}" for method, name, *_ in CONSOLE_ACTIONS],
)
def test_every_console_action_is_audited_with_its_actor(
    method,
    name,
    target,
    data,
    supervisor_only,
    targets,
    client_for,
    supervisor,
    customer_account,
    reset_emails,
):
    """SPEC §5: every console action leaves an audit row naming the staff member who did it."""
    from support.models import Ticket

    Ticket.objects.filter(pk__in=targets["ticket"]).update(account=customer_account)  # an owner to ask
    before = _audit_rows_by(supervisor)
    response = _request(client_for(supervisor), method, name, targets[target], data)
    assert response.status_code == 302
    assert _audit_rows_by(supervisor) > before, name


def test_inactive_staff_member_is_refused(client_for, agent):
    agent.is_active = False
    agent.save()
    client = client_for(agent)
    assert client.get(reverse("support:dashboard")).status_code in (302, 404)


def test_console_link_hidden_from_customers(client_for, customer_account):
    page = client_for(customer_account.user).get(reverse("help:home"))
    assert b"/support/" not in page.content


def test_decorator_is_reusable_by_other_apps(rf, customer_account, agent):
    from django.http import Http404, HttpResponse

    from support.permissions import support_staff_required

    view = support_staff_required(lambda request: HttpResponse("ok"))
    request = rf.get("/x")
    request.user = agent
    assert view(request).status_code == 200
    request.user = customer_account.user
    with pytest.raises(Http404):
        view(request)


# --- Issue 15: second factors --------------------------------------------------------------


@pytest.mark.parametrize(("method", "name", "target", "data", "supervisor_only"), CONSOLE_URLS, ids=IDS)
def test_staff_without_a_second_factor_are_led_to_enrolment(
    method, name, target, data, supervisor_only, targets, client_for, groups, reset_emails
):
    user = UserFactory(email="new-supervisor@staff.example", is_staff=True)
    user.groups.add(groups["supervisor"])
    before = _writes()
    response = _request(client_for(user), method, name, targets[target], data)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Add a second factor first" in html and reverse("mfa_index") in html
    assert _writes() == before
    assert reset_emails() == []


@pytest.mark.parametrize(
    ("method", "name", "target", "data", "supervisor_only"), [u for u in CONSOLE_URLS if u[4]]
)
def test_supervisor_actions_need_a_recent_second_factor(
    method, name, target, data, supervisor_only, targets, supervisor, settings
):
    from django.test import Client

    client = Client()
    client.force_login(supervisor)  # signed in, but no second factor entered in this session
    before = _writes()
    response = _request(client, method, name, targets[target], data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert _writes() == before


def test_the_code_page_replays_the_licence_change(supervisor, targets):
    from django.test import Client

    from accounts.tests.factories import totp_code

    client = Client()
    client.force_login(supervisor)
    data = {"plan": "family", "status": "active", "seats": "6", "expires_at": "", "reason": "Upgrade"}
    url = reverse("support:account_license", args=targets["account"])
    redirect_to = client.post(url, data)["Location"]
    page = client.get(redirect_to)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    assert 'name="password"' not in page.content.decode()  # never the plaintext password
    response = client.post(redirect_to, {"code": totp_code()})
    assert response.status_code == 302
    assert License.objects.filter(plan="family").count() == 1


def test_support_sees_which_factors_but_never_a_secret(client_for, agent, customer_account):
    from accounts.tests.factories import TEST_TOTP_SECRET, totp_enroll

    totp_enroll(customer_account.user)
    html = (
        client_for(agent).get(reverse("support:account", args=[customer_account.account_id])).content.decode()
    )
    assert "Authenticator app" in html and "support cannot remove them" in html
    assert TEST_TOTP_SECRET not in html
    assert "/accounts/2fa/" not in html  # no removal action in the console


def test_supervisors_see_each_staff_members_enrolment(client_for, supervisor, agent, groups):
    newcomer = UserFactory(email="newcomer@staff.example", is_staff=True)
    newcomer.groups.add(groups["agent"])
    html = client_for(supervisor).get(reverse("support:dashboard")).content.decode()
    assert html.count("Staff second factors") == 1  # once, in the page (never in its <title>)
    assert "newcomer@staff.example" in html and "none: cannot open the console" in html
    assert "Staff second factors" not in client_for(agent).get(reverse("support:dashboard")).content.decode()
