"""The account page across apps: closing cancels pending resets; the "what next" banner after a reset."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_close
from accounts.tests.factories import AccountFactory
from resets.models import ResetRequest
from resets.tests.factories import ResetRequestFactory, pending_reset

pytestmark = pytest.mark.django_db


def test_closing_the_account_cancels_its_pending_reset():
    reset_request, _, _ = pending_reset()
    account = reset_request.account
    ended = account_close(account=account, closed_by=account.user)
    assert ended["resets_cancelled"] == 1
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED


def test_account_page_says_what_to_do_next_after_a_reset():
    account = AccountFactory()
    ResetRequestFactory(account=account, state=ResetRequest.State.COMPLETED, finished_at=timezone.now())
    client = Client()
    client.force_login(account.user)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "what to do next" in html
    assert reverse("help:article", args=["after-a-reset"]) in html


def test_no_banner_long_after_a_reset():
    account = AccountFactory()
    ResetRequestFactory(
        account=account,
        state=ResetRequest.State.COMPLETED,
        finished_at=timezone.now() - timedelta(days=30),
    )
    client = Client()
    client.force_login(account.user)
    assert "what to do next" not in client.get(reverse("accounts:home")).content.decode()


def test_the_closing_article_tells_how_to_close_from_the_account_page():
    from support.models import Article

    body = Article.objects.get(slug="close-account").body
    assert "Close my account" in body and "write to support from the e-mail address" in body
