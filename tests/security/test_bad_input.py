"""Any text on every web form: never a 500, never a stack trace, always a message for people.

Hypothesis throws any Unicode, NUL bytes, control characters and very long values at every
form field (and the GET parameters the pages read); oversized bodies are refused before the
view reads them whole, on the web and on the API.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.tests.factories import AccountFactory, second_factor_session, totp_enroll
from resets.tests.factories import pending_reset
from support.permissions import console_groups_ensure
from support.tests.factories import ArticleFactory, TicketFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
# Any Unicode a browser can send (UTF-8 cannot carry lone surrogates), NUL and control
# characters, markup and very long values.
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=200),
    st.builds(
        lambda ch, n: ch * n,
        st.sampled_from(["a", "\x00", "é", "😀", "<", "\u202e", " "]),
        st.integers(1, 20_000),
    ),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b@example.com",
            "victim@example.com\r\nBcc: all@example.com",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "{{ settings.SECRET_KEY }}",
            "%00%0d%0a",
            "99999999999999999999999999",
            "-1",
        ]
    ),
)


def fuzz(**strategies):
    """@given over the fields, plus the values that break things most often, in every field at once."""

    def decorate(test):
        test = given(**strategies)(test)
        for nasty in ("a\x00b", "\x00", "x" * 20_000, "😀\u202e\r\n"):
            test = example(**dict.fromkeys(strategies, nasty))(test)
        return FUZZ(test)

    return decorate


OK_STATUSES = {200, 302, 400, 404, 409, 410, 413, 429}


def _assert_handled(response) -> str:
    assert response.status_code in OK_STATUSES, response.status_code
    body = response.content.decode("utf-8", "replace")
    assert "Traceback" not in body and "Exception Value" not in body
    if response.status_code == 400:
        if response["Content-Type"].startswith("application/json"):
            assert json.loads(body).get("error")
        else:
            markers = ('class="errors"', "notice-error", 'role="alert"', "We couldn't read that request")
            assert any(marker in body for marker in markers), body[:2000]
    return body


@pytest.fixture
def staff():
    groups = console_groups_ensure()
    agent = AccountFactory().user
    agent.is_staff = True
    agent.save()
    agent.groups.add(groups["supervisor"])
    totp_enroll(agent)  # staff need a second factor (issue 15)
    client = Client()
    client.force_login(agent)
    second_factor_session(client, agent)  # and a fresh one for supervisor actions
    return client


@fuzz(email=ANY_TEXT, auth_key=ANY_TEXT, salt=ANY_TEXT, iterations=ANY_TEXT, hint=ANY_TEXT)
def test_sign_up(email, auth_key, salt, iterations, hint):
    data = {
        "email": email,
        "auth_key": auth_key,
        "kdf_salt": salt,
        "kdf_iterations": iterations,
        "kdf_memory_kib": iterations,
        "kdf_parallelism": iterations,
        "password_hint": hint,
    }
    _assert_handled(Client().post(reverse("account_signup"), data))


@fuzz(login=ANY_TEXT, auth_key=ANY_TEXT)
def test_sign_in(login, auth_key):
    _assert_handled(Client().post(reverse("account_login"), {"login": login, "auth_key": auth_key}))


@fuzz(email=ANY_TEXT)
def test_reset_request_and_hint_request(email):
    _assert_handled(Client().post(reverse("resets:request"), {"email": email}))
    _assert_handled(Client().post(reverse("resets:hint"), {"hint-email": email}))


@fuzz(token=ANY_TEXT.filter(lambda t: "/" not in t and t.strip()))
def test_reset_and_cancel_links_with_any_token(token):
    client = Client()
    response = client.get(reverse("resets:link_token", args=[token]))
    assert response.status_code == (400 if "\x00" in token else 302)
    _assert_handled(client.get(reverse("resets:link")))
    _assert_handled(client.get(reverse("resets:cancel_token", args=[token]), follow=True))
    _assert_handled(client.post(reverse("resets:cancel")))


@pytest.fixture
def reset_link_client():
    reset_request, token, _ = pending_reset()
    client = Client()
    client.get(reverse("resets:link_token", args=[token]))
    return client, reset_request


@fuzz(
    auth_key=ANY_TEXT, salt=ANY_TEXT, memory=ANY_TEXT, hint=ANY_TEXT, confirm_email=ANY_TEXT, erase=ANY_TEXT
)
def test_reset_link_form(reset_link_client, auth_key, salt, memory, hint, confirm_email, erase):
    client, reset_request = reset_link_client
    data = {
        "auth_key": auth_key,
        "kdf_salt": salt,
        "kdf_iterations": "3",
        "kdf_memory_kib": memory,
        "kdf_parallelism": "1",
        "hint": hint,
        "confirm_email": confirm_email,
        "confirm_erase": erase,
    }
    _assert_handled(client.post(reverse("resets:link"), data))


@fuzz(email=ANY_TEXT, category=ANY_TEXT, subject=ANY_TEXT, message=ANY_TEXT, website=ANY_TEXT)
def test_ticket_form(email, category, subject, message, website):
    data = {"email": email, "category": category, "subject": subject, "message": message, "website": website}
    _assert_handled(Client().post(reverse("help:ticket_new"), data))


@pytest.fixture
def ticket_owner():
    account = AccountFactory()
    ticket = TicketFactory(email=account.user.email, account=account)
    client = Client()
    client.force_login(account.user)
    return client, ticket


@fuzz(body=ANY_TEXT)
def test_customer_ticket_reply(ticket_owner, body):
    client, ticket = ticket_owner
    _assert_handled(client.post(reverse("help:ticket", args=[ticket.pk]), {"body": body}))


@pytest.fixture
def article():
    return ArticleFactory()


@fuzz(helpful=ANY_TEXT, comment=ANY_TEXT, query=ANY_TEXT)
def test_knowledge_base_vote_feedback_and_search(article, helpful, comment, query):
    client = Client()
    _assert_handled(
        client.post(
            reverse("help:article_vote", args=[article.slug]), {"helpful": helpful, "comment": comment}
        )
    )
    _assert_handled(client.get(reverse("help:search"), {"q": query}))


@fuzz(query=ANY_TEXT, actor=ANY_TEXT, status=ANY_TEXT, scope=ANY_TEXT)
def test_console_search_and_filters(staff, query, actor, status, scope):
    _assert_handled(staff.get(reverse("support:search"), {"q": query}))
    _assert_handled(staff.get(reverse("support:audit"), {"actor": actor}))
    _assert_handled(staff.get(reverse("support:tickets"), {"status": status, "scope": scope}))


@fuzz(body=ANY_TEXT, status=ANY_TEXT, assigned=ANY_TEXT)
def test_console_ticket_actions(staff, body, status, assigned):
    ticket = TicketFactory()
    _assert_handled(staff.post(reverse("support:ticket_reply", args=[ticket.pk]), {"body": body}))
    _assert_handled(staff.post(reverse("support:ticket_note", args=[ticket.pk]), {"body": body}))
    _assert_handled(
        staff.post(
            reverse("support:ticket_update", args=[ticket.pk]), {"status": status, "assigned_to": assigned}
        )
    )


@fuzz(plan=ANY_TEXT, status=ANY_TEXT, seats=ANY_TEXT, expires=ANY_TEXT, reason=ANY_TEXT, confirm=ANY_TEXT)
def test_console_account_actions(staff, plan, status, seats, expires, reason, confirm):
    account = AccountFactory()
    data = {"plan": plan, "status": status, "seats": seats, "expires_at": expires, "reason": reason}
    _assert_handled(staff.post(reverse("support:account_license", args=[account.account_id]), data))
    close = {"reason": reason, "confirm": confirm}
    _assert_handled(staff.post(reverse("support:account_close", args=[account.account_id]), close))
    _assert_handled(staff.get(reverse("support:account", args=[reason[:50] or "x"])))


@fuzz(name=ANY_TEXT, email=ANY_TEXT, body=ANY_TEXT, confirmed=ANY_TEXT, after=ANY_TEXT)
def test_chat_start_and_send(name, email, body, confirmed, after, monkeypatch):
    monkeypatch.setattr("chat.presence.agents_online", lambda: True)
    client = Client()
    start = client.post(
        reverse("chat:start"), {"name": name, "email": email}, content_type="application/json"
    )
    _assert_handled(start)
    if start.status_code == 200:
        sent = client.post(
            reverse("chat:send"), {"body": body, "confirmed": confirmed}, content_type="application/json"
        )
        _assert_handled(sent)
    _assert_handled(client.get(reverse("chat:state"), {"after": after}))


@fuzz(raw=st.binary(max_size=2000))
def test_chat_endpoints_with_any_bytes(raw, monkeypatch):
    monkeypatch.setattr("chat.presence.agents_online", lambda: True)
    client = Client()
    for name in ("chat:start", "chat:send", "chat:typing", "chat:close"):
        _assert_handled(client.post(reverse(name), raw, content_type="application/json"))


# --- Oversized bodies -------------------------------------------------------------------------

BIG = 5 * 1024 * 1024


@pytest.mark.parametrize(
    "name",
    ["resets:request", "resets:hint", "account_signup", "account_login", "help:ticket_new"],
)
def test_multi_megabyte_form_posts_are_refused_with_a_page(name):
    response = Client().post(reverse(name), {"email": "a@example.com", "message": "x" * BIG})
    assert response.status_code == 413
    body = response.content.decode()
    assert "Traceback" not in body
    assert "too large for this form" in body


def test_multi_megabyte_api_bodies_are_refused_before_parsing():
    for name in ("api:signin", "api:signup"):
        response = Client().post(
            reverse(name),
            json.dumps({"email": "a@example.com", "password": "x" * BIG}),
            content_type="application/json",
        )
        assert response.status_code == 413, name
        assert response.json() == {"error": "request_too_large", "detail": "The request body is too large."}


def test_multi_megabyte_chat_body_is_refused():
    response = Client().post(reverse("chat:start"), "x" * BIG, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "too_large"
    assert "too large" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    ["/help/search/?q=a%00b", "/support/audit/?actor=%00", "/support/accounts/a%00b/", "/reset/?x%00=1"],
)
def test_nul_in_the_url_is_a_bad_request_page_not_a_database_error(staff, path):
    response = staff.get(path)
    assert response.status_code == 400
    assert "We couldn't read that request" in response.content.decode()


def test_nul_in_an_api_url_is_a_json_error():
    response = Client().get("/api/v1/licence/?x=%00")
    assert response.status_code == 400 and response.json()["error"] == "bad_request"
