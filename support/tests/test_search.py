"""Knowledge-base search: people's words find the right article first, on SQLite and PostgreSQL.

CI runs this file a second time with DATABASE_URL pointing at PostgreSQL; the same assertions hold
for both backends (FTS5 here, a weighted tsvector and pg_trgm there).
"""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from support import search
from support.models import Article
from support.services.knowledge import article_save
from support.templatetags.support_kb import search_excerpt
from support.tests.factories import ArticleCategoryFactory, ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def help_centre(db):
    """The seeded articles (migrations 0003 and 0006), indexed; tests may flush migrated rows."""
    for name in ("0003_seed_knowledge_base", "0006_seed_help_centre_articles"):
        importlib.import_module(f"support.migrations.{name}").seed(apps, None)
    search.index_rebuild()


@pytest.fixture
def empty_kb(db):
    """An empty knowledge base (the migrations seeded the help centre into the test database)."""
    Article.objects.all().delete()
    search.index_rebuild()


def first(query: str) -> str:
    result = search.knowledge_search(query)
    assert result.hits, f"nothing found for {query!r}"
    return result.hits[0].article.slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("forgot my master password", "forgot-account-password"),
        ("resett", "account-reset"),
        ("new phone", "new-device"),
        ("lost qr code", "lost-qr-code"),
        ("2FA", "second-factors"),
        ("two-step sign in", "second-factors"),
        ("Face ID", "biometric-unlock"),
        ("delete my account", "close-account"),
        ("old backup after reset", "backups"),
        ("stolen laptop", "lost-or-stolen-device"),
        ("key generation", "key-generation"),
    ],
)
def test_people_s_words_find_the_right_article_first(help_centre, query, slug):
    assert first(query) == slug


def test_at_least_25_published_articles_in_categories(help_centre):
    articles = Article.objects.filter(is_published=True)
    assert articles.count() >= 25
    assert articles.values("category").distinct().count() >= 6


def test_title_weighs_more_than_body(empty_kb):
    category = ArticleCategoryFactory()
    body_only = ArticleFactory(
        category=category, title="Other things", body="Mentions sync once.", position=0
    )
    in_title = ArticleFactory(category=category, title="How sync works", body="Devices.", position=9)
    assert [hit.article for hit in search.knowledge_search("sync").hits] == [in_title, body_only]


def test_stemming_finds_other_forms(empty_kb):
    article = ArticleFactory(title="Resetting your account", body="Before you reset, read this.")
    assert search.knowledge_search("resets").articles == [article]


def test_synonyms_expand_the_query(empty_kb):
    article = ArticleFactory(title="Changing your Account Password", body="Open the app.")
    assert search.knowledge_search("master password").articles == [article]
    assert search.search_terms(search.query_words("my 2FA"))[:2] == [("2fa",), ("mfa",)]


def test_a_typo_is_corrected_and_offered_as_did_you_mean(empty_kb):
    article = ArticleFactory(title="Your licence", body="Plans and renewal.")
    result = search.knowledge_search("renewl")
    assert result.articles == [article]
    assert result.suggestion == "renewal" and result.corrected is True


def test_a_known_word_is_not_corrected(empty_kb):
    ArticleFactory(title="Sync", body="Devices sync.")
    assert search.knowledge_search("sync").suggestion == ""


def test_unpublished_articles_are_never_found(empty_kb):
    ArticleFactory(title="Secret draft about sync", is_published=False)
    assert search.knowledge_search("sync").hits == []


def test_the_service_keeps_the_index_in_step(empty_kb):
    article = ArticleFactory(title="Old title", body="Nothing here.")
    article.title = "Biometric unlock"
    article_save(article=article)
    assert search.knowledge_search("biometric").articles == [article]
    assert search.knowledge_search("old title").articles == []


def test_excerpt_marks_matched_words_and_escapes_the_rest(empty_kb):
    ArticleFactory(title="Scanning", body="Open <b>the</b> app & scan your QR code with the camera.")
    html = search_excerpt(search.knowledge_search("qr").hits[0].excerpt)
    assert "<mark>QR" in html and "&amp;" in html and "&lt;b&gt;" in html  # kept as text, escaped
    assert "<b>" not in html and html.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_excerpt_filter_never_lets_markup_through():
    assert search_excerpt("<script>x</script>\x02y\x03") == "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"
    assert search_excerpt("cut \x02half") == "cut half"


def test_nothing_but_small_words_finds_nothing(empty_kb):
    ArticleFactory(title="How to", body="The and a.")
    assert search.knowledge_search("how do I the").hits == []


def test_query_syntax_is_text_not_operators(empty_kb):
    ArticleFactory(title="Sync", body="Devices.")
    for query in ('"', "sync OR", "NEAR(", "title:sync", "-sync*", "sync' --", "'); DROP TABLE x; --"):
        search.knowledge_search(query)  # never an error


