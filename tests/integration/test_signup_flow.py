"""Sign-up → verification e-mail through the real worker and a real SMTP server → sign-in."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Account
from accounts.tests.zk import new_password_data, signin_data
from mailer.models import OutboundEmail
from tests.waiting import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PASSWORD = "Marmalade-Comet-2024"


def test_signup_verification_and_sign_in_through_the_worker(celery_worker, smtp_server):
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {"email": "flow@example.com", **new_password_data(PASSWORD), "password_hint": "jam"},
    )
    assert response.status_code == 302

    [message] = smtp_server.wait_for_messages(1, to="flow@example.com")
    assert message["Subject"] == "[Vault] Confirm your e-mail address"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert PASSWORD not in text and PASSWORD not in html
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/confirm-email/\S+/)", text).group(1)
    wait_for(
        lambda: OutboundEmail.objects.filter(to="flow@example.com", status="sent").exists(),
        message="the outbox row marked sent",
    )

    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    signed_in = client.post(reverse("account_login"), signin_data("flow@example.com", PASSWORD))
    assert signed_in.status_code == 302
    page = client.get(reverse("accounts:home"))
    assert Account.objects.get(user__email="flow@example.com").account_id in page.content.decode()
