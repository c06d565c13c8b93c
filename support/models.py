"""Support: tickets and their messages, the console's audit trail, and the knowledge base."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from core.models import AppendOnlyEvent

TICKET_NUMBER_PREFIX = "T-"


def ticket_number_format(pk: int) -> str:
    """Return the number customers and agents quote for ticket `pk` (e.g. T-000123)."""
    return f"{TICKET_NUMBER_PREFIX}{pk:06d}"


def ticket_number_parse(value: str) -> int | None:
    """Return the ticket id in "T-000123", "t123" or "#123", or None if it is not a ticket number."""
    cleaned = value.strip().upper().lstrip("#").replace(" ", "")
    if cleaned.startswith("T"):
        cleaned = cleaned[1:].lstrip("-")
    return int(cleaned) if cleaned.isdigit() and len(cleaned) <= 12 else None


class Ticket(models.Model):
    """A customer's question, answered by e-mail. Its text is shown as plain text only."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        WAITING = "waiting", "Waiting on customer"
        SOLVED = "solved", "Solved"

    class Category(models.TextChoices):
        LOCKED_OUT = "locked_out", "I am locked out / account reset"
        SIGN_IN = "sign_in", "Signing in and devices"
        BILLING = "billing", "Licence and billing"
        APPS = "apps", "Using the apps"
        OTHER = "other", "Something else"

    class Source(models.TextChoices):
        WEB = "web", "Help pages"
        CHAT = "chat", "Live chat"
        CONSOLE = "console", "Support console"

    email = models.EmailField("e-mail address")
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    subject = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not a secret on its own: reply links are HMACs of (id, nonce) under SECRET_KEY.
    reply_nonce = models.CharField(max_length=32)
    # SHA-256 of the ticket's reply-address token (`reply+<token>@...`, see support/tokens.py):
    # the inbound mail paths find the ticket by it; the token itself is never stored.
    reply_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["email"]),
            models.Index(fields=["account", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def number(self) -> str:
        return ticket_number_format(self.pk)


class TicketMessage(models.Model):
    """One message in a ticket: from the customer, a reply from an agent, or an internal note."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        REPLY = "reply", "Agent reply"
        NOTE = "note", "Internal note"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self):
        return f"{self.kind} on {self.ticket_id}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


class SupportAuditEvent(AppendOnlyEvent):
    """Who did what in the console, and when. Append-only.

    Also carries the console's permissions, which a data migration gives to the groups.
    """

    class Action(models.TextChoices):
        ACCOUNT_VIEWED = "account_viewed", "Viewed account"
        RESET_EMAIL_RESENT = "reset_email_resent", "Re-sent the pending reset e-mail"
        RESET_STARTED = "reset_started", "Started a reset for the owner's address"
        SESSIONS_ENDED = "sessions_ended", "Signed out all web sessions"
        LICENSE_CHANGED = "license_changed", "Changed the licence"
        ACCOUNT_CLOSED = "account_closed", "Closed the account"
        TICKET_REPLIED = "ticket_replied", "Replied to a ticket"
        TICKET_NOTE_ADDED = "ticket_note_added", "Added an internal note"
        TICKET_UPDATED = "ticket_updated", "Changed a ticket's status or assignee"
        TICKET_CLOSED_BY_CUSTOMER = "ticket_closed_by_customer", "The customer closed their request"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="support_audit"
    )
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "-created_at"]), models.Index(fields=["-created_at"])]
        default_permissions = ("view",)
        permissions = [
            ("use_console", "Can use the support console"),
            ("change_license", "Can change a customer's licence"),
            ("close_account", "Can close a customer's account"),
        ]

    def __str__(self):
        return f"{self.action} by {self.actor_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ArticleCategory(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "article categories"

    def __str__(self):
        return self.name


class Article(models.Model):
    """A knowledge-base article; `body` is plain text with blank lines between paragraphs."""

    category = models.ForeignKey(ArticleCategory, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    keywords = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other words people search with; they weigh as much as the title.",
    )
    is_published = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    related = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="+")
    # PostgreSQL: title (A), summary (B) and body (C), written by support.search.index_articles.
    # SQLite keeps its FTS5 table instead and leaves this column empty.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["position", "title"]
        indexes = [
            # Created on PostgreSQL only (migration 0005); SQLite searches its FTS5 table.
            GinIndex(fields=["search_vector"], name="article_search_vector_gin"),
            GinIndex(fields=["title"], name="article_title_trgm", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.title


class ArticleVote(models.Model):
    """One visitor's answer to "Was this helpful?" for one article (they may change it)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    visitor = models.CharField(max_length=64)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor"], name="article_vote_one_per_visitor")
        ]

    def __str__(self):
        return f"{'yes' if self.helpful else 'no'} on {self.article_id}"
