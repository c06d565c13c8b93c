"""The articles' side of search: their words for typo correction, and keeping the index in step.

Writes to the index (`index_articles`, `index_rebuild`) are raw SQL on purpose: the service that
saves an article and the data migrations (historical models) call the same functions.
"""

from collections.abc import Iterable

from django.db import connections
from django.db.models import Count, Max

from ..models import Article
from .postgres import PG_CONFIG
from .sqlite import FTS_TABLE
from .suggest import VocabularyCache


def _published_articles():
    return Article.objects.filter(is_published=True)


def _article_stamp() -> tuple:
    stamp = _published_articles().aggregate(n=Count("id"), last=Max("id"), updated=Max("updated_at"))
    return tuple(stamp.values())


def _article_texts() -> Iterable[str]:
    for title, summary, body in _published_articles().values_list("title", "summary", "body").iterator():
        yield f"{title} {summary} {body}"


ARTICLE_WORDS = VocabularyCache(stamp=_article_stamp, texts=_article_texts)


def vocabulary_forget() -> None:
    """Drop this process's vocabulary (the index changed); the next search rebuilds it."""
    ARTICLE_WORDS.forget()


# --- keeping the index in step (the service that saves an article, and data migrations) ----------

_PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '') || ' ' || coalesce(keywords, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(summary, '')), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(body, '')), 'C')"
)
_FTS_FILL = (
    f"INSERT INTO {FTS_TABLE}(rowid, title, keywords, summary, body) "  # noqa: S608 - constant table names
    "SELECT id, title, keywords, summary, body FROM support_article"
)


def index_articles(ids, *, using=None) -> None:
    """Bring the search index of the articles `ids` in step with their rows (deleted ones leave it)."""
    conn = connections[using or "default"]
    vocabulary_forget()
    ids = [int(pk) for pk in ids]
    if not ids:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            sql = f"UPDATE support_article SET search_vector = {_PG_VECTOR} WHERE id = ANY(%s)"  # noqa: S608
            cursor.execute(sql, [ids])
        elif conn.vendor == "sqlite":
            marks = ",".join("%s" for _ in ids)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608 - constant table names; values are parameters
            cursor.execute(f"{_FTS_FILL} WHERE id IN ({marks})", ids)


def index_rebuild(*, using=None) -> None:
    """Index every article again (after a data migration, a bulk load or a test flush)."""
    conn = connections[using or "default"]
    vocabulary_forget()
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"UPDATE support_article SET search_vector = {_PG_VECTOR}")  # noqa: S608 - constant table names
            # Fresh statistics of the vector, so that the planner reads a rare word from the GIN
            # index instead of scanning every row (autovacuum would get there later).
            cursor.execute("ANALYZE support_article")
        elif conn.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table names
            cursor.execute(_FTS_FILL)


def fts_table_create_sql() -> str:
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "title, keywords, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
