"""What a search hands back: hits best first, "did you mean", and whether the hits are for it.

`SearchResult` is shared with the forums' search (`forums.search.ForumSearch`); the help centre's
`KnowledgeSearch` holds `SearchHit`s built straight from the rows of one statement.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Generic, TypeVar

from django.db import connections

from ..models import Article, ArticleCategory

Hit = TypeVar("Hit")


@dataclass
class SearchResult(Generic[Hit]):
    query: str
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""  # "did you mean": the query with unknown words corrected
    corrected: bool = False  # True when the hits are for the suggestion, not the query as typed


@dataclass
class SearchHit:
    article: Article  # category loaded; `body` and `search_vector` deferred
    excerpt: str  # plain text; matched words between MARK_START and MARK_END


@dataclass
class KnowledgeSearch(SearchResult[SearchHit]):
    @property
    def articles(self) -> list[Article]:
        return [hit.article for hit in self.hits]


# --- articles from raw rows: what the results page shows, without a second query --------------

_LEFT_OUT = ("body", "search_vector")  # the page shows the excerpt and the summary, never these


@cache
def _fields():
    article = [f for f in Article._meta.concrete_fields if f.attname not in _LEFT_OUT]
    return article, list(ArticleCategory._meta.concrete_fields)


def hit_columns(article: str = "a", category: str = "c") -> str:
    """The select list `hits_from_rows` reads: the article's shown columns, then its category's."""
    article_fields, category_fields = _fields()
    columns = [f'{article}."{f.column}"' for f in article_fields]
    return ", ".join(columns + [f'{category}."{f.column}"' for f in category_fields])


@cache
def _converters(vendor: str, using: str) -> tuple[list, list]:
    """Per column, the functions the ORM would pass its value through (SQLite: 0/1 to bool, text to
    datetime; usually none on PostgreSQL), for the article's and the category's columns."""
    conn = connections[using]

    def of(fields):
        out = []
        for f in fields:
            col = f.get_col(f.model._meta.db_table)
            out.append((col, conn.ops.get_db_converters(col) + f.get_db_converters(conn)))
        return out

    article_fields, category_fields = _fields()
    return of(article_fields), of(category_fields)


def _converted(converters, values: Sequence, conn) -> list:
    out = list(values)
    for i, (col, functions) in enumerate(converters):
        for convert in functions:
            out[i] = convert(out[i], col, conn)
    return out


def hits_from_rows(rows: Iterable[Sequence], *, using: str) -> list[SearchHit]:
    """Hits for rows of `hit_columns()` followed by the excerpt, in the rows' order."""
    conn = connections[using]
    article_fields, category_fields = _fields()
    article_names = [f.attname for f in article_fields]
    category_names = [f.attname for f in category_fields]
    article_converters, category_converters = _converters(conn.vendor, using)
    n, m = len(article_fields), len(category_fields)
    hits = []
    for row in rows:
        article = Article.from_db(using, article_names, _converted(article_converters, row[:n], conn))
        category_values = _converted(category_converters, row[n : n + m], conn)
        article.category = ArticleCategory.from_db(using, category_names, category_values)
        hits.append(SearchHit(article=article, excerpt=row[-1] or ""))
    return hits
