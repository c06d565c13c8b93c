# One piece: the findings of one review, kept together so each fix sits beside the test that failed before it.
"""Issue 14: the findings of the black-box review, each with the test that failed before its fix."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    TEST_KDF,
    AccountFactory,
    UserFactory,
    VaultItemFactory,
    auth_key_for,
    credentials_for,
)
from accounts.tests.zk import new_password_data
from resets import services as reset_services
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Review-Passphrase-3310"
# What an app sends to sign up (the auth key and parameters it derived), never the password.
API_SIGNUP = {"auth_key": auth_key_for("Plum-Orbit-Seven-77"), "kdf": TEST_KDF.as_dict()}


def _complete_data(confirm_email: str) -> dict:
    return {
        **new_password_data(NEW_PASSWORD),
        "hint": "",
        "confirm_email": confirm_email,
        "confirm_erase": "on",
    }


def _planted_client() -> tuple[Client, str]:
    """A browser whose session key an attacker chose (and therefore also holds)."""
    client = Client()
    session = client.session
    session["planted"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client, session.session_key


# --- 3. A closed account accepts no reset --------------------------------------------------------


def test_a_reset_link_does_not_work_after_the_account_is_closed():
    from support.services.console import account_close

    account = AccountFactory()
    VaultItemFactory.create_batch(2, account=account)
    supervisor = UserFactory(is_staff=True)
    reset_request, token, _ = pending_reset(account)
    account_close(account=account, actor=supervisor, reason="fraud")
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED
    assert reset_request.events.filter(state="cancelled", details__via="account_closed").exists()
    client = Client()
    client.get(reverse("resets:link_token", args=[token]))
    assert client.post(reverse("resets:link"), _complete_data(account.user.email)).status_code == 410
    account.refresh_from_db()
    account.user.refresh_from_db()
    assert account.vault_items.count() == 2
    assert account.user.check_password(auth_key_for(DEFAULT_PASSWORD))


def test_an_inactive_or_closed_account_accepts_no_reset_even_with_a_pending_link():
    from django.utils import timezone

    account = AccountFactory()
    reset_request, token, _ = pending_reset(account)
    account.user.is_active = False
    account.user.save(update_fields=["is_active"])
    reset_request.refresh_from_db()
    assert not reset_services.reset_request_usable(reset_request)
    with pytest.raises(reset_services.ResetLinkInvalid):
        reset_services.reset_complete(token=token, **credentials_for(NEW_PASSWORD), hint="")
    account.user.is_active = True
    account.user.save(update_fields=["is_active"])
    account.closed_at = timezone.now()
    account.save(update_fields=["closed_at"])
    reset_request.refresh_from_db()
    assert not reset_services.reset_request_usable(reset_request)


# --- 4. Session fixation on e-mailed links ---------------------------------------------------------


def test_the_reset_link_cycles_the_session_key_before_storing_the_token():
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    client, planted = _planted_client()
    client.get(reverse("resets:link_token", args=[token]))
    assert client.cookies["sessionid"].value != planted
    assert not Session.objects.filter(session_key=planted).exists()
    # The attacker, holding the planted key, gets nothing.
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("resets:link")).status_code == 410


def test_the_cancel_link_cycles_the_session_key_before_storing_the_token():
    account = AccountFactory()
    _, _, cancel = pending_reset(account)
    client, planted = _planted_client()
    client.get(reverse("resets:cancel_token", args=[cancel]))
    assert client.cookies["sessionid"].value != planted
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("resets:cancel")).status_code == 410


def test_the_ticket_link_cycles_the_session_key_before_granting_access():
    from support.tests.factories import TicketFactory
    from support.tokens import ticket_link_token

    ticket = TicketFactory()
    client, planted = _planted_client()
    response = client.get(reverse("help:ticket_link", args=[ticket.pk, ticket_link_token.make_token(ticket)]))
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != planted
    assert client.get(reverse("help:ticket", args=[ticket.pk])).status_code == 200
    attacker = Client()
    attacker.cookies["sessionid"] = planted
    assert attacker.get(reverse("help:ticket", args=[ticket.pk])).status_code == 404


# --- 6. Deeply nested JSON ----------------------------------------------------------------------

NESTED = "[" * 1000 + "]" * 1000  # about 2 KB: enough to exhaust the parser's recursion


@pytest.mark.parametrize("route", ["api:signin", "api:signup"])
def test_deeply_nested_json_to_the_api_is_a_400_with_the_usual_body(route):
    """Every API view shares the one parser (settings), so two routes stand for all of them."""
    from rest_framework.test import APIClient

    response = APIClient().post(reverse(route), NESTED, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "malformed_request"


def test_deeply_nested_json_to_every_chat_endpoint_is_a_400_with_the_usual_body():
    from chat.presence import agent_presence_beat
    from chat.tests.factories import AgentFactory

    agent = AgentFactory()
    agent_presence_beat(agent_id=agent.pk)
    customer = Client()
    response = customer.post("/chat/start/", NESTED, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "bad_request", response.content
    response = customer.post(
        "/chat/start/", {"name": "Dana", "email": "dana@example.com"}, content_type="application/json"
    )
    chat_id = response.json()["chat"]["id"]
    response = customer.post("/chat/send/", NESTED, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] == "bad_request", response.content
    staff = Client()
    staff.force_login(agent)
    staff.post(reverse("chat_agent:pick_up", args=[chat_id]))
    response = staff.post(
        reverse("chat_agent:messages", args=[chat_id]), NESTED, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"] == "bad_request", response.content


@pytest.mark.django_db(transaction=True)
def test_deeply_nested_json_on_the_chat_socket_gets_an_error_frame():
    from asgiref.sync import async_to_sync

    from chat.presence import agent_presence_beat
    from chat.tests.factories import AgentFactory
    from chat.tests.wsutil import communicator

    agent_presence_beat(agent_id=AgentFactory().pk)
    customer = Client()
    response = customer.post(
        "/chat/start/", {"name": "Dana", "email": "dana@example.com"}, content_type="application/json"
    )
    chat_id = response.json()["chat"]["id"]

    async def scenario():
        socket = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await socket.connect())[0]
        await socket.send_to(text_data=NESTED)
        while True:
            frame = await socket.receive_json_from(timeout=5)
            if frame.get("type") == "error":
                break
        assert frame["error"] == "bad_frame"
        await socket.disconnect()

    async_to_sync(scenario)()


# --- 7. "Someone tried to sign up" e-mails: a per-address limit ---------------------------------

TAKEN_KIND = "account.already_exists"


def _notices_sent(email: str) -> int:
    """Notices the worker sent to `email` (each try queues one; the limit is applied at send time)."""
    from mailer.models import OutboundEmail

    rows = OutboundEmail.objects.filter(kind=TAKEN_KIND, to=email)
    assert not rows.filter(status=OutboundEmail.Status.QUEUED).exists()
    return rows.filter(status=OutboundEmail.Status.SENT).count()


def test_api_sign_up_for_a_taken_address_from_many_ips_sends_one_notice(django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    account = AccountFactory()
    body = {"email": account.user.email, **API_SIGNUP, "password_hint": "fruit"}
    for i in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            response = APIClient().post(
                "/api/v1/signup/", body, format="json", REMOTE_ADDR=f"203.0.113.{i + 1}"
            )
        assert response.status_code == 202
    assert _notices_sent(account.user.email) == 1


def test_web_sign_up_for_a_taken_address_from_many_ips_sends_one_notice(
    settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limits off: ours must hold alone
    account = AccountFactory()
    data = {
        "email": account.user.email,
        **new_password_data("Tangerine-Orbit-1984"),
        "password_hint": "a sunny day",
    }
    for i in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client(REMOTE_ADDR=f"203.0.113.{i + 1}").post(reverse("account_signup"), data)
        assert response.status_code == 302
    assert _notices_sent(account.user.email) == 1


def test_a_retried_notice_is_not_counted_twice_against_its_limit():
    """The limit is applied in the worker; a retry of the same e-mail (after a transport
    error) keeps its first decision instead of counting as a second notice."""
    from accounts.services import taken_notice_prepare
    from mailer.services import email_queue

    account = AccountFactory()
    first, second = (
        email_queue(to=account.user.email, kind=TAKEN_KIND, account=account, context={}) for _ in range(2)
    )
    assert taken_notice_prepare(first) is True
    assert taken_notice_prepare(first) is True  # the retry
    assert taken_notice_prepare(second) is False
    assert taken_notice_prepare(second) is False


# --- 5. A chat is linked to an account only when the identity is proven ----------------------------


def _chat_started_and_picked_up(customer: Client, email: str):
    from chat.presence import agent_presence_beat
    from chat.tests.factories import AgentFactory

    agent = AgentFactory()
    agent_presence_beat(agent_id=agent.pk)
    response = customer.post(
        "/chat/start/", {"name": "Mallory", "email": email}, content_type="application/json"
    )
    chat_id = response.json()["chat"]["id"]
    staff = Client()
    staff.force_login(agent)
    assert staff.post(reverse("chat_agent:pick_up", args=[chat_id])).status_code == 200
    return chat_id, staff


def test_a_chat_started_signed_out_with_someone_elses_address_is_not_linked_to_that_account():
    from chat.models import Chat
    from support.models import Ticket

    victim = AccountFactory()
    chat_id, staff = _chat_started_and_picked_up(Client(), victim.user.email)
    chat = Chat.objects.get(public_id=chat_id)
    assert chat.account_id is None
    shown = staff.get(reverse("chat_agent:messages", args=[chat_id])).json()["chat"]
    assert shown["signed_in"] is False and shown["account_id"] is None and shown["account_url"] is None
    assert shown["lookup_url"].endswith("?q=" + victim.user.email.replace("@", "%40"))
    page = staff.get(reverse("chat_agent:transcript", args=[chat_id])).content.decode()
    assert victim.account_id not in page and "identity not proven" in page
    response = staff.post(reverse("chat_agent:ticket", args=[chat_id]))
    ticket = Ticket.objects.get(pk=response.json()["ticket_id"])
    assert ticket.account_id is None
    page = staff.get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    assert "sent while signed in" not in page and "sender not verified" in page


def test_a_chat_started_signed_in_is_linked_and_shown_as_proven():
    from chat.models import Chat
    from support.models import Ticket

    account = AccountFactory()
    customer = Client()
    customer.force_login(account.user)
    chat_id, staff = _chat_started_and_picked_up(customer, "someone-else@example.com")
    assert Chat.objects.get(public_id=chat_id).account_id == account.pk
    shown = staff.get(reverse("chat_agent:messages", args=[chat_id])).json()["chat"]
    assert shown["signed_in"] is True and shown["account_id"] == account.account_id
    response = staff.post(reverse("chat_agent:ticket", args=[chat_id]))
    assert Ticket.objects.get(pk=response.json()["ticket_id"]).account_id == account.pk


# --- 8. Logs and stores ---------------------------------------------------------------------------

LINK_TOKEN = "q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM_-12345"
TOKEN_PARAMETERS = {"token", "key"}


def _token_routes():
    """Every route of the site that takes a link token or key in its path (from the resolver)."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + (pattern.namespace + ":" if pattern.namespace else ""))
            elif pattern.name and set(pattern.pattern.regex.groupindex) & TOKEN_PARAMETERS:
                yield prefix + pattern.name, sorted(pattern.pattern.regex.groupindex)

    return list(walk(get_resolver()))


