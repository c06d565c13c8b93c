"""No console page — list, detail, filter, search, audit — ever shows a secret."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from support.models import ArticleVote
from support.tests.factories import ArticleFactory, TicketFactory

pytestmark = pytest.mark.django_db


def _console_pages(account, ticket, article):
    aid = account.account_id
    return [
        (reverse("support:dashboard"), None),
        (reverse("support:search"), {"q": account.user.email}),
        (reverse("support:search"), {"q": account.user.email.upper()}),
        (reverse("support:search"), {"q": aid}),
        (reverse("support:search"), {"q": ticket.number}),
        (reverse("support:search"), {"q": "SECRET-HINT"}),
        (reverse("support:search"), {"q": "owner@"}),
        (reverse("support:account", args=[aid]), None),
        (reverse("support:account_license", args=[aid]), None),
        (reverse("support:account_close", args=[aid]), None),
        (reverse("support:account_reset_email", args=[aid]), None),
        (reverse("support:tickets"), None),
        (reverse("support:tickets"), {"status": "new"}),
        (reverse("support:tickets"), {"scope": "unassigned"}),
        (reverse("support:ticket", args=[ticket.pk]), None),
        (reverse("support:articles"), None),
        (reverse("support:article_feedback", args=[article.pk]), None),
        (reverse("support:audit"), None),
        (reverse("support:audit"), {"actor": "supervisor@staff.example"}),
    ]


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_no_console_page_shows_a_secret(role, request, client_for, secret_account, reset_emails):
    user = request.getfixturevalue(role)
    account = secret_account.account
    ticket = TicketFactory(email=account.user.email, account=account)
    article = ArticleFactory()
    ArticleVote.objects.create(article=article, visitor="v1", helpful=False, comment="More detail please")
    client = client_for(user)
    # Actions first, so the audit trail and security events have content too.
    client.post(
        reverse("support:account_reset_email", args=[account.account_id]),
        {"email": "evil@attacker.example", "reason": "Asked", "confirm": "on"},
    )
    client.post(reverse("support:account_sign_out", args=[account.account_id]))
    client.post(reverse("support:ticket_note", args=[ticket.pk]), {"body": "internal"})

    pages = _console_pages(account, ticket, article)
    checked = 0
    for url, params in pages:
        response = client.get(url, params, follow=True)
        if response.status_code == 403:  # agents on supervisor pages
            continue
        assert response.status_code == 200, url
        body = response.content.decode()
        for needle in secret_account.needles:
            assert needle not in body, f"{needle!r} shown on {url} {params}"
        assert ticket.reply_nonce not in body
        checked += 1
    assert checked >= len(pages) - (2 if role == "agent" else 0)


def test_account_view_never_loads_secret_columns(agent, client_for, secret_account):
    """The queries themselves do not select hint, password, token hashes, keys or bodies."""
    client = client_for(agent)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("support:account", args=[secret_account.account.account_id]))
    assert response.status_code == 200
    account_queries = [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]]
    sql = "\n".join(account_queries).lower()
    for column in (
        "password_hint",
        "token_hash",
        "public_key",
        "ciphertext",
        "text_body",
        "html_body",
        "nonce",
    ):
        assert column not in sql.replace('"accounts_user"."password"', ""), column


def test_search_does_not_match_on_hint(agent, client_for, secret_account):
    response = client_for(agent).get(reverse("support:search"), {"q": "SECRET-HINT-orange-kangaroo"})
    assert secret_account.account.account_id not in response.content.decode()


def test_console_forms_have_no_address_or_password_field(supervisor, client_for, secret_account):
    account = secret_account.account
    client = client_for(supervisor)
    for url in (
        reverse("support:account", args=[account.account_id]),
        reverse("support:account_license", args=[account.account_id]),
        reverse("support:account_close", args=[account.account_id]),
    ):
        body = client.get(url).content.decode()
        assert 'type="password"' not in body
        assert 'name="email"' not in body
        assert 'name="to"' not in body
        assert 'name="hint"' not in body and 'name="password' not in body
