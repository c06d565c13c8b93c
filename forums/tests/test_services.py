from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from forums.models import Flag, Follow, ForumEvent, Post, Topic, Visibility
from forums.services import moderation, notify, posting
from mailer.models import OutboundEmail
from support.models import Ticket

pytestmark = pytest.mark.django_db


def _topic(author, category, title="Sync stops after the update", body="It stopped syncing yesterday."):
    return posting.topic_create(author=author, category=category, title=title, body=body)


def test_topic_create_publishes_a_trusted_members_question_and_follows_it(member, category):
    topic = _topic(member, category)
    assert topic.visibility == Visibility.VISIBLE
    first = topic.posts.get()
    assert first.is_first and not first.by_staff
    assert "<p>It stopped syncing yesterday.</p>" in first.body_html
    assert Follow.objects.filter(user=member, topic=topic).exists()


def test_a_new_members_first_topic_is_held_until_approved(new_member, agent, category):
    topic = _topic(new_member, category)
    assert topic.visibility == Visibility.HELD
    post = topic.posts.get()
    assert post.visibility == Visibility.HELD
    moderation.post_approve(post=post, actor=agent)
    topic.refresh_from_db()
    assert topic.visibility == Visibility.VISIBLE
    assert new_member.forum_profile.__class__.objects.get(user=new_member).approved_posts == 1
    # Trusted from now on: the next reply is published at once.
    reply = posting.post_create(author=new_member, topic=topic, body="Still happening today.")
    assert reply.visibility == Visibility.VISIBLE
    event = ForumEvent.objects.get(action=ForumEvent.Action.POST_APPROVED)
    assert event.actor == agent and event.member == new_member


def test_staff_replies_are_badged_and_never_held(member, agent, category):
    topic = _topic(member, category)
    reply = posting.post_create(author=agent, topic=topic, body="Update the app to 4.2, then sign in again.")
    assert reply.by_staff and reply.visibility == Visibility.VISIBLE
    topic.refresh_from_db()
    assert topic.reply_count == 1


def test_accept_answer_marks_the_topic_solved(member, agent, category):
    topic = _topic(member, category)
    reply = posting.post_create(author=agent, topic=topic, body="Update the app.")
    posting.answer_accept(topic=topic, post=reply, actor=member)
    topic.refresh_from_db()
    assert topic.is_solved and topic.accepted_post == reply and topic.solved_at
    # The asker's own acceptance is not a moderation action; staff's is audited.
    assert not ForumEvent.objects.exists()
    posting.answer_accept(topic=topic, post=reply, actor=agent)
    assert ForumEvent.objects.filter(action=ForumEvent.Action.ANSWER_ACCEPTED).count() == 1


def test_the_question_itself_cannot_be_the_answer(member, category):
    topic = _topic(member, category)
    with pytest.raises(posting.ForumError):
        posting.answer_accept(topic=topic, post=topic.posts.get(), actor=member)


def test_edit_keeps_the_history(member, agent, category):
    topic = _topic(member, category)
    post = topic.posts.get()
    posting.post_edit(post=post, editor=member, body="Edited text")
    posting.post_edit(post=post, editor=agent, body="Edited by staff")
    assert [r.body for r in post.revisions.all()] == ["Edited text", "It stopped syncing yesterday."]
    assert post.edited_at and "Edited by staff" in post.body_html
    assert ForumEvent.objects.filter(action=ForumEvent.Action.POST_EDITED, actor=agent).count() == 1


def test_reply_to_a_locked_topic_is_refused_for_members_not_staff(member, agent, category):
    topic = _topic(member, category)
    moderation.topic_lock_set(topic=topic, actor=agent, locked=True)
    with pytest.raises(posting.ForumError):
        posting.post_create(author=member, topic=topic, body="me too")
    posting.post_create(author=agent, topic=topic, body="Closing note")


def test_followers_get_one_email_then_a_digest(member, other_member, agent, category):
    topic = _topic(member, category)
    posting.follow_set(user=other_member, topic=topic, following=True)
    first = posting.post_create(author=agent, topic=topic, body="First answer")
    second = posting.post_create(author=agent, topic=topic, body="Second answer")
    third = posting.post_create(author=agent, topic=topic, body="Third answer")
    emails = OutboundEmail.objects.filter(to="follower@example.com")
    assert [(e.kind, e.context["post_id"]) for e in emails] == [(notify.EMAIL_POST, first.pk)]
    assert OutboundEmail.objects.filter(to="asker@example.com", kind=notify.EMAIL_POST).count() == 1
    # Nothing is due inside the window; after it, one digest with both waiting posts.
    assert notify.digests_send() == 0
    later = timezone.now() + timedelta(minutes=61)
    assert notify.digests_send(now=later) == 2  # the asker's follow and the follower's
    digest = OutboundEmail.objects.get(to="follower@example.com", kind=notify.EMAIL_DIGEST)
    assert digest.context["post_ids"] == [second.pk, third.pk]
    assert not Follow.objects.get(user=other_member, topic=topic).pending.exists()


