import pytest
from django.forms.models import model_to_dict

from accounts.models import License, LicenseChange, SecurityEvent, VaultItem
from accounts.services import security_event_record
from accounts.tests.factories import AccountFactory, VaultItemFactory
from core.origin import Origin

pytestmark = pytest.mark.django_db


def _licence_rows(account):
    license = License.objects.get(account=account)
    return model_to_dict(license), [model_to_dict(c) for c in LicenseChange.objects.filter(license=license)]


def test_deleting_vault_items_in_bulk_leaves_licence_tables_untouched():
    account = AccountFactory()
    VaultItemFactory.create_batch(5, account=account)
    before = _licence_rows(account)
    VaultItem.objects.filter(account=account).delete()
    assert not VaultItem.objects.filter(account=account).exists()
    assert _licence_rows(account) == before


def test_security_events_are_append_only():
    account = AccountFactory()
    event = security_event_record(
        account=account, type=SecurityEvent.Type.SIGNED_IN, origin=Origin(ip="192.0.2.1")
    )
    event.type = SecurityEvent.Type.SIGNED_OUT
    with pytest.raises(ValueError, match="append-only"):
        event.save()
