"""Reads for the app API."""

from django.conf import settings
from django.db.models import F, QuerySet

from accounts.models import Account, VaultItem


def vault_changes(*, account: Account, since: int) -> tuple[list[VaultItem], bool]:
    """One page of items (tombstones too) changed after revision `since`, and whether more follow."""
    size = settings.API_VAULT_PAGE_SIZE
    items = list(
        VaultItem.objects.filter(account=account, revision__gt=since).order_by("revision")[: size + 1]
    )
    return items[:size], len(items) > size


def account_with_license(account_pk: int) -> Account:
    return Account.objects.select_related("user", "license").get(pk=account_pk)


def account_devices(account: Account) -> QuerySet:
    """The devices the apps list: signed-in ones first, then the most recently signed out
    (API_DEVICES_LISTED at most)."""
    return account.devices.order_by(
        F("revoked_at").desc(nulls_first=True), F("last_seen_at").desc(nulls_last=True), "-created_at"
    )[: settings.API_DEVICES_LISTED]


def reset_pending(account: Account):
    """The account's pending reset request, if any (owned by the resets app)."""
    from resets.selectors import reset_request_pending

    return reset_request_pending(account)
