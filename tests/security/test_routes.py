"""Every URL pattern, enumerated: CSRF on every POST, the console hidden, framing refused.

The lists are built from the URL resolver, so a new view is covered (or fails here) without
anyone remembering to add it.
"""

import re
import uuid
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory
from accounts.tests.zk import new_password_data, signin_data
from support.tests.test_permissions import CONSOLE_URLS

pytestmark = pytest.mark.django_db

SAMPLE_ARGS = {"int": "1", "string": "sample-value", "slug": "sample-slug", "uuid": str(uuid.uuid4())}

# Deliberately exempt from CSRF: the app API authenticates with a bearer device token sent in a
# header (never a cookie), so a cross-site form cannot use it; DRF views are csrf_exempt and we
# install no SessionAuthentication. See docs/security.md.
# The forums' one-click unsubscribe (RFC 8058) is POSTed by mail clients without our cookie; its
# signed token is the proof (forums/tests/test_views.py).
CSRF_EXEMPT_PREFIXES = ("/api/v1/", "/forums/unsubscribe/")


def _patterns(resolvers=None, prefix="/"):
    """Yield (path, view) for every URL pattern, with sample values for its converters."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + _fill(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _fill(entry.pattern), entry.callback


def _fill(pattern) -> str:
    route = getattr(pattern, "_route", None)
    if route is None:  # a regex route: each named group gets a sample value
        regex = pattern.regex.pattern.lstrip("^").removesuffix("\\Z").rstrip("$")
        return re.sub(r"\(\?P<\w+>[^)]*\)", "sample", regex).replace(".*", "anything")
    for name, converter in pattern.converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        value = SAMPLE_ARGS.get(kind, "sample/value")
        route = re.sub(rf"<(\w+:)?{name}>", value, route)
    return route


ALL_PATHS = sorted({path for path, _ in _patterns()})


def test_the_enumeration_sees_every_part_of_the_site():
    for expected in (
        "/reset/link/",
        "/support/accounts/sample-value/close/",
        "/chat/send/",
        "/api/v1/signin/",
    ):
        assert expected in ALL_PATHS
    assert len(ALL_PATHS) > 60


@pytest.mark.parametrize("path", [p for p in ALL_PATHS if not p.startswith(CSRF_EXEMPT_PREFIXES)])
def test_every_post_without_a_csrf_token_is_refused(path):
    """Anonymous and signed-in: the token check comes before any view code runs."""
    for signed_in in (False, True):
        client = Client(enforce_csrf_checks=True)
        if signed_in:
            client.force_login(AccountFactory().user)
        response = client.post(path, {"email": "victim@example.com"})
        assert response.status_code == 403, (path, signed_in, response.status_code)
        assert "Traceback" not in response.content.decode()


def test_only_the_api_is_csrf_exempt():
    exempt = sorted(path for path, view in _patterns() if getattr(view, "csrf_exempt", False))
    assert exempt and all(path.startswith(CSRF_EXEMPT_PREFIXES) for path in exempt), exempt


def test_a_web_session_cookie_does_not_authenticate_the_api():
    """Why the API may skip CSRF: a browser's cookies alone never make a call authenticated."""
    account = AccountFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(account.user)
    assert client.get(reverse("api:account")).status_code == 401
    response = client.post(reverse("api:signout"), content_type="application/json")
    assert response.status_code == 401


def test_every_console_url_is_in_the_permission_matrix():
    """support/tests/test_permissions.py checks each console URL from every side; none is missing."""
    covered = {name for _, name, *_ in CONSOLE_URLS}
    console = {
        f"support:{p.name}"
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "support"
        for p in p.url_patterns
    }
    assert console <= covered, console - covered


@pytest.mark.parametrize("path", [p for p in ALL_PATHS if p.startswith("/support/")])
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_get_404_on_every_console_url(path, method):
    client = Client()
    assert getattr(client, method)(path).status_code == 404


