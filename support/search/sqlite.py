"""SQLite (the embedded default): FTS5 over (title, keywords, summary, body) with the porter stemmer.

Rank: how many concepts each column contains (title and keywords 3, summary 2, body 1), then
bm25() with the same column order. BM25 alone lets one rare word ("lost") beat an article that
matches every word in its title ("I lost my … QR code"). When nothing matches, prefix matching on
what was typed ("passw" finds "password").
"""

from django.db import connection

from .excerpts import MARK_END, MARK_START
from .results import SearchHit, hit_columns, hits_from_rows
from .words import STOP_WORDS, Term, concept_terms

FTS_TABLE = "support_article_fts"
BM25_WEIGHTS = "10.0, 10.0, 4.0, 1.0"  # title, keywords, summary, body
COLUMN_SCORES = (("title", 3), ("keywords", 3), ("summary", 2), ("body", 1))


def expression(terms: list[Term], *, prefix: bool = False) -> str:
    """An FTS5 query matching any of `terms`: each a quoted phrase, so typed text is never syntax."""
    star = "*" if prefix else ""
    return " OR ".join(dict.fromkeys(f'"{" ".join(term)}"{star}' for term in terms))


def _run(concepts: list[list[Term]], limit: int, *, prefix: bool = False) -> list[SearchHit]:
    terms = concept_terms(concepts)
    if not terms:
        return []
    score_sql, score_params = [], []
    for concept in concepts:
        for column, weight in COLUMN_SCORES:
            score_sql.append(
                f"{weight} * (m.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))"  # noqa: S608 - constant table names; values are parameters
            )
            score_params.append(f"{column} : ({expression(concept, prefix=prefix)})")
    match = expression(terms, prefix=prefix)
    # One statement: the matched rows with bm25() computed once each (materialised, so in the FTS
    # context), scored by concept per column (one FTS lookup per concept and column), the page's
    # rows cut; then excerpts for those rows only (snippet() is the costliest part), with their
    # articles and categories.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS bm25 "  # noqa: S608
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s), "
        f"top AS MATERIALIZED (SELECT a.id, {' + '.join(score_sql)} AS score, m.bm25, a.position FROM m "
        "JOIN support_article a ON a.id = m.id WHERE a.is_published "
        "ORDER BY score DESC, m.bm25, a.position, a.id LIMIT %s) "
        f"SELECT {hit_columns()}, snippet({FTS_TABLE}, 3, %s, %s, '…', 24) FROM {FTS_TABLE} "
        f"JOIN top ON top.id = {FTS_TABLE}.rowid JOIN support_article a ON a.id = top.id "
        "JOIN support_articlecategory c ON c.id = a.category_id "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY top.score DESC, top.bm25, top.position, top.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *score_params, limit, MARK_START, MARK_END, match])
        rows = cursor.fetchall()
    return hits_from_rows(rows, using=connection.alias)


def search(concepts: list[list[Term]], *, limit: int, typed: list[list[Term]] | None = None):
    """(hits, whether `typed` alone finds anything: None when not asked or nothing was found)."""
    hits = _run(concepts, limit)
    return hits, (any_match(typed) if typed and hits else None)


def any_match(concepts: list[list[Term]]) -> bool:
    """Whether a published article holds one of the terms of `concepts`."""
    terms = concept_terms(concepts)
    if not terms:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {FTS_TABLE} JOIN support_article a ON a.id = {FTS_TABLE}.rowid "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND a.is_published LIMIT 1",
            [expression(terms)],
        )
        return cursor.fetchone() is not None


def fallback(words: list[str], *, limit: int) -> list[SearchHit]:
    """Prefix matching on what was typed: "passw" finds "password"."""
    concepts = [[(w,)] for w in words if w not in STOP_WORDS and len(w) >= 3]
    return _run(concepts, limit, prefix=True)
