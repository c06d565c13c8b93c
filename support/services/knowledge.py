"""The knowledge base: helpful / not helpful votes on articles."""

from django.utils import timezone

from ..models import Article, ArticleVote


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
