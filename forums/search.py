"""Forum search with the help centre's reading of a query (`support.search.query_understand`).

The same words, synonyms of the field ("master password" also finds "account password", "2FA"
"second factor", "new phone" "new device") and typo correction as the knowledge base; the
vocabulary for corrections is the forums' own text (titles and visible posts). "Did you mean"
is offered when a word was corrected.

A topic scores, for each concept of the query, 3 when its title holds it and 1 when one of its
visible posts does; ties go to the most recent activity. The match per term:

* PostgreSQL: full-text search with the `english` configuration (stemmed);
* SQLite (development, tests): a whole-word regular expression on a light stem of each word
  ("resetting" and "resets" both find "reset").

Excerpts come from the best visible post (the first one that matches, else the question), cut
by the knowledge base's `support.search.excerpt`: the matched words between `MARK_START` and
`MARK_END`, which only the template filter `search_excerpt` turns into <mark>, after escaping
everything else.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Value, When

from support.search import (
    PG_CONFIG,
    STOP_WORDS,
    SearchResult,
    Term,
    VocabularyCache,
    excerpt,
    pg_search_query,
    query_understand,
    term_regex,
)

from .models import Post, Topic, Visibility
from .selectors import topics_visible_to

TITLE_SCORE = 3
POST_SCORE = 1


# --- the forums' own words, for typo correction ------------------------------------------------


def _visible_posts():
    return Post.objects.filter(visibility=Visibility.VISIBLE, topic__visibility=Visibility.VISIBLE)


def _forum_stamp() -> tuple:
    posts = _visible_posts().aggregate(n=Count("id"), last=Max("id"), edited=Max("edited_at"))
    topics = Topic.objects.filter(visibility=Visibility.VISIBLE).aggregate(n=Count("id"), last=Max("id"))
    return (*posts.values(), *topics.values())


def _forum_texts() -> Iterable[str]:
    yield from Topic.objects.filter(visibility=Visibility.VISIBLE).values_list("title", flat=True).iterator()
    yield from _visible_posts().values_list("body", flat=True).iterator()


FORUM_WORDS = VocabularyCache(stamp=_forum_stamp, texts=_forum_texts)


# --- the one read API --------------------------------------------------------------------------


@dataclass
class TopicHit:
    topic: Topic
    excerpt: str  # plain text; matched words between MARK_START and MARK_END


@dataclass
class ForumSearch(SearchResult[TopicHit]):
    @property
    def topics(self) -> list[Topic]:
        return [hit.topic for hit in self.hits]


def _matches(column: str, terms: list[Term]):
    """A condition: `column` holds one of `terms` (stemmed full text, or whole stemmed words)."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector, SearchVectorExact

        return SearchVectorExact(SearchVector(column, config=PG_CONFIG), pg_search_query(terms))
    return reduce(or_, (Q(**{f"{column}__iregex": term_regex(t)}) for t in terms))


def _post_matches(terms: list[Term]):
    return Exists(_visible_posts().filter(_matches("body", terms), topic=OuterRef("pk")))


def topic_search(query: str, *, user, limit: int = 50) -> ForumSearch:
    """Topics `user` may see for what they typed, best first, with excerpts and a suggestion."""
    result = ForumSearch(query=" ".join(query.split())[:200])
    understood = query_understand(result.query, FORUM_WORDS)
    if understood is None:
        return result
    result.suggestion = understood.suggestion
    topics = topics_visible_to(user)
    score = Value(0)
    for concept in understood.concepts:
        score += Case(When(_matches("title", concept), then=Value(TITLE_SCORE)), default=Value(0))
        score += Case(When(_post_matches(concept), then=Value(POST_SCORE)), default=Value(0))
    found = list(
        topics.annotate(score=score).filter(score__gt=0).order_by("-score", "-last_posted_at", "-id")[:limit]
    )
    if not found:
        return result
    if result.suggestion:
        typed = [t for c in understood.typed_concepts for t in c]
        result.corrected = not (
            typed and topics.filter(Q(_matches("title", typed)) | Q(_post_matches(typed))).exists()
        )
    result.hits = _with_excerpts(found, understood.terms)
    return result


def _with_excerpts(topics: list[Topic], terms: list[Term]) -> list[TopicHit]:
    """Each topic with an excerpt of its first matching visible post, else of its question."""
    terms = [t for t in terms if not all(word in STOP_WORDS for word in t)]
    ids = [topic.pk for topic in topics]
    bodies: dict[int, str] = {}
    matching = (
        _visible_posts().filter(_matches("body", terms), topic_id__in=ids) if terms else Post.objects.none()
    )
    for topic_id, body in matching.order_by("created_at", "id").values_list("topic_id", "body"):
        bodies.setdefault(topic_id, body)
    missing = [pk for pk in ids if pk not in bodies]
    if missing:
        first = Post.objects.filter(topic_id__in=missing, visibility=Visibility.VISIBLE).order_by(
            "created_at", "id"
        )
        for topic_id, body in first.values_list("topic_id", "body"):
            bodies.setdefault(topic_id, body)
    return [TopicHit(topic=topic, excerpt=excerpt(bodies.get(topic.pk, ""), terms)) for topic in topics]