def test_every_token_bearing_url_is_scrubbed_from_every_log_line():
    from core.logfilters import scrub

    routes = _token_routes()
    names = {name for name, _ in routes}
    assert {"account_confirm_email", "resets:link_token", "resets:cancel_token", "help:ticket_link"} <= names
    for name, parameters in routes:
        values = {p: (LINK_TOKEN if p in TOKEN_PARAMETERS else "7") for p in parameters}
        url = reverse(name, kwargs=values)
        line = f'203.0.113.5 - - "GET {url} HTTP/1.1" 302 0 "https://vault.example{url}"'
        assert LINK_TOKEN not in scrub(line), (name, url, scrub(line))


def test_every_log_handler_scrubs_secrets_the_dev_run_log_included():
    """runserver's request lines go to the `django.server` logger, which has its own handler."""
    import logging

    from core.logfilters import ScrubSecretsFilter

    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    handlers = {
        handler
        for logger in loggers
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest") and not isinstance(handler, logging.NullHandler)
    }
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, ScrubSecretsFilter) for f in handler.filters), handler
    server = logging.getLogger("django.server")
    assert server.handlers or server.propagate


def test_the_worker_logs_through_the_scrubbed_handlers():
    """Celery replaces the root logger's handlers in a worker unless told not to."""
    from portal.celery import app

    assert app.conf.worker_hijack_root_logger is False


