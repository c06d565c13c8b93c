import pytest

from accounts.kdf import NO_AUTH_KEY
from accounts.tests.factories import AccountFactory
from accounts.tests.zk import new_password_data
from resets.forms import ResetCompleteForm

pytestmark = pytest.mark.django_db

PASSWORD = "Lighthouse-Parsnip-8812"


def _form(account, **overrides):
    data = {
        **new_password_data(PASSWORD),
        "hint": "",
        "confirm_email": account.user.email,
        "confirm_erase": "on",
    }
    data.update(overrides)
    return ResetCompleteForm(data, user=account.user)


def test_the_form_takes_the_auth_key_and_its_parameters():
    account = AccountFactory()
    form = _form(account, hint="the lamp by the sea")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["auth_key"] == new_password_data(PASSWORD)["auth_key"]
    assert form.cleaned_data["kdf"].salt == new_password_data(PASSWORD)["kdf_salt"]
    assert "password1" not in form.fields and "password2" not in form.fields


def test_a_password_is_never_accepted_in_place_of_the_auth_key():
    account = AccountFactory()
    form = _form(account, auth_key="", password1=PASSWORD, password2=PASSWORD)
    assert not form.is_valid()
    assert form.non_field_errors() == [NO_AUTH_KEY]


def test_a_good_hint_is_kept_in_the_form_when_another_field_fails():
    account = AccountFactory()
    form = _form(account, confirm_erase="", hint="the lamp by the sea")
    assert not form.is_valid()
    assert "hint" not in form.errors
    assert 'value="the lamp by the sea"' in str(form["hint"])


def test_the_auth_key_is_never_rendered_back():
    account = AccountFactory()
    form = _form(account, confirm_erase="")
    assert not form.is_valid()
    assert new_password_data(PASSWORD)["auth_key"] not in str(form)
