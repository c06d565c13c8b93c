"""PostgreSQL: full-text search on the stored, weighted `search_vector`; pg_trgm for what it misses.

One statement per search: the matching published articles ranked (`ts_rank` with title and
keywords above the summary above the body), the page's rows joined to their categories with
their bodies, and, when a word was corrected, whether the words as typed find anything at all.
The vector lives in the row (`STORAGE MAIN`, migration 0010), so ranking every match reads no
TOAST table. Excerpts are cut in Python (`excerpts.excerpt`, as the forums do): `ts_headline`
re-parses and stems each body shown, 0.3 ms a body, most of a search's time.
"""

from functools import reduce
from operator import or_

from django.db import connection, transaction

from .excerpts import excerpt
from .results import SearchHit, hit_columns, hits_from_rows
from .words import STOP_WORDS, Term, concept_terms

PG_CONFIG = "english"
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: body (C) < summary (B) < title and keywords (A)
TRIGRAM_FALLBACK_THRESHOLD = 0.4


def pg_search_query(terms: list[Term]):
    """A Django expression: PostgreSQL full-text query (`english`, stemmed) matching any of `terms`
    (words or phrases). The forums' ORM queries use it; `tsquery_sql` is the same query as SQL."""
    from django.contrib.postgres.search import SearchQuery

    parts = [
        SearchQuery(" ".join(t), search_type="phrase" if len(t) > 1 else "plain", config=PG_CONFIG)
        for t in terms
    ]
    return reduce(or_, parts)


def tsquery_sql(terms: list[Term]) -> tuple[str, list[str]]:
    """SQL and parameters for the tsquery `pg_search_query(terms)` compiles to."""
    functions = ["phraseto_tsquery" if len(t) > 1 else "plainto_tsquery" for t in terms]
    sql = " || ".join(f"{function}('{PG_CONFIG}'::regconfig, %s)" for function in functions)
    return f"({sql})", [" ".join(t) for t in terms]


def search(concepts: list[list[Term]], *, limit: int, typed: list[list[Term]] | None = None):
    """(hits, whether `typed` alone finds anything: None when not asked or nothing was found)."""
    terms = concept_terms(concepts)
    if not terms:
        return [], None
    query, params = tsquery_sql(terms)
    typed_terms = concept_terms(typed or [])
    if typed_terms:
        typed_query, typed_params = tsquery_sql(typed_terms)
        typed_found = (
            "EXISTS (SELECT 1 FROM support_article t "  # noqa: S608 - constant names; values are parameters
            f"WHERE t.is_published AND t.search_vector @@ {typed_query})"
        )
    else:
        typed_found, typed_params = "NULL", []
    sql = (
        f"SELECT {hit_columns()}, {typed_found}, a.body "  # noqa: S608 - constant names; values are parameters
        "FROM (SELECT s.id, s.position, ts_rank(%s::float4[], s.search_vector, q.q) AS rank "
        f"FROM support_article s, (SELECT {query} AS q) q "
        "WHERE s.is_published AND s.search_vector @@ q.q "
        "ORDER BY rank DESC, s.position, s.id LIMIT %s) top "
        "JOIN support_article a ON a.id = top.id "
        "JOIN support_articlecategory c ON c.id = a.category_id "
        "ORDER BY top.rank DESC, top.position, top.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*typed_params, RANK_WEIGHTS, *params, limit])
        rows = cursor.fetchall()
    if not rows:
        return [], None
    found = rows[0][-2]
    rows = [(*row[:-2], excerpt(row[-1], terms)) for row in rows]
    return hits_from_rows(rows, using=connection.alias), found


def fallback(words: list[str], *, limit: int) -> list[SearchHit]:
    """Titles that hold something close to what was typed (pg_trgm word similarity, on the
    trigram index of the titles); the summary stands in for the excerpt."""
    text = " ".join(w for w in words if w not in STOP_WORDS)
    if not text:
        return []
    sql = (
        f"SELECT {hit_columns()}, a.summary FROM support_article a "  # noqa: S608 - constant names; values are parameters
        "JOIN support_articlecategory c ON c.id = a.category_id "
        "WHERE a.is_published AND %s <%% a.title AND word_similarity(%s, a.title) >= %s "
        "ORDER BY word_similarity(%s, a.title) DESC, a.position, a.id LIMIT %s"
    )
    # `<%` (which the index answers) keeps the titles above pg_trgm.word_similarity_threshold: set
    # for this transaction only, to the fallback's own threshold.
    with transaction.atomic(), connection.cursor() as cursor:
        threshold = str(TRIGRAM_FALLBACK_THRESHOLD)
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [threshold])
        cursor.execute(sql, [text, text, TRIGRAM_FALLBACK_THRESHOLD, text, limit])
        rows = cursor.fetchall()
    return hits_from_rows(rows, using=connection.alias)
