"""Forum search: PostgreSQL full-text (ranked, stemmed) where available, a word match on SQLite."""

import pytest
from django.db import connection

from forums.selectors import topic_search
from forums.services import moderation, posting

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics(member, agent, category):
    in_title = posting.topic_create(
        author=member, category=category, title="Sync stops on my iPhone", body="Nothing new shows up."
    )
    in_reply = posting.topic_create(
        author=member, category=category, title="Laptop app is slow", body="It takes a minute to open."
    )
    posting.post_create(author=agent, topic=in_reply, body="Turn off sync for old devices, then restart.")
    unrelated = posting.topic_create(
        author=member, category=category, title="Printing a backup", body="Can I print my vault?"
    )
    hidden = posting.topic_create(
        author=member, category=category, title="Sync secret leak", body="Sync details."
    )
    moderation.topic_visibility_set(topic=hidden, actor=agent, hidden=True)
    return {"title": in_title, "reply": in_reply, "unrelated": unrelated, "hidden": hidden}


def test_title_matches_rank_first_and_replies_count(topics, other_member):
    found = topic_search("sync", user=other_member)
    assert found[:2] == [topics["title"], topics["reply"]]
    assert topics["unrelated"] not in found and topics["hidden"] not in found


def test_hidden_topics_are_never_found(topics, agent, other_member):
    """Staff reach hidden topics from the moderation log; search shows what members see."""
    assert list(topic_search("secret leak", user=agent)) == []
    assert list(topic_search("secret leak", user=other_member)) == []


def test_empty_and_odd_queries(topics, other_member):
    assert list(topic_search("   ", user=other_member)) == []
    assert topic_search('"unbalanced -quote OR', user=other_member) is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search")
def test_postgres_stems_words(topics, other_member):
    assert topics["title"] in topic_search("syncing stopped", user=other_member)
