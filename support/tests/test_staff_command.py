"""`manage.py support_staff`: how an operator gives a person the agent or supervisor role."""

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from support.permissions import can_supervise, can_use_console, console_role

pytestmark = pytest.mark.django_db


def test_a_signed_up_person_becomes_an_agent_then_needs_a_second_factor(capsys):
    user = UserFactory(email="dana@vault.example")
    call_command("support_staff", " Dana@Vault.example ", "--role", "agent")
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.values_list("name", flat=True)) == ["agent"]
    assert console_role(user) and not can_use_console(user)  # no second factor yet
    out = capsys.readouterr().out
    assert "dana@vault.example is now a support agent" in out and "second factor" in out


def test_a_supervisor_with_a_second_factor_may_supervise_and_the_role_can_be_changed_back():
    user = UserFactory(second_factor=True)
    call_command("support_staff", user.email, "--role", "supervisor")
    user.refresh_from_db()
    assert can_supervise(user)
    call_command("support_staff", user.email, "--role", "agent")
    user.refresh_from_db()
    assert can_use_console(user) and not can_supervise(user)
    assert list(user.groups.values_list("name", flat=True)) == ["agent"]


def test_role_none_takes_the_console_away():
    user = UserFactory(second_factor=True)
    call_command("support_staff", user.email, "--role", "agent")
    call_command("support_staff", user.email, "--role", "none")
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists() and not console_role(user)


@pytest.mark.parametrize("verified", [False, None])
def test_only_a_confirmed_address_of_an_existing_user_is_accepted(verified):
    email = "nobody@vault.example"
    if verified is False:
        UserFactory(email=email, verified=False)
    with pytest.raises(CommandError, match="sign up") as refused:
        call_command("support_staff", email, "--role", "agent")
    assert email in str(refused.value)
