"""Forum search: the help centre's reading of a query (synonyms, typos, stemming) on both backends.

Run a second time with DATABASE_URL pointing at PostgreSQL: the same assertions hold there.
"""

import pytest
from django.urls import reverse

from forums.search import topic_search
from forums.services import moderation, posting
from support.search import MARK_END, MARK_START, excerpt, word_stem

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
    found = topic_search("sync", user=other_member).topics
    assert found[:2] == [topics["title"], topics["reply"]]
    assert topics["unrelated"] not in found and topics["hidden"] not in found


def test_hidden_topics_are_never_found(topics, agent, other_member):
    """Staff reach hidden topics from the moderation log; search shows what members see."""
    assert topic_search("secret leak", user=agent).topics == []
    assert topic_search("secret leak", user=other_member).topics == []


def test_empty_and_odd_queries(topics, other_member):
    assert topic_search("   ", user=other_member).topics == []
    assert topic_search("how do I", user=other_member).topics == []
    assert topic_search('"unbalanced -quote OR', user=other_member) is not None


def test_stems_words(topics, other_member):
    assert topics["title"] in topic_search("syncing stopped", user=other_member).topics


@pytest.fixture
def questions(member, agent, category):
    made = {
        "password": posting.topic_create(
            author=member,
            category=category,
            title="Forgot my account password",
            body="I cannot open the vault since Monday. How do I reset it?",
        ),
        "factor": posting.topic_create(
            author=member,
            category=category,
            title="Lost my second factor",
            body="The authenticator app is gone.",
        ),
        "device": posting.topic_create(
            author=member, category=category, title="Setting up a new device", body="Which steps come first?"
        ),
        "other": posting.topic_create(
            author=member, category=category, title="Dark theme request", body="Please add a dark theme."
        ),
    }
    posting.post_create(
        author=agent, topic=made["device"], body="Sign in on the new device, then scan the <b>QR</b> code."
    )
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("master password", "password"),
        ("2FA", "factor"),
        ("new phone", "device"),
        ("resetting", "password"),
        ("resett", "password"),
        ("pasword", "password"),
    ],
)
def test_the_help_centres_reading_of_a_query(questions, other_member, query, expected):
    """Synonyms of the field, stemming and typo tolerance, as the knowledge base's search."""
    found = topic_search(query, user=other_member).topics
    assert found and found[0] == questions[expected]
    assert questions["other"] not in found


def test_did_you_mean(questions, other_member):
    result = topic_search("pasword resett", user=other_member)
    assert result.suggestion == "password reset"
    assert result.corrected  # nothing holds the words as typed: these are the suggestion's hits
    assert topic_search("password", user=other_member).suggestion == ""


def test_excerpts_mark_the_matched_words(questions, other_member):
    hit = topic_search("new phone", user=other_member).hits[0]
    assert f"{MARK_START}new device{MARK_END}" in hit.excerpt
    hit = topic_search("resetting", user=other_member).hits[0]
    assert f"{MARK_START}reset{MARK_END}" in hit.excerpt


def test_search_page_escapes_excerpts_and_offers_the_correction(questions, client):
    page = client.get(reverse("forums:search"), {"q": "pasword"}).content.decode()
    assert "Forgot my account password" in page
    assert "Showing results for" in page and "?q=password" in page
    assert "for “password”</h2>" in page and "for “pasword”" not in page  # the count names the words used
    page = client.get(reverse("forums:search"), {"q": "new phone"}).content.decode()
    assert "<mark>new device</mark>" in page
    assert "&lt;b&gt;QR&lt;/b&gt;" in page and "<b>QR</b>" not in page


def test_word_stem_and_excerpt_window():
    assert [word_stem(w) for w in ["resetting", "stopped", "passwords", "sync", "devices"]] == [
        "reset",
        "stop",
        "password",
        "sync",
        "devic",
    ]
    text = "word " * 200 + "the reset button" + " word" * 200
    cut = excerpt(text, [("reset",)])
    assert cut.startswith("…") and cut.endswith("…") and f"{MARK_START}reset{MARK_END}" in cut
    assert len(cut) < 260
