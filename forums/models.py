"""Categories, topics, posts (with their edit history), follows, flags, members' standing, the audit trail."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyEvent


class Category(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    staff_only = models.BooleanField(default=False, help_text="Only staff open topics here (announcements).")

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Visibility(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = "held", "Held for approval"
    HIDDEN = "hidden", "Hidden by a moderator"


class Topic(models.Model):
    """A question or discussion: its first post is the question, the others replies."""

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE)
    is_pinned = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    solved_at = models.DateTimeField(null=True, blank=True)
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_pinned", "-last_posted_at", "-id"]
        indexes = [models.Index(fields=["category", "visibility", "-last_posted_at"])]

    def __str__(self):
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.accepted_post_id is not None


class Post(models.Model):
    """One message in a topic: Markdown as typed, and its sanitised HTML."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField()
    by_staff = models.BooleanField(default=False, help_text="Written by support staff: badged Vault team.")
    is_first = models.BooleanField(default=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.VISIBLE)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["topic", "visibility", "created_at"])]

    def __str__(self):
        return f"Post {self.pk} in topic {self.topic_id}"


class PostRevision(models.Model):
    """The text a post had before one edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Revision of post {self.post_id}"


class ForumProfile(models.Model):
    """A member's public name and standing: never their e-mail or account ID."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    display_name = models.CharField(max_length=40, unique=True)
    approved_posts = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return self.display_name

    def is_suspended(self, now=None) -> bool:
        return bool(self.suspended_until and self.suspended_until > (now or timezone.now()))


class Follow(models.Model):
    """A member follows a topic (every reply) or a category (every new topic)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="follows")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    last_emailed_at = models.DateTimeField(null=True, blank=True)
    # Posts that arrived inside the digest window, e-mailed together when it ends.
    pending = models.ManyToManyField(Post, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="forums_follow_topic_once"),
            models.UniqueConstraint(fields=["user", "category"], name="forums_follow_category_once"),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=False, category__isnull=True)
                | models.Q(topic__isnull=True, category__isnull=False),
                name="forums_follow_one_target",
            ),
        ]

    def __str__(self):
        if self.topic_id:
            return f"Follow of topic {self.topic_id}"
        return f"Follow of category {self.category_id}"


class Flag(models.Model):
    """A member's report of a post, waiting in the moderators' queue until resolved."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        RUDE = "rude", "Rude or abusive"
        SECRET = "secret", "It shows someone's private details or secrets"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="forums_flag_open_once",
            )
        ]

    def __str__(self):
        return f"Flag ({self.reason}) on post {self.post_id}"


class ForumEvent(AppendOnlyEvent):
    """An append-only record of a moderation action (or an automatic one, without an actor)."""

    class Action(models.TextChoices):
        POST_APPROVED = "post_approved", "Held post approved"
        POST_HIDDEN = "post_hidden", "Post hidden"
        POST_SHOWN = "post_shown", "Post shown again"
        POST_EDITED = "post_edited", "Post edited by staff"
        TOPIC_HIDDEN = "topic_hidden", "Topic hidden"
        TOPIC_SHOWN = "topic_shown", "Topic shown again"
        TOPIC_LOCKED = "topic_locked", "Topic locked"
        TOPIC_UNLOCKED = "topic_unlocked", "Topic unlocked"
        TOPIC_PINNED = "topic_pinned", "Topic pinned"
        TOPIC_UNPINNED = "topic_unpinned", "Topic unpinned"
        TOPIC_MOVED = "topic_moved", "Topic moved"
        TOPIC_CLOSED_SOLVED = "topic_closed_solved", "Solved topic closed automatically"
        TOPIC_TO_TICKET = "topic_to_ticket", "Topic moved into a private ticket"
        ANSWER_ACCEPTED = "answer_accepted", "Answer accepted by staff"
        FLAG_RESOLVED = "flag_resolved", "Flag resolved"
        MEMBER_SUSPENDED = "member_suspended", "Member suspended from posting"
        MEMBER_UNSUSPENDED = "member_unsuspended", "Member suspension lifted"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_agent = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.action} by {self.actor_id}"
