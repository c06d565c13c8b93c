"""The forums as members and the Vault team live them: ask, answer (badged), accept, follower e-mailed."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory
from forums.models import Category, ForumProfile
from support.tests.factories import ArticleFactory
from tests.e2e.conftest import sign_in, staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forum_categories():
    for position, (slug, name) in enumerate(
        [("getting-started", "Getting started"), ("sync-and-devices", "Sync and devices")]
    ):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def _signed_in(j, email, password):
    """Sign in and wait until the sign-in page is left (it hashes in the browser first)."""
    sign_in(j, email, password)
    expect(j.page).not_to_have_url(re.compile(r"/accounts/login/"))


def _trusted(customer, name):
    ForumProfile.objects.create(user=customer.account.user, display_name=name, approved_posts=1)


def test_member_asks_staff_answer_asker_accepts_follower_is_emailed(
    journey, site, customer, agent, unique_email, forum_categories
):

    ArticleFactory(title="Fix sync after an app update", slug="fix-sync-after-update")
    _trusted(customer, "alex")
    follower_account = AccountFactory(user__email=unique_email("follower"))
    follower_email = follower_account.user.email
    ForumProfile.objects.create(user=follower_account.user, display_name="watcher", approved_posts=1)

    # The customer asks, from the header's third door.
    asker = journey("forums-asker")
    _signed_in(asker, customer.email, customer.password)
    asker.goto("/")
    asker.page.get_by_role("navigation", name="Main").get_by_role("link", name="Forums").click()
    expect(asker.page.get_by_role("heading", level=1)).to_have_text("Community forums")
    asker.step("home")
    asker.page.get_by_role("link", name="Ask a question").click()
    asker.page.wait_for_load_state("load")
    asker.page.get_by_label("Category").select_option(label="Sync and devices")
    asker.page.get_by_label("Title").fill("Sync stops after the app update")
    suggestions = asker.page.locator("#forum-suggestions")
    expect(suggestions).to_be_visible()
    expect(suggestions.get_by_role("link", name="Fix sync after an app update")).to_be_visible()
    asker.page.get_by_label("Your message").fill("Since this morning my phone no longer shows new items.")
    asker.step("new-topic")
    asker.page.get_by_role("button", name="Post your question").click()
    expect(asker.page.get_by_role("heading", level=1)).to_have_text("Sync stops after the app update")
    topic_url = asker.page.url

    # Somebody else follows the topic.
    follower = journey("forums-follower")
    _signed_in(follower, follower_email, DEFAULT_PASSWORD)
    follower.page.goto(topic_url)
    follower.page.get_by_role("button", name="Follow this topic by e-mail").click()
    stop = follower.page.get_by_role("button", name="Stop following")
    expect(stop).to_be_visible()
    # The button keeps its distance from the reply card below it (it sat flush against it).
    reply_card = follower.page.locator("section.card", has=follower.page.locator("#reply-h"))
    gap = reply_card.bounding_box()["y"] - (stop.bounding_box()["y"] + stop.bounding_box()["height"])
    assert gap >= 16, f"'Stop following' is {gap:.0f} px above the reply card"

    # The Vault team answers: the reply is badged.
    staff = journey("forums-agent")
    staff_sign_in(staff, agent.email, agent.password)  # staff pass their second factor too
    staff.page.goto(topic_url)
    staff.page.get_by_label("Your message").fill("Open the app once, then **Settings → Sync → Sync now**.")
    staff.page.get_by_role("button", name="Post reply").click()
    reply = staff.page.locator("article.forum-post").nth(1)
    expect(reply).to_contain_text("Vault team")
    expect(reply).not_to_contain_text(agent.email)
    staff.step("answered")

    # The asker accepts it: shown under the question and as "Solved" in the list.
    asker.page.goto(topic_url)
    asker.page.get_by_role("button", name="Accept this answer").click()
    accepted = asker.page.get_by_role("region", name="Accepted answer")
    expect(accepted).to_contain_text("Settings → Sync → Sync now")
    asker.step("accepted")
    asker.page.get_by_role("link", name="Sync and devices").first.click()
    expect(asker.page.locator(".topic-row").first).to_contain_text("Solved")

    # The follower got the answer by e-mail, with a way out.
    subject, text = site.email(to=follower_email)
    assert subject == "[Vault forums] Re: Sync stops after the app update"
    assert "Settings → Sync → Sync now" in text and "(Vault team)" in text
    assert "/forums/unsubscribe/" in text and agent.email not in text

    # The moderation page, linked from the console.
    staff.goto("/support/")
    staff.page.get_by_role("navigation", name="Support console").get_by_role("link", name="Forums").click()
    expect(staff.page.get_by_role("heading", level=1)).to_have_text("Forum moderation")
    staff.step("moderation")


def test_a_member_flags_a_post_and_the_moderators_see_only_that_post(
    journey, site, customer, agent, unique_email, forum_categories
):
    from forums.services import posting

    _trusted(customer, "alex")
    category = Category.objects.get(slug="sync-and-devices")
    spam = posting.topic_create(
        author=customer.account.user, category=category, title="Cheap licences here", body="Buy now!"
    )
    posting.topic_create(
        author=customer.account.user, category=category, title="Sync is slow on Mondays", body="Any ideas?"
    )
    reporter = AccountFactory(user__email=unique_email("reporter"))
    ForumProfile.objects.create(user=reporter.user, display_name="careful", approved_posts=1)

    member = journey("forums-flag")
    _signed_in(member, reporter.user.email, DEFAULT_PASSWORD)
    member.goto(f"/forums/t/{spam.pk}/")
    member.page.get_by_role("link", name="Flag").first.click()
    member.page.get_by_role("button", name="Send to the moderators").click()
    why = member.page.get_by_role("group", name=re.compile("Why"))
    expect(why).to_have_attribute("aria-describedby", "id_reason_error")
    expect(member.page.locator("#id_reason_error")).to_have_text(
        "Choose why you are telling the moderators about this post."
    )
    member.step("flag-empty")
    why.get_by_label("Spam or advertising").check()
    member.page.get_by_role("button", name="Send to the moderators").click()
    expect(member.page.get_by_text("moderators will look")).to_be_visible()

    staff = journey("forums-moderation")
    staff_sign_in(staff, agent.email, agent.password)
    staff.goto("/support/")
    staff.page.get_by_role("navigation", name="Support console").get_by_role("link", name="Forums").click()
    flagged = staff.page.get_by_role("region", name="Flagged posts (1)")
    expect(flagged.get_by_role("link", name="Cheap licences here")).to_be_visible()
    expect(flagged.get_by_text("Sync is slow on Mondays")).to_have_count(0)  # never flagged
    expect(flagged.get_by_text("Spam or advertising")).to_be_visible()
    # The suspension sentence keeps its small fields on the line: "for [7] days; reason [...]".
    days = flagged.get_by_label("Suspend the author for")
    assert days.bounding_box()["width"] < 120, days.bounding_box()
    staff.step("moderation-flagged")
