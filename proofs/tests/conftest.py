"""Agents, an account with an unlocked app (its account key is known here), and one with nothing."""

import pytest
from django.test import Client

from accounts.models import Account, User
from accounts.tests.factories import AccountFactory, second_factor_session

from .factories import App, app_for, staff


@pytest.fixture
def agent(db) -> User:
    return staff("maya@staff.example")


@pytest.fixture
def other_agent(db) -> User:
    return staff("omar@staff.example")


@pytest.fixture
def app(db) -> App:
    """An account whose owner has an unlocked app ("Pixel 8") holding the account key."""
    return app_for(AccountFactory(user__email="owner@example.com"))


@pytest.fixture
def no_app_account(db) -> Account:
    """An account with no app and no second factor: only the e-mailed code is left."""
    return AccountFactory(user__email="noapp@example.com")


@pytest.fixture
def console_for():
    """A test client signed in as a staff member who just entered their second factor."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        second_factor_session(client, user)
        return client

    return make