@pytest.mark.parametrize("path", [p for p in ALL_PATHS if p.startswith("/support/")])
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_without_a_second_factor_open_no_console_or_agent_chat_url(path, method):
    """Issue 15: every console and agent-chat URL, for an agent and a supervisor without a factor:
    never a 200 or a redirect into the console (403 page leading to enrolment, or a 404/405)."""
    from chat.tests.factories import AgentFactory

    for group in ("agent", "supervisor"):
        client = Client()
        client.force_login(AgentFactory(groups=group, second_factor=False))
        response = getattr(client, method)(path)
        assert response.status_code in (403, 404, 405), (path, group, response.status_code)
        if response.status_code == 403:
            assert b"Add a second factor first" in response.content


# --- Clickjacking: every page type refuses to be framed ------------------------------------


@pytest.fixture
def agent_client():
    from chat.tests.factories import AgentFactory

    client = Client()
    client.force_login(AgentFactory())
    return client


def test_every_page_type_refuses_framing_and_inline_script(client, agent_client, settings):
    from resets.tests.factories import pending_reset
    from support.tests.factories import ArticleFactory, TicketFactory

    account = AccountFactory()
    signed_in = Client()
    signed_in.force_login(account.user)
    _, token, cancel = pending_reset(account)
    ticket = TicketFactory(email=account.user.email)
    article = ArticleFactory()
    pages = [
        (client, "/"),
        (client, reverse("account_login")),
        (client, reverse("resets:notice")),
        (client, reverse("resets:link_token", args=[token])),
        (client, reverse("resets:link")),
        (client, reverse("resets:cancel_token", args=[cancel])),
        (client, reverse("resets:cancel")),
        (client, "/reset/link/dead-token-value/"),
        (client, reverse("help:home")),
        (client, reverse("help:article", args=[article.slug])),
        (client, reverse("help:ticket_new")),
        (client, "/no-such-page/"),
        (client, reverse("api:docs")),
        (client, reverse("api:schema")),
        (client, "/api/v1/no-such-endpoint/"),
        (signed_in, reverse("accounts:home")),
        (signed_in, reverse("help:ticket", args=[ticket.pk])),
        (agent_client, reverse("support:dashboard")),
        (agent_client, reverse("support:account", args=[account.account_id])),
        (agent_client, reverse("support:ticket", args=[ticket.pk])),
        (agent_client, reverse("chat_agent:console")),
        (client, "/static/css/portal.css"),
    ]
    for page_client, path in pages:
        response = page_client.get(path)
        assert response.status_code < 500, path
        if path.startswith("/static/"):
            continue  # whitenoise serves files before the middleware: no HTML, nothing to frame
        assert response["X-Frame-Options"] == "DENY", path
        policy = response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, path


# --- Open redirects in next= -----------------------------------------------------------------

EVIL_TARGETS = [
    "https://evil.example/",
    "//evil.example/x",
    "///evil.example/x",
    "https:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "http://127.0.0.1@evil.example/",
    "javascript:alert(1)",
    " https://evil.example/",
    "%2F%2Fevil.example",
]


def _off_site(response) -> bool:
    """Where a browser would go: backslashes count as slashes, leading blanks are dropped."""
    location = response.get("Location", "").strip().replace("\\", "/")
    if not location:
        return False
    target = urlsplit(urljoin("http://testserver/some/page/", location))
    return target.scheme not in ("http", "https") or target.netloc != "testserver"


@pytest.mark.parametrize("target", EVIL_TARGETS)
def test_no_view_taking_next_redirects_off_site(target):
    account = AccountFactory()
    client = Client()
    # Sign-in (form field and query string).
    response = client.post(
        reverse("account_login") + "?next=" + target,
        {**signin_data(account.user.email, DEFAULT_PASSWORD), "next": target},
    )
    assert response.status_code == 302 and not _off_site(response)
    # Sign-out.
    response = client.post(reverse("account_logout"), {"next": target})
    assert not _off_site(response)
    # Sign-up.
    response = client.post(
        reverse("account_signup") + "?next=" + target,
        {"email": "new@example.com", **new_password_data("Quiet-Harbour-881")},
    )
    assert not _off_site(response)
    # Pages behind sign-in send visitors to the sign-in page with a local next=.
    response = Client().get(reverse("accounts:home") + "?next=" + target)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Every other view: none reads next= (the enumeration covers any that starts to).
    for path in ("/", reverse("resets:notice"), reverse("help:home"), reverse("resets:done")):
        response = Client().get(path, {"next": target})
        assert not _off_site(response), path
