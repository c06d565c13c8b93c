"""The knowledge base: saving articles (and keeping the search index in step), and votes."""

from django.db import transaction
from django.utils import timezone

from .. import search
from ..models import Article, ArticleVote


@transaction.atomic
def article_save(*, article: Article) -> Article:
    """Save `article` and bring its search index in step (PostgreSQL vector or SQLite FTS5 row).

    Every write to an article goes through here; a bulk load calls `search.index_rebuild()`.
    """
    article.updated_at = timezone.now()
    article.save()
    search.index_articles([article.pk])
    return article


def article_vote(*, article: Article, visitor: str, helpful: bool, comment: str = "") -> ArticleVote:
    """Record a visitor's answer; a second answer replaces the first (one vote per visitor)."""
    vote, created = ArticleVote.objects.get_or_create(
        article=article, visitor=visitor, defaults={"helpful": helpful, "comment": comment}
    )
    if not created:
        vote.helpful = helpful
        vote.comment = comment or vote.comment
        vote.updated_at = timezone.now()
        vote.save(update_fields=["helpful", "comment", "updated_at"])
    return vote
