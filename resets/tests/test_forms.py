import pytest

from accounts.tests.factories import AccountFactory
from resets.forms import ResetCompleteForm

pytestmark = pytest.mark.django_db

PASSWORD = "Lighthouse-Parsnip-8812"


def _form(account, **overrides):
    data = {
        "password1": PASSWORD,
        "password2": PASSWORD,
        "hint": "",
        "confirm_email": account.user.email,
        "confirm_erase": "on",
    }
    data.update(overrides)
    return ResetCompleteForm(data, user=account.user)


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "password123"],  # a valid password, and one refused as weak: the hint is checked against both
)
def test_a_hint_holding_the_password_is_refused_and_not_rendered_back(password):
    account = AccountFactory()
    form = _form(account, password1=password, password2=password, hint=f"it is {password.upper()}")
    assert not form.is_valid()
    assert "hint" in form.errors
    assert password.casefold() not in str(form["hint"]).casefold()


def test_a_good_hint_is_kept_in_the_form_when_another_field_fails():
    account = AccountFactory()
    form = _form(account, password2="something-else-entirely", hint="the lamp by the sea")
    assert not form.is_valid()
    assert "hint" not in form.errors
    assert 'value="the lamp by the sea"' in str(form["hint"])
