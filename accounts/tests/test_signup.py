import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Account, License, SecurityEvent, User
from accounts.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tangerine-Orbit-1984"


def _signup(client, email, hint="a sunny day", password=PASSWORD, password2=None):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password, "password_hint": hint},
    )


def test_signup_creates_account_with_free_licence_and_sends_verification(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, "new@example.com")
    assert response.status_code == 302
    account = Account.objects.get(user__email="new@example.com")
    assert len(account.account_id) == 10
    assert account.key_generation == 1
    assert account.password_hint == "a sunny day"
    assert account.license.plan == License.Plan.FREE
    assert account.license.history.count() == 1
    assert account.security_events.filter(type=SecurityEvent.Type.SIGNED_UP).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.com"]
    assert "http://127.0.0.1:8000/accounts/confirm-email/" in message.body
    assert any(mime == "text/html" for _, mime in message.alternatives)
    assert PASSWORD not in message.body


@pytest.mark.parametrize("hint", [PASSWORD, f"it is {PASSWORD.upper()}!", PASSWORD.lower()])
def test_hint_containing_the_password_is_refused(client, hint):
    response = _signup(client, "hinty@example.com", hint=hint)
    assert response.status_code == 200
    assert "must not contain your password" in response.content.decode()
    assert PASSWORD.casefold() not in response.content.decode().casefold()
    assert not User.objects.filter(email="hinty@example.com").exists()


def test_the_hint_is_asked_for_after_the_password(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('id="id_password2"') < page.index('id="id_password_hint"')


def test_short_password_is_refused_with_a_clear_message(client):
    response = _signup(client, "short@example.com", password="Abc-12345")
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()


def test_duplicate_signup_looks_like_a_new_one_and_mails_the_owner(
    client, django_capture_on_commit_callbacks
):
    existing = AccountFactory(user__email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _signup(client, "fresh@example.com")
        client.logout()
        taken = _signup(client, "taken@example.com")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert Account.objects.get(pk=existing.pk).password_hint == "my usual hint"
    subjects = [m.subject for m in mail.outbox if m.to == ["taken@example.com"]]
    assert subjects == ["[Vault] Someone tried to sign up with your e-mail address"]


def test_signup_page_labels_every_field(client):
    html = client.get(reverse("account_signup")).content.decode()
    for field_id in ("id_email", "id_password1", "id_password2", "id_password_hint"):
        assert f'for="{field_id}"' in html