def test_search_page_shows_excerpts_and_did_you_mean(client, help_centre):
    body = client.get(reverse("help:search"), {"q": "resett"}).content.decode()
    assert "Showing results for" in body and "<strong>reset</strong>" in body
    # The count names the words searched for, not the typo ("20 articles for “resett”").
    assert re.search(r"\d+ articles? for “reset”</h2>", body)
    assert "<mark>" in body
    assert body.index("Account reset: when to use it") < body.index("article-list") + 2000


def test_no_results_page_offers_locked_out_a_ticket_and_chat(client, help_centre):
    body = client.get(reverse("help:search"), {"q": "zzqxv"}).content.decode()
    assert "0 articles" in body and "Locked out?" in body
    assert reverse("help:ticket_new") in body
    assert reverse("help:article", args=["forgot-account-password"]) in body
    assert "Live chat" in body or "chat with us" in body


def test_article_page_has_breadcrumbs_and_related_articles(client, help_centre):
    body = client.get(reverse("help:article", args=["lost-qr-code"])).content.decode()
    assert 'aria-label="Breadcrumb"' in body
    assert reverse("help:home") in body and reverse("help:category", args=["locked-out"]) in body
    assert "Related articles" in body
    assert reverse("help:article", args=["encrypted-account-key-qr-code"]) in body


def test_category_page_lists_its_articles(client, help_centre):
    body = client.get(reverse("help:category", args=["apps"])).content.decode()
    assert "Using the apps" in body and "How sync works" in body
    assert client.get(reverse("help:category", args=["nope"])).status_code == 404


def test_reader_sees_their_own_vote(client, help_centre):
    url = reverse("help:article", args=["sync"])
    assert "Your answer" not in client.get(url).content.decode()
    client.post(reverse("help:article_vote", args=["sync"]), {"helpful": "no", "comment": "More detail"})
    body = client.get(url).content.decode()
    assert "Your answer: <strong>No</strong>, with a comment" in body
    assert 'value="no" checked' in body


def test_query_understand_is_the_shared_reading_of_a_query():
    """The forums read queries the same way: words, corrections against their own texts, synonyms."""
    known = search.VocabularyCache(stamp=lambda: (1,), texts=lambda: ["Reset your account password"])
    understood = search.query_understand("How do I resett my master pasword?", known)
    assert understood.words == ["how", "do", "i", "resett", "my", "master", "pasword"]
    assert understood.suggestion == "how do i reset my master password"
    assert ("account", "password") in understood.terms and ("resett",) in understood.terms
    assert ("reset",) not in {t for c in understood.typed_concepts for t in c}
    assert search.query_understand("how do I", known) is None


def test_a_search_is_one_statement_with_the_categories_loaded(help_centre, django_assert_num_queries):
    """Hits, ranking, excerpts and categories come from one statement; a corrected word adds the
    check of the words as typed (in the same statement on PostgreSQL, a second one on SQLite)."""
    search.knowledge_search("warm up")  # this process's typo list, as the first request builds it
    with django_assert_num_queries(1):
        result = search.knowledge_search("new phone")
        assert result.hits[0].article.category.slug == "devices"
        assert result.hits[0].article.slug == "new-device" and "\x02" in result.hits[0].excerpt
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        assert search.knowledge_search("resett").corrected is True


def test_the_fallback_finds_titles_close_to_what_was_typed(empty_kb):
    """When the full-text search finds nothing: trigram word similarity on the titles (PostgreSQL,
    with the titles' trigram index) or prefix matching (SQLite)."""
    article = ArticleFactory(title="Biometric unlock", summary="Face or fingerprint.", body="Nothing else.")
    ArticleFactory(title="Sync", body="Devices.")
    backend = search.postgres if connection.vendor == "postgresql" else search.sqlite
    assert [hit.article for hit in backend.fallback(["biomet"], limit=5)] == [article]
    assert backend.fallback(["zzqxv"], limit=5) == []


def test_each_backend_keeps_its_index_where_a_search_reads_it_fast(db):
    """PostgreSQL keeps the vector in the row (no TOAST read per match); SQLite has its FTS5 table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT attstorage FROM pg_attribute "
                "WHERE attrelid = 'support_article'::regclass AND attname = 'search_vector'"
            )
            assert cursor.fetchone()[0] == "m"
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [search.FTS_TABLE])
            assert cursor.fetchone() is not None


def test_the_excerpt_shows_where_most_of_the_matched_words_are():
    text = "Type the code from the e-mail. " + "Other words here. " * 20 + "If you lost the QR code, read on."
    cut = search.excerpt(text, [("lost",), ("qr",), ("code",)])
    assert cut.startswith("…") and "\x02lost\x03 the \x02QR\x03 \x02code\x03" in cut
    assert "\x02code\x03 from" not in cut  # the first match alone is not the best window
