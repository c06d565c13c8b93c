"""Knowledge base: seeded articles, search, pages, and one vote per visitor per article."""

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from support.models import ArticleVote
from support.services.knowledge import article_vote
from support.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Scanning your QR code", body="Open the app.\n\nScan the <b>code</b>.")


def _run_migration(name: str, function: str) -> None:
    """Run a data migration's function again (transactional tests flush migrated rows)."""
    import importlib

    from django.apps import apps

    getattr(importlib.import_module(f"support.migrations.{name}"), function)(apps, None)


def test_reset_article_is_seeded_in_the_products_words(client):
    _run_migration("0003_seed_knowledge_base", "seed")
    body = client.get(reverse("help:article", args=["account-reset"])).content.decode()
    for words in (
        "Account Password",
        "Encrypted Account Key QR code",
        "key generation",
        "/reset/",
        "60 minutes",
        "account ID",
        "licence",
        "in the apps too",
        "obsolete",
    ):
        assert words in body, words


def test_article_page_renders_plain_text(client, article):
    body = client.get(reverse("help:article", args=[article.slug])).content.decode()
    assert "<p>Open the app.</p>" in body and "&lt;b&gt;code&lt;/b&gt;" in body
    assert "Was this helpful?" in body and "How can we improve this article?" in body


def test_unpublished_article_is_404(client):
    draft = ArticleFactory(is_published=False)
    assert client.get(reverse("help:article", args=[draft.slug])).status_code == 404


@pytest.mark.parametrize(
    ("query", "found"), [("qr", True), ("scan app", True), ("Scanning QR", True), ("banana", False)]
)
def test_search(client, article, query, found):
    body = client.get(reverse("help:search"), {"q": query}).content.decode()
    assert (article.title in body) is found


def test_one_vote_per_visitor_per_article(client, article):
    url = reverse("help:article_vote", args=[article.slug])
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "no", "comment": "Say where the scan button is."})
    vote = ArticleVote.objects.get(article=article)
    assert vote.helpful is False and vote.comment == "Say where the scan button is."

    Client().post(url, {"helpful": "yes"})  # another visitor
    assert ArticleVote.objects.filter(article=article).count() == 2


def test_a_suggestion_loses_the_controls_that_reorder_text(client, article):
    client.post(
        reverse("help:article_vote", args=[article.slug]),
        {"helpful": "no", "comment": "Say \u202ewhere\u202c the\r\nscan button is."},
    )
    assert ArticleVote.objects.get(article=article).comment == "Say where the\nscan button is."


def test_database_refuses_a_second_vote_row(article):
    article_vote(article=article, visitor="abc", helpful=True)
    with pytest.raises(IntegrityError):
        ArticleVote.objects.create(article=article, visitor="abc", helpful=False)


def test_vote_needs_a_choice(client, article):
    client.post(reverse("help:article_vote", args=[article.slug]), {"comment": "?"})
    assert not ArticleVote.objects.exists()


def test_agents_see_the_score_per_article(agent, client_for, article):
    for visitor, helpful in (("a", True), ("b", True), ("c", True), ("d", False)):
        article_vote(
            article=article,
            visitor=visitor,
            helpful=helpful,
            comment="More <i>pictures</i>" if visitor == "d" else "",
        )
    client = client_for(agent)
    body = client.get(reverse("support:articles")).content.decode()
    assert "75% helpful" in body and "1 to read" in body
    feedback = client.get(reverse("support:article_feedback", args=[article.pk])).content.decode()
    assert "More &lt;i&gt;pictures&lt;/i&gt;" in feedback


def test_article_text_becomes_headings_lists_and_escaped_paragraphs():
    from support.templatetags.support_kb import article_body

    html = article_body(
        "What it keeps\n\n- Your <account> ID\n- Your licence\n\nA paragraph & more.\nSecond line."
    )
    assert "<h2>What it keeps</h2>" in html
    assert "<ul><li>Your &lt;account&gt; ID</li><li>Your licence</li></ul>" in html
    assert "<p>A paragraph &amp; more.<br>Second line.</p>" in html
    assert "<script" not in article_body("<script>alert(1)</script>")


@pytest.mark.parametrize("page", ["home", "category", "article", "search"])
def test_help_pages_cost_the_same_queries_with_1_or_30_articles(page, page_queries):
    from support.tests.factories import ArticleCategoryFactory

    category = ArticleCategoryFactory(name="Sync", slug="sync")
    article = ArticleFactory(category=category, title="Sync a new phone")

    def articles(n):
        for _ in range(n):
            other = ArticleFactory(category=ArticleCategoryFactory(), title="Sync on a tablet")
            ArticleFactory(category=category, title="Sync on a laptop")
            article.related.add(other)

    url, data = {
        "home": (reverse("help:home"), None),
        "category": (reverse("help:category", args=["sync"]), None),
        "article": (reverse("help:article", args=[article.slug]), None),
        "search": (reverse("help:search"), {"q": "sync"}),
    }[page]
    articles(4)  # the article page fills its four related places from the category below that
    small = page_queries(Client(), url, data)
    articles(26)
    assert page_queries(Client(), url, data) == small