def test_the_compose_redis_keeps_nothing_on_disk():
    """Task messages carry QR payloads: neither AOF nor RDB snapshots may write them to disk."""
    from pathlib import Path

    import yaml

    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    command = compose["services"]["redis"]["command"]
    assert "--appendonly" in command and command[command.index("--appendonly") + 1] == "no"
    assert "--save" in command and command[command.index("--save") + 1] == ""
    assert "volumes" not in compose["services"]["redis"]


@pytest.mark.django_db(transaction=True)
def test_on_the_embedded_default_the_account_dependent_work_runs_after_the_response(settings, monkeypatch):
    """Tasks run in process there: the reset request's lookup must not delay the answer."""
    import threading

    from mailer import services as mailer_services
    from tests.waiting import wait_for

    settings.EAGER_TASKS_AFTER_RESPONSE = True
    account = AccountFactory()
    released = threading.Event()
    outcome = {}
    original = mailer_services.email_send

    def send_once_released(**kwargs):
        outcome["answered_first"] = released.wait(timeout=3)
        try:
            return original(**kwargs)
        finally:
            outcome["sent"] = True

    monkeypatch.setattr(mailer_services, "email_send", send_once_released)
    response = Client().post(reverse("resets:request"), {"email": account.user.email})
    assert response.status_code == 302
    released.set()
    # Wait on the background thread itself: polling the table while it writes locks SQLite's
    # shared in-memory test database ("database table is locked").
    wait_for(lambda: outcome.get("sent"), message="the reset e-mail")
    assert ResetRequest.objects.filter(account=account).exists()
    assert outcome["answered_first"] is True


