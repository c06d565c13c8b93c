"""For any account state, a completed reset keeps the licence rows byte for byte and no vault row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import License, LicenseChange, VaultItem
from accounts.tests.factories import (
    AccountFactory,
    DeviceFactory,
    VaultItemFactory,
    VerifierFactory,
    credentials_for,
)
from resets import services
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

account_states = st.fixed_dictionaries(
    {
        "plan": st.sampled_from(License.Plan.values),
        "status": st.sampled_from(License.Status.values),
        "seats": st.integers(min_value=1, max_value=500),
        "expires_in_days": st.none() | st.integers(min_value=-400, max_value=4000),
        "history": st.integers(min_value=0, max_value=4),
        "items": st.integers(min_value=0, max_value=12),
        "tombstones": st.integers(min_value=0, max_value=5),
        "devices": st.integers(min_value=0, max_value=3),
        "revoked_devices": st.integers(min_value=0, max_value=2),
        "verifiers": st.integers(min_value=0, max_value=3),
        "key_generation": st.integers(min_value=1, max_value=50),
        "earlier_requests": st.integers(min_value=0, max_value=2),
    }
)


def _raw_rows(table: str, column: str, value) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {column} = %s ORDER BY id", [value])  # noqa: S608
        return cursor.fetchall()


def _account_in(state):
    account = AccountFactory(key_generation=state["key_generation"], license__plan=state["plan"])
    license = account.license
    License.objects.filter(pk=license.pk).update(
        status=state["status"],
        seats=state["seats"],
        expires_at=(
            timezone.now() + timedelta(days=state["expires_in_days"])
            if state["expires_in_days"] is not None
            else None
        ),
    )
    for n in range(state["history"]):
        LicenseChange.objects.create(
            license=license,
            plan=state["plan"],
            status=state["status"],
            seats=n + 1,
            starts_at=timezone.now() - timedelta(days=n),
            reason=f"change {n}",
        )
    VaultItemFactory.create_batch(state["items"], account=account)
    VaultItemFactory.create_batch(state["tombstones"], account=account, deleted=True)
    DeviceFactory.create_batch(state["devices"], account=account)
    DeviceFactory.create_batch(state["revoked_devices"], account=account, revoked_at=timezone.now())
    VerifierFactory.create_batch(state["verifiers"], account=account)
    for _ in range(state["earlier_requests"]):
        pending_reset(account)
    return account


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=account_states, bystander_items=st.integers(min_value=0, max_value=4))
def test_reset_keeps_licence_rows_byte_for_byte_and_leaves_no_vault_row(state, bystander_items):
    account = _account_in(state)
    bystander = AccountFactory()
    VaultItemFactory.create_batch(bystander_items, account=bystander)
    license_before = _raw_rows("accounts_license", "account_id", account.pk)
    history_before = _raw_rows("accounts_licensechange", "license_id", account.license.pk)
    identity_before = (account.account_id, account.user.email, account.user_id, account.created_at)
    _, token, _ = pending_reset(account)

    services.reset_complete(token=token, **credentials_for("Brand-new-Passphrase-77"), hint="")

    assert _raw_rows("accounts_license", "account_id", account.pk) == license_before
    assert _raw_rows("accounts_licensechange", "license_id", account.license.pk) == history_before
    assert not VaultItem.objects.filter(account=account).exists()
    assert VaultItem.objects.filter(account=bystander).count() == bystander_items
    account.refresh_from_db()
    assert account.key_generation == state["key_generation"] + 1
    assert (account.account_id, account.user.email, account.user_id, account.created_at) == identity_before
    assert not account.devices.filter(revoked_at__isnull=True).exists()
    assert not account.verifiers.filter(obsoleted_at__isnull=True).exists()
