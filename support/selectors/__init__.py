"""Reads for the console and the help pages (one module per area, like `support.services`).

Every console read names the columns it loads (`only`) so that secret columns are never even
fetched, and uses a fixed number of queries whatever the account holds.
"""

from .console import (
    ACCOUNT_COLUMNS,
    HISTORY_LIMIT,
    AccountDossier,
    SearchResult,
    account_dossier,
    audit_events,
    console_account,
    console_search,
    staff_second_factors,
    support_staff,
    ticket_counts,
    ticket_for_console,
    ticket_for_customer,
    ticket_public_messages,
    ticket_queue,
)
from .knowledge import (
    article_comments,
    article_related,
    article_scores,
    article_search,
    article_vote_of,
    articles_published,
    categories_with_articles,
    category_published,
)
from .tickets import customer_ticket, customer_ticket_addresses, customer_tickets

__all__ = [
    "ACCOUNT_COLUMNS",
    "AccountDossier",
    "HISTORY_LIMIT",
    "SearchResult",
    "account_dossier",
    "article_comments",
    "article_related",
    "article_scores",
    "article_search",
    "article_vote_of",
    "articles_published",
    "audit_events",
    "categories_with_articles",
    "category_published",
    "console_account",
    "console_search",
    "customer_ticket",
    "customer_ticket_addresses",
    "customer_tickets",
    "staff_second_factors",
    "support_staff",
    "ticket_counts",
    "ticket_for_console",
    "ticket_for_customer",
    "ticket_public_messages",
    "ticket_queue",
]