def test_the_author_is_never_notified_of_their_own_post(member, category):
    topic = _topic(member, category)
    posting.post_create(author=member, topic=topic, body="Bump")
    assert not OutboundEmail.objects.exists()


def test_category_followers_hear_of_new_topics(member, other_member, category):
    posting.follow_set(user=other_member, category=category, following=True)
    topic = _topic(member, category)
    email = OutboundEmail.objects.get(to="follower@example.com")
    assert email.context["post_id"] == topic.posts.get().pk


def test_held_posts_notify_only_once_approved(member, new_member, agent, category):
    topic = _topic(member, category)
    held = posting.post_create(author=new_member, topic=topic, body="Me too")
    assert not OutboundEmail.objects.filter(to="asker@example.com").exists()
    moderation.post_approve(post=held, actor=agent)
    assert OutboundEmail.objects.filter(to="asker@example.com", context__post_id=held.pk).exists()


def test_hiding_the_accepted_answer_unsolves_the_topic(member, agent, category):
    topic = _topic(member, category)
    reply = posting.post_create(author=agent, topic=topic, body="Answer")
    posting.answer_accept(topic=topic, post=reply, actor=member)
    moderation.post_visibility_set(post=reply, actor=agent, hidden=True, reason="wrong")
    topic.refresh_from_db()
    assert not topic.is_solved and topic.reply_count == 0


def test_pin_move_suspend_and_flags_are_audited(member, other_member, agent, category, announcements):
    topic = _topic(member, category)
    moderation.topic_pin_set(topic=topic, actor=agent, pinned=True)
    moderation.topic_move(topic=topic, category=announcements, actor=agent)
    post = topic.posts.get()
    posting.flag_create(post=post, reporter=other_member, reason=Flag.Reason.SPAM)
    posting.flag_create(post=post, reporter=other_member, reason=Flag.Reason.SPAM)  # once while open
    assert Flag.objects.count() == 1
    assert moderation.flags_resolve(post=post, actor=agent, hide=True) == 1
    profile = moderation.member_suspend(member=member, actor=agent, days=7, reason="spam")
    assert profile.is_suspended()
    actions = set(ForumEvent.objects.values_list("action", flat=True))
    assert {
        "topic_pinned",
        "topic_moved",
        "flag_resolved",
        "post_hidden",
        "topic_hidden",
        "member_suspended",
    } <= actions
    assert ForumEvent.objects.get(action="topic_moved").details == {
        "from": category.slug,
        "to": announcements.slug,
    }


def test_topic_to_ticket_opens_a_private_ticket_and_hides_the_thread(member, agent, category):
    topic = _topic(member, category, body="My account ID is on the screenshot, can you check it?")
    ticket = moderation.topic_to_ticket(topic=topic, actor=agent)
    topic.refresh_from_db()
    assert topic.visibility == Visibility.HIDDEN and topic.is_locked
    assert ticket.email == "asker@example.com" and ticket.account == member.account
    assert Ticket.objects.get().messages.get().body.startswith("My account ID")
    assert OutboundEmail.objects.filter(kind="support.ticket_opened", to="asker@example.com").exists()
    assert ForumEvent.objects.get(action="topic_to_ticket").details == {"ticket": ticket.number}


def test_solved_topics_close_after_the_configured_days(member, agent, category, settings):
    settings.FORUMS_SOLVED_AUTO_CLOSE_DAYS = 14
    topic = _topic(member, category)
    reply = posting.post_create(author=agent, topic=topic, body="Answer")
    posting.answer_accept(topic=topic, post=reply, actor=member)
    assert moderation.topics_solved_close() == 0
    assert moderation.topics_solved_close(now=timezone.now() + timedelta(days=15)) == 1
    topic.refresh_from_db()
    assert topic.is_locked
    assert ForumEvent.objects.get(action="topic_closed_solved").actor is None
    settings.FORUMS_SOLVED_AUTO_CLOSE_DAYS = None
    assert moderation.topics_solved_close(now=timezone.now() + timedelta(days=99)) == 0


def test_profile_names_are_public_and_unique(member, other_member):
    with pytest.raises(posting.ForumError):
        posting.profile_rename(user=other_member, display_name=member.forum_profile.display_name.upper())


def test_profile_is_created_with_a_random_name(agent):
    profile = posting.profile_get_or_create(user=agent)
    assert profile.display_name.startswith("team-") and "@" not in profile.display_name
    assert Post.objects.count() == 0 and Topic.objects.count() == 0


def test_demo_seed_has_a_solved_topic_and_runs_twice(db):
    call_command("seed_demo")
    call_command("seed_demo")
    solved = Topic.objects.get(title="Sync stops after I update the iPhone app")
    assert solved.is_solved and solved.accepted_post.by_staff and solved.reply_count == 2
    assert Topic.objects.count() == 3 and Topic.objects.filter(is_pinned=True).count() == 1
