"""A second attacker's pass: logic bypasses (sign-in states, sessions, rate-limit keys, sockets).

docs/security.md §10 lists what each test shows.
"""

import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import AccountFactory, auth_key_for
from accounts.tests.zk import signin_data
from chat.models import ChatMessage
from chat.presence import agent_presence_beat
from chat.tests.conftest import start_chat
from chat.tests.factories import AgentFactory
from chat.tests.wsutil import communicator, of_type, receive_until
from support.services.staff import support_role_set

# --- 1. An open chat socket outlived the session that opened it -------------------------------


def _signed_out(client, user):
    client.logout()


def _password_changed(client, user):
    user.set_password("another-auth-key-of-43-characters-000000000")
    user.save()


def _deactivated(client, user):
    user.is_active = False
    user.save()


def _role_removed(client, user):
    support_role_set(email=user.email, role=None)


async def _closed(ws) -> bool:
    """True when the socket closes rather than answering the next frame."""
    while True:
        output = await ws.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return True
        if output["type"] == "websocket.send" and '"queue"' not in output.get("text", ""):
            return False


def _agent_and_waiting_chat():
    """A signed-in agent on duty, and a customer's chat waiting in the queue."""
    agent = AgentFactory()
    agent_presence_beat(agent_id=agent.pk)
    agent_client = Client()
    agent_client.force_login(agent)
    customer = Client()
    return agent, agent_client, customer, start_chat(customer)


async def _agent_socket_with_chat(agent_client, chat_id):
    """The agent's console socket, connected, with `chat_id` picked up."""
    ws = communicator("/ws/support/chat/", agent_client)
    assert (await ws.connect())[0]
    await ws.send_json_to({"type": "pick_up", "chat": chat_id})
    await receive_until(ws, of_type("picked_up"))
    return ws


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("session_end", [_signed_out, _password_changed, _deactivated, _role_removed])
def test_an_open_agent_socket_stops_when_its_session_or_role_ends(session_end):
    agent, agent_client, _, chat_id = _agent_and_waiting_chat()

    async def scenario():
        ws = await _agent_socket_with_chat(agent_client, chat_id)
        await database_sync_to_async(session_end)(agent_client, agent)
        await ws.send_json_to({"type": "message", "chat": chat_id, "body": "Still here after the end"})
        closed = await _closed(ws)
        await ws.disconnect()
        return closed

    assert async_to_sync(scenario)() is True
    assert not ChatMessage.objects.filter(body="Still here after the end").exists()


@pytest.mark.django_db(transaction=True)
def test_an_agent_socket_whose_session_ended_gets_no_more_customer_messages():
    _, agent_client, customer, chat_id = _agent_and_waiting_chat()

    async def scenario():
        agent_ws = await _agent_socket_with_chat(agent_client, chat_id)
        await database_sync_to_async(agent_client.logout)()
        customer_ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await customer_ws.connect())[0]
        await customer_ws.send_json_to({"type": "message", "body": "My new address is private"})
        closed = await _closed(agent_ws)
        await customer_ws.disconnect()
        await agent_ws.disconnect()
        return closed

    assert async_to_sync(scenario)() is True


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_customers_chat_socket_stops_at_sign_out():
    agent_presence_beat(agent_id=AgentFactory().pk)
    account = AccountFactory()
    customer = Client()
    customer.force_login(account.user)
    chat_id = start_chat(customer)

    async def scenario():
        ws = communicator(f"/ws/chat/{chat_id}/", customer)
        assert (await ws.connect())[0]
        await database_sync_to_async(customer.logout)()
        await ws.send_json_to({"type": "message", "body": "Written after signing out"})
        closed = await _closed(ws)
        await ws.disconnect()
        return closed

    assert async_to_sync(scenario)() is True
    assert not ChatMessage.objects.filter(body="Written after signing out").exists()


# --- 2. A session from before a second factor was added stayed signed in without it ------------


def _enrol_through_allauths_forms(client, user):
    """Sign in with the password, confirm it is you, add an authenticator app (allauth's pages)."""
    from accounts.tests.test_second_factors import _activate_totp
    from accounts.tests.zk import signin_data

    assert client.post(reverse("account_login"), signin_data(user.email)).status_code == 302
    assert client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()}).status_code == 302
    _activate_totp(client)


@pytest.mark.django_db
def test_adding_a_second_factor_signs_out_every_other_browser(django_capture_on_commit_callbacks):
    account = AccountFactory()
    before = Client()
    before.force_login(account.user)  # signed in with the password alone, before the factor
    assert before.get(reverse("accounts:home")).status_code == 200
    enrolling = Client()
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals the factor after commit
        _enrol_through_allauths_forms(enrolling, account.user)
    assert enrolling.get(reverse("accounts:home")).status_code == 200
    assert before.get(reverse("accounts:home")).status_code == 302  # to the sign-in page
    # With the password, the old browser could otherwise have added or removed factors.
    assert before.get(reverse("mfa_add_webauthn")).status_code == 302


