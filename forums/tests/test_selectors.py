import pytest

from forums import selectors
from forums.services import moderation, posting

pytestmark = pytest.mark.django_db


def test_the_flag_queue_holds_only_posts_with_an_open_flag(member, other_member, agent, category):
    def topic(title):
        return posting.topic_create(author=member, category=category, title=title, body="Since Monday.")

    flagged, quiet, resolved = topic("Buy cheap keys"), topic("Sync is slow"), topic("Export to CSV?")
    posting.flag_create(post=flagged.posts.get(), reporter=other_member, reason="spam")
    posting.flag_create(post=resolved.posts.get(), reporter=other_member, reason="off_topic")
    moderation.flags_resolve(post=resolved.posts.get(), actor=agent, hide=False)

    queue = list(selectors.moderation_queue()["flagged"])

    assert queue == [flagged.posts.get()]
    assert quiet.posts.get() not in queue