# --- 1. Sign-up timing ------------------------------------------------------------------------------

from django.contrib.auth.hashers import PBKDF2PasswordHasher  # noqa: E402


class MeasurableHasher(PBKDF2PasswordHasher):
    """A hash that costs a few milliseconds, as the production one costs a lot: it must show."""

    algorithm = "pbkdf2_sha256_test"
    iterations = 30_000


# The sign-up timing tests commit and publish tasks as production does (inside a test
# transaction nothing commits and no e-mail reaches the broker, which hid a difference).
@pytest.mark.django_db(transaction=True)
def test_web_sign_up_timing_does_not_depend_on_the_address_being_taken(settings, queue_only):
    from tests.security.test_abuse import _measure, _overlap

    settings.ACCOUNT_RATE_LIMITS = False
    settings.PASSWORD_HASHERS = ["tests.security.test_review_findings.MeasurableHasher"]
    taken = AccountFactory()
    client = Client()
    counter = iter(range(10_000))

    def send(email):
        email = email or f"fresh{next(counter)}@example.com"
        data = {
            "email": email,
            **new_password_data("Tangerine-Orbit-1984"),
            "password_hint": "a sunny day",
        }
        response = client.post(reverse("account_signup"), data)
        assert response.status_code == 302
        client.cookies.clear()

    _overlap(_measure(send, [("taken", taken.user.email), ("new", "")]))