@pytest.mark.django_db
def test_a_staff_session_from_before_the_second_factor_does_not_open_the_console(
    django_capture_on_commit_callbacks,
):
    agent = AgentFactory(second_factor=False)
    before = Client()
    before.force_login(agent)
    assert before.get(reverse("support:dashboard")).status_code == 403  # the page leading to enrolment
    with django_capture_on_commit_callbacks(execute=True):
        _enrol_through_allauths_forms(Client(), agent)
    assert before.get(reverse("support:dashboard")).status_code == 404  # signed out: nothing is there


# --- 3. Per-IP limits counted each IPv6 address alone ----------------------------------------
# One home line or server gets a /64: 2^64 addresses, a new one for every request.

IPV6_LINE = "2001:db8:5:7::"


def _rotating_ipv6(i: int) -> str:
    return f"{IPV6_LINE}{i + 1:x}:{(i * 7919) % 65536:x}"


def test_an_ipv6_address_is_counted_by_its_64_network_and_ipv4_as_it_is():
    from core.ratelimit import client_ip_key

    assert client_ip_key("2001:db8:5:7::1") == client_ip_key("2001:db8:5:7:ffff:1:2:3")
    assert client_ip_key("2001:db8:5:7::1") != client_ip_key("2001:db8:5:8::1")
    assert client_ip_key("203.0.113.7") != client_ip_key("203.0.113.8")
    assert client_ip_key(None) == client_ip_key("") == "unknown"


@pytest.mark.django_db
def test_the_reset_request_per_ip_limit_holds_across_one_ipv6_network(settings):
    settings.RESET_RATE_LIMIT_PER_IP = "3/h"
    statuses = [
        Client()
        .post(reverse("resets:request"), {"email": f"a{i}@example.com"}, REMOTE_ADDR=_rotating_ipv6(i))
        .status_code
        for i in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]


@pytest.mark.django_db
def test_the_ticket_per_ip_limit_holds_across_one_ipv6_network(settings):
    from support.tests.test_tickets import FORM

    settings.SUPPORT_TICKET_RATE_PER_IP = "2/h"
    statuses = [
        Client()
        .post(
            reverse("help:ticket_new"),
            {**FORM, "email": f"asker{i}@example.com"},
            REMOTE_ADDR=_rotating_ipv6(i),
        )
        .status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 429, 429]


@pytest.mark.django_db
def test_the_api_sign_in_per_ip_throttle_holds_across_one_ipv6_network():
    """Right passwords of many accounts (wrong ones also meet allauth's per-IP limit first)."""
    from rest_framework.test import APIClient

    device = {"device_uid": "rotating-device-1", "device_name": "Phone", "platform": "ios"}
    accounts = [AccountFactory() for _ in range(32)]
    statuses = [
        APIClient()
        .post(
            reverse("api:signin"),
            {"email": account.user.email, "auth_key": auth_key_for(), **device},
            format="json",
            REMOTE_ADDR=_rotating_ipv6(i),
        )
        .status_code
        for i, account in enumerate(accounts)
    ]
    assert statuses[:30] == [202] * 30 and statuses[30:] == [429, 429]  # api_signin_ip: 30/m


# --- 4. Exposed without the proxy, any client wrote its own IP in X-Forwarded-For ------------


