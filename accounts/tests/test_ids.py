import pytest

from accounts import ids
from accounts.services import account_create
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_account_id_has_ten_unambiguous_characters():
    for _ in range(200):
        value = ids.account_id_new()
        assert len(value) == 10
        assert ids.account_id_is_valid(value)
        assert not set(value) & set("01IOL")


def test_account_id_normalise_accepts_typed_forms():
    assert ids.account_id_normalise(" abcd-efgh 23 ") == "ABCDEFGH23"


def test_account_ids_are_unique_and_a_collision_is_retried(monkeypatch):
    first = account_create(user=UserFactory())
    values = iter([first.account_id, "Z" * 10])
    monkeypatch.setattr("accounts.services.account_id_new", lambda: next(values))
    second = account_create(user=UserFactory())
    assert second.account_id == "Z" * 10
    assert second.account_id != first.account_id