def test_web_sign_up_of_a_taken_address_leaves_what_a_new_one_leaves(
    settings, django_capture_on_commit_callbacks
):
    """The taken branch runs allauth's flow for a decoy that is rolled back: nothing of the
    decoy (its user id, its address, its e-mail) may outlive it, in the session, the cookies,
    the page or the outbox; the owner gets the one notice the limit allows."""
    from allauth.account.internal.stagekit import LOGIN_SESSION_KEY
    from allauth.account.utils import user_pk_to_url_str

    from accounts.models import Account, User
    from mailer.models import OutboundEmail

    settings.ACCOUNT_RATE_LIMITS = False
    taken = AccountFactory()
    results = {}
    for label, email in [
        ("new", "fresh-signup@example.com"),
        ("taken", taken.user.email),
        ("again", taken.user.email),
    ]:
        client = Client()
        data = {"email": email, **new_password_data("Tangerine-Orbit-1984"), "password_hint": "a sunny day"}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("account_signup"), data)
        session = Session.objects.get(session_key=client.cookies["sessionid"].value).get_decoded()
        page = client.get(response["Location"]).content.decode()
        results[label] = (response, session, page)
        assert response.status_code == 302
        assert f"We have sent <strong>{email}</strong> an e-mail with a link." in page
        cookies = " ".join(morsel.value for morsel in response.cookies.values())
        assert "decoy" not in cookies + page + str(session)
    (new, new_session, _), (taken_response, taken_session, _) = results["new"], results["taken"]
    assert taken_response["Location"] == new["Location"]
    assert sorted(taken_session) == sorted(new_session)
    new_login, taken_login = new_session[LOGIN_SESSION_KEY], taken_session[LOGIN_SESSION_KEY]
    assert new_login["user_pk"] == user_pk_to_url_str(User.objects.get(email="fresh-signup@example.com"))
    assert taken_login["user_pk"] is None and taken_login["email"] == taken.user.email
    assert {k: v for k, v in taken_login.items() if k not in ("user_pk", "email", "initiated_at")} == {
        k: v for k, v in new_login.items() if k not in ("user_pk", "email", "initiated_at")
    }
    assert User.objects.count() == Account.objects.count() == 2
    assert not User.objects.filter(email__endswith="decoy.invalid").exists()
    assert not OutboundEmail.objects.filter(to__endswith="decoy.invalid").exists()
    # One notice row per try, committed and handed to the worker like a new address's
    # verification; the worker sent the first and cancelled the second (the limit).
    notices = OutboundEmail.objects.filter(to=taken.user.email).order_by("pk")
    assert [(row.kind, row.status) for row in notices] == [
        (TAKEN_KIND, OutboundEmail.Status.SENT),
        (TAKEN_KIND, OutboundEmail.Status.CANCELLED),
    ]


@pytest.mark.django_db(transaction=True)
def test_api_sign_up_timing_does_not_depend_on_the_address_being_taken(settings, monkeypatch, queue_only):
    from rest_framework.test import APIClient

    from api.throttles import SignUpIPThrottle
    from tests.security.test_abuse import _measure, _overlap

    monkeypatch.setattr(SignUpIPThrottle, "allow_request", lambda self, request, view: True)
    settings.PASSWORD_HASHERS = ["tests.security.test_review_findings.MeasurableHasher"]
    taken = AccountFactory()
    api = APIClient()
    counter = iter(range(10_000))

    def send(email):
        body = {"email": email or f"fresh{next(counter)}@example.com", **API_SIGNUP}
        assert api.post("/api/v1/signup/", body, format="json").status_code == 202

    _overlap(_measure(send, [("taken", taken.user.email), ("new", "")]))