@pytest.fixture
def behind_one_proxy(settings):
    """The production default: one trusted proxy (TRUSTED_PROXY_COUNT=1)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return settings


def test_a_forwarded_for_header_from_a_client_that_is_not_our_proxy_is_ignored(behind_one_proxy):
    from django.test import RequestFactory

    from core.request_meta import client_ip

    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_ip(direct) == "198.51.100.9"
    proxied = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_ip(proxied) == "203.0.113.1"
    behind_one_proxy.TRUSTED_PROXY_NETWORKS = ["192.0.2.0/24"]  # a load balancer with public addresses
    via_balancer = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert client_ip(via_balancer) == "203.0.113.1"
    assert client_ip(proxied) == "172.18.0.5"


def test_allauths_own_limits_read_the_same_client_ip(behind_one_proxy):
    from allauth.account.adapter import get_adapter
    from django.test import RequestFactory

    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert get_adapter(direct).get_client_ip(direct) == "198.51.100.9"


@pytest.mark.django_db
def test_a_client_reaching_the_portal_directly_cannot_pose_as_many_ips(behind_one_proxy):
    behind_one_proxy.RESET_RATE_LIMIT_PER_IP = "3/h"
    statuses = [
        Client()
        .post(
            reverse("resets:request"),
            {"email": f"someone{i}@example.com"},
            REMOTE_ADDR="198.51.100.9",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
        .status_code
        for i in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]


def test_the_chat_server_leaves_forwarded_for_to_the_portals_one_rule():
    """daphne's --proxy-headers took the first X-Forwarded-For entry, from anyone, as the client."""
    from pathlib import Path

    compose = (Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text()
    [command] = [line for line in compose.splitlines() if '"daphne"' in line]
    assert "--proxy-headers" not in command


# --- 5. The web sign-in's per-address limit was keyed by the Host header ---------------------


@pytest.mark.django_db
def test_the_web_sign_in_limit_per_address_holds_whatever_host_port_is_sent():
    """allauth keys its per-address limit by "<site domain>:<address>"; without the sites framework
    the domain is the request's Host, port included, and every port passes ALLOWED_HOSTS."""
    from accounts.tests.factories import DEFAULT_PASSWORD
    from accounts.tests.zk import signin_data

    account = AccountFactory()
    for attempt in range(6):
        Client().post(
            reverse("account_login"),
            signin_data(account.user.email, f"wrong-guess-{attempt}"),
            HTTP_HOST=f"127.0.0.1:{1000 + attempt}",
            REMOTE_ADDR=f"203.0.113.{attempt + 1}",
        )
    response = Client().post(
        reverse("account_login"),
        signin_data(account.user.email, DEFAULT_PASSWORD),
        HTTP_HOST="127.0.0.1:2000",
        REMOTE_ADDR="203.0.113.99",
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


# --- 6. The web and the app API counted wrong passwords per address apart -------------------


@pytest.mark.django_db
def test_web_and_api_sign_in_share_one_count_of_wrong_passwords_per_address():
    from rest_framework.test import APIClient

    from accounts.tests.factories import DEFAULT_PASSWORD
    from accounts.tests.zk import signin_data

    account = AccountFactory()
    device = {"device_uid": "shared-limit-device", "device_name": "Phone", "platform": "ios"}

    def api_sign_in(password, ip):
        body = {"email": account.user.email, "auth_key": auth_key_for(password), **device}
        return APIClient().post(reverse("api:signin"), body, format="json", REMOTE_ADDR=ip)

    for attempt in range(3):
        Client().post(
            reverse("account_login"),
            signin_data(account.user.email, f"web-guess-{attempt}"),
            REMOTE_ADDR=f"203.0.113.{attempt + 1}",
        )
    assert [api_sign_in(f"api-guess-{i}", f"198.51.100.{i + 1}").status_code for i in range(2)] == [401, 401]
    # Five wrong passwords in all: neither door takes a sixth try, even the right password.
    refused = api_sign_in(DEFAULT_PASSWORD, "198.51.100.50")
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert refused["Retry-After"]
    web = Client().post(
        reverse("account_login"),
        signin_data(account.user.email, DEFAULT_PASSWORD),
        REMOTE_ADDR="203.0.113.50",
    )
    assert "Too many failed login attempts" in web.content.decode()


@pytest.mark.django_db
def test_a_right_password_on_the_api_does_not_count_against_the_address():
    from rest_framework.test import APIClient

    from accounts.tests.factories import DEFAULT_PASSWORD

    account = AccountFactory()
    device = {"device_uid": "right-password-device", "device_name": "Phone", "platform": "ios"}
    body = {"email": account.user.email, "auth_key": auth_key_for(DEFAULT_PASSWORD), **device}
    statuses = [
        APIClient()
        .post(reverse("api:signin"), body, format="json", REMOTE_ADDR=f"198.51.100.{i + 1}")
        .status_code
        for i in range(8)
    ]
    assert 429 not in statuses and 401 not in statuses


@pytest.mark.django_db
def test_confirm_it_is_you_counts_wrong_passwords_per_hour_like_the_portals_own_pages(monkeypatch):
    """allauth's default (10 a minute per user) let a stolen session try 14,400 passwords a day on
    "confirm it is you"; the portal's own re-authenticated pages allow 10 an hour."""
    account = AccountFactory()
    client = Client()
    assert client.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    clock = [time.time()]
    monkeypatch.setattr(
        allauth_ratelimit,
        "time",
        SimpleNamespace(time=lambda: clock[0], monotonic=time.monotonic, sleep=time.sleep),
    )
    wrong = auth_key_for("not-the-password-at-all")
    for _ in range(10):
        assert client.post(reverse("account_reauthenticate"), {"auth_key": wrong}).status_code == 200
        clock[0] += 61  # one try a minute: under allauth's default limit
    assert client.post(reverse("account_reauthenticate"), {"auth_key": auth_key_for()}).status_code == 429
