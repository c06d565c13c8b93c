"""Knowledge-base search: one API over PostgreSQL full-text search and SQLite FTS5.

`knowledge_search(query)` is the only entry point for reads (views reach it through
`support.selectors.article_search`). It understands people the same way on both backends:

* the query is cut into words; small words ("my", "how", "the") are dropped (`words`);
* synonyms of the field are added in Python (`words.SYNONYMS`: "master password" also searches
  "account password", "2FA" also "second factor", "new phone" also "new device", ...);
* a word that appears in no article is corrected to the closest word that does (trigram
  similarity, as pg_trgm computes it) and the correction is offered as "did you mean" (`suggest`);
* stemming ("resetting" finds "reset") and ranking with the title above the summary above the
  body: PostgreSQL `english` configuration with weights A/B/C on a stored, GIN-indexed
  `search_vector` (`postgres`); SQLite FTS5 with the porter tokenizer and `bm25()` column
  weights (`sqlite`);
* excerpts with the matched words between `MARK_START` and `MARK_END`; the template filter
  `search_excerpt` escapes everything and turns those two characters into <mark> (`excerpts`).

When nothing matches, PostgreSQL falls back to trigram word similarity on the titles and SQLite
to prefix matching ("passw" finds "password"). The index is kept in step by `articles`.

The modules: words -> suggest -> excerpts, results -> postgres, sqlite -> articles -> this
one, which is the package's face: callers import from `support.search`, never from its modules.
"""

from django.db import connection

from . import postgres, sqlite
from .articles import ARTICLE_WORDS, fts_table_create_sql, index_articles, index_rebuild
from .excerpts import MARK_END, MARK_START, excerpt, term_regex
from .postgres import PG_CONFIG, pg_search_query
from .results import KnowledgeSearch, SearchHit, SearchResult
from .sqlite import FTS_TABLE
from .suggest import UnderstoodQuery, Vocabulary, VocabularyCache, query_understand, word_stem
from .words import STOP_WORDS, SYNONYMS, Term, query_words, search_concepts, search_terms

__all__ = [
    "FTS_TABLE",
    "MARK_END",
    "MARK_START",
    "PG_CONFIG",
    "STOP_WORDS",
    "SYNONYMS",
    "KnowledgeSearch",
    "SearchHit",
    "SearchResult",
    "Term",
    "UnderstoodQuery",
    "Vocabulary",
    "VocabularyCache",
    "excerpt",
    "fts_table_create_sql",
    "index_articles",
    "index_rebuild",
    "knowledge_search",
    "pg_search_query",
    "query_understand",
    "query_words",
    "search_concepts",
    "search_terms",
    "term_regex",
    "word_stem",
]


def knowledge_search(query: str, *, limit: int = 20) -> KnowledgeSearch:
    """Published articles for what a person typed, best first, with excerpts and a suggestion."""
    result = KnowledgeSearch(query=query.strip()[:200])
    understood = query_understand(result.query, ARTICLE_WORDS)
    if understood is None:
        return result
    result.suggestion = understood.suggestion
    backend = postgres if connection.vendor == "postgresql" else sqlite
    # The corrected words are searched alongside the typed ones: "pasword reset" still ranks the
    # password articles, and a correct query is never made worse. When a word was corrected, the
    # same search tells whether the words as typed find anything ("Showing results for" if not).
    typed = understood.typed_concepts if result.suggestion else None
    result.hits, typed_found = backend.search(understood.concepts, limit=limit, typed=typed)
    if not result.hits:
        # Nothing for the typed and corrected words, so nothing for the typed ones alone either.
        result.hits, typed_found = backend.fallback(understood.fixed, limit=limit), False
    result.corrected = bool(result.suggestion and result.hits and not typed_found)
    return result
