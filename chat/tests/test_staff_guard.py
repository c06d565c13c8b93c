"""The chat's agent side and the support console let in exactly the same people (one guard)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.tests.factories import AccountFactory, UserFactory
from support.permissions import console_groups_ensure

pytestmark = pytest.mark.django_db

CHAT_CONSOLE = "/support/chat/"
SUPPORT_CONSOLE = "/support/"


def _user(kind: str):
    groups = console_groups_ensure()
    if kind == "anonymous":
        return None
    if kind == "customer":
        return AccountFactory().user
    if kind == "staff_without_group":
        return UserFactory(is_staff=True)
    if kind == "agent_not_staff":
        user = UserFactory(is_staff=False)
    elif kind == "inactive_agent":
        user = UserFactory(is_staff=True, is_active=False)
    elif kind == "agent_group_without_permission":
        user = UserFactory(is_staff=True)
        groups["agent"].permissions.clear()
    elif kind in ("agent", "supervisor"):
        user = UserFactory(is_staff=True, second_factor=True)
    elif kind == "agent_without_second_factor":
        user = UserFactory(is_staff=True)
    else:
        raise AssertionError(kind)
    user.groups.add(Group.objects.get(name="supervisor" if kind == "supervisor" else "agent"))
    return user


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("anonymous", False),
        ("customer", False),
        ("staff_without_group", False),
        ("agent_not_staff", False),
        ("inactive_agent", False),
        ("agent_group_without_permission", False),
        ("agent", True),
        ("supervisor", True),
        ("agent_without_second_factor", 403),
    ],
)
def test_chat_console_and_support_console_refuse_the_same_users(kind, allowed):
    client = Client()
    user = _user(kind)
    if user is not None:
        client.force_login(user)
    statuses = {path: client.get(path).status_code for path in (CHAT_CONSOLE, SUPPORT_CONSOLE)}
    expected = allowed if allowed == 403 else (200 if allowed else 404)
    assert statuses == dict.fromkeys(statuses, expected)
    if allowed == 403:  # staff without a second factor: told so and led to enrolment
        page = client.get(CHAT_CONSOLE).content.decode()
        assert "Add a second factor first" in page and "/accounts/2fa/" in page
