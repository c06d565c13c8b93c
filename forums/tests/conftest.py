"""Members on every side of the forums: visitors, unverified, new, trusted, suspended, staff."""

import pytest
from django.test import Client

from accounts.tests.factories import AccountFactory, UserFactory
from forums.models import Category, ForumProfile
from support.permissions import console_groups_ensure


@pytest.fixture
def groups(db):
    return console_groups_ensure()


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(slug="sync-and-devices")


@pytest.fixture
def announcements(db) -> Category:
    return Category.objects.get(slug="announcements")


def _member(email: str, *, trusted: bool = True, verified: bool = True):
    user = AccountFactory(user__email=email, user__verified=verified).user
    ForumProfile.objects.create(
        user=user, display_name=email.split("@")[0].replace("+", "-"), approved_posts=5 if trusted else 0
    )
    return user


@pytest.fixture
def member(db):
    """A verified member whose posts are published at once."""
    return _member("asker@example.com")


@pytest.fixture
def other_member(db):
    return _member("follower@example.com")


@pytest.fixture
def new_member(db):
    """A verified member with no approved post yet: their posts are held (trust level 0)."""
    return _member("newbie@example.com", trusted=False)


@pytest.fixture
def unverified(db):
    return _member("unverified@example.com", verified=False)


def _staff(email, group_names, groups):
    user = UserFactory(email=email, is_staff=True, second_factor=True)  # staff need one (issue 15)
    for name in group_names:
        user.groups.add(groups[name])
    return user


@pytest.fixture
def agent(groups):
    return _staff("agent@staff.example", ["agent"], groups)


@pytest.fixture
def supervisor(groups):
    return _staff("supervisor@staff.example", ["supervisor"], groups)


@pytest.fixture
def staff_without_group(groups):
    return _staff("nogroup@staff.example", [], groups)


@pytest.fixture
def client_for():
    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
