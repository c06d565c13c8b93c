"""Reads for the public help pages and the console's article feedback (knowledge base).

Search itself lives in `support.search` (one API over PostgreSQL full-text search and SQLite
FTS5); `article_search` is its door for views.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from ..models import Article, ArticleCategory, ArticleVote
from ..search import KnowledgeSearch, knowledge_search


def articles_published() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True).select_related("category").defer("search_vector")


def categories_with_articles() -> QuerySet[ArticleCategory]:
    """Categories with their published articles, for the help home page."""
    return ArticleCategory.objects.prefetch_related(
        Prefetch(
            "articles",
            queryset=Article.objects.filter(is_published=True)
            .defer("search_vector")
            .order_by("position", "title"),
        )
    )


def category_published(slug: str) -> ArticleCategory | None:
    """One category with its published articles, or None."""
    return categories_with_articles().filter(slug=slug).first()


def article_related(article: Article, *, limit: int = 4) -> list[Article]:
    """The articles chosen as related to `article`, then others of its category, published only."""
    chosen = list(
        articles_published().filter(pk__in=article.related.values("pk")).order_by("position", "title")
    )
    if len(chosen) < limit:
        seen = [article.pk, *(a.pk for a in chosen)]
        chosen += list(
            articles_published()
            .filter(category_id=article.category_id)
            .exclude(pk__in=seen)
            .order_by("position", "title")[: limit - len(chosen)]
        )
    return chosen[:limit]


def article_vote_of(article: Article, visitor: str | None) -> ArticleVote | None:
    """This visitor's own answer to "Was this helpful?", if they gave one."""
    if not visitor:
        return None
    return ArticleVote.objects.filter(article=article, visitor=visitor).only("helpful", "comment").first()


def article_search(query: str) -> KnowledgeSearch:
    """Published articles for what a person typed (see support.search), best first."""
    return knowledge_search(query)


def article_scores() -> QuerySet[Article]:
    """Every article with its yes/no counts and number of improvement comments."""
    return (
        Article.objects.select_related("category")
        .defer("search_vector")
        .annotate(
            yes=Count("votes", filter=Q(votes__helpful=True)),
            no=Count("votes", filter=Q(votes__helpful=False)),
            comments=Count("votes", filter=~Q(votes__comment="")),
        )
        .order_by("category__position", "position", "title")
    )


def article_comments(article: Article, *, limit: int = 50):
    """The latest "How can we improve this article?" texts."""
    return article.votes.exclude(comment="").order_by("-updated_at")[:limit]
