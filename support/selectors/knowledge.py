"""Reads for the public help pages and the console's article feedback (knowledge base)."""

from django.db.models import Count, Prefetch, Q, QuerySet

from ..models import Article, ArticleCategory


def articles_published() -> QuerySet[Article]:
    return Article.objects.filter(is_published=True).select_related("category")


def categories_with_articles() -> QuerySet[ArticleCategory]:
    """Categories with their published articles, for the help home page."""
    return ArticleCategory.objects.prefetch_related(
        Prefetch("articles", queryset=Article.objects.filter(is_published=True).order_by("position", "title"))
    )


def article_search(query: str) -> QuerySet[Article]:
    """Published articles whose title, summary or body contains every word of `query`."""
    articles = articles_published()
    words = query.split()[:8]
    if not words:
        return articles.none()
    for word in words:
        articles = articles.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return articles.order_by("position", "title")[:30]


def article_scores() -> QuerySet[Article]:
    """Every article with its yes/no counts and number of improvement comments."""
    return (
        Article.objects.select_related("category")
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
