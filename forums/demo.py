"""Demo forum topics: a solved question answered by the Vault team, a pinned announcement, an open request."""

from django.db import transaction

from accounts.models import User

from .models import Category, ForumProfile, Topic
from .services import moderation, posting

SOLVED_TITLE = "Sync stops after I update the iPhone app"


@transaction.atomic
def forums_demo_seed(*, customer_email: str, agent_email: str) -> bool:
    """Seed the demo topics unless they exist; return True when they were created now."""
    customer = User.objects.filter(email=customer_email).first()
    agent = User.objects.filter(email=agent_email).first()
    if customer is None or agent is None or Topic.objects.filter(title=SOLVED_TITLE).exists():
        return False
    categories = {category.slug: category for category in Category.objects.all()}
    posting.profile_get_or_create(user=customer)
    ForumProfile.objects.filter(user=customer).update(display_name="alex-demo", approved_posts=3)
    posting.profile_get_or_create(user=agent)
    ForumProfile.objects.filter(user=agent).update(display_name="sam-vault")

    welcome = posting.topic_create(
        author=agent,
        category=categories["announcements"],
        title="Welcome to the Vault community forums",
        body=(
            "Ask other Vault users and the **Vault team** here.\n\n"
            "* Never post your Account Password, your account ID or your QR code.\n"
            "* For anything about your own account, [write to support](/help/contact/).\n"
            "* Mark the reply that solved your question as the accepted answer: it helps the next person."
        ),
    )
    moderation.topic_pin_set(topic=welcome, actor=agent, pinned=True)

    solved = posting.topic_create(
        author=customer,
        category=categories["sync-and-devices"],
        title=SOLVED_TITLE,
        body=(
            "Since updating the iPhone app this morning, new items I add on my laptop don't show up on "
            "the phone. The laptop syncs fine. Anyone else?"
        ),
    )
    answer = posting.post_create(
        author=agent,
        topic=solved,
        body=(
            "Thanks for the report! Version 4.2.0 paused background sync after the update. Open the app "
            "once, then go to **Settings → Sync → Sync now**; 4.2.1 fixes it for good."
        ),
    )
    posting.post_create(author=customer, topic=solved, body="That did it, thank you!")
    posting.answer_accept(topic=solved, post=answer, actor=customer)

    posting.topic_create(
        author=customer,
        category=categories["feature-requests"],
        title="Export my vault to a CSV file",
        body="I would like an export I can open in a spreadsheet, for a printed backup kept in a safe.",
    )
    return True
