import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.kdf import NO_AUTH_KEY
from accounts.models import Account, License, SecurityEvent, User
from accounts.tests.factories import TEST_KDF, AccountFactory, auth_key_for
from accounts.tests.zk import new_password_data

pytestmark = pytest.mark.django_db

PASSWORD = "Tangerine-Orbit-1984"


def _signup(client, email, hint="a sunny day", password=PASSWORD, **overrides):
    """Post the sign-up form as the page script does: the auth key and its parameters, no password."""
    data = {"email": email, "password_hint": hint, **new_password_data(password), **overrides}
    return client.post(reverse("account_signup"), data)


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


def test_signup_stores_a_hash_of_the_auth_key_and_its_parameters_never_the_password(client):
    response = _signup(client, "zk@example.com")
    assert response.status_code == 302
    user = User.objects.get(email="zk@example.com")
    assert user.check_password(auth_key_for(PASSWORD))
    assert not user.check_password(PASSWORD)
    assert PASSWORD not in user.password
    assert (user.kdf_salt, user.kdf_iterations, user.kdf_memory_kib, user.kdf_parallelism) == (
        TEST_KDF.salt,
        TEST_KDF.iterations,
        TEST_KDF.memory_kib,
        TEST_KDF.parallelism,
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"auth_key": ""},
        {"auth_key": "not-a-key"},
        {"auth_key": "A" * 44},
        {"auth_key": "", "password1": PASSWORD, "password2": PASSWORD},
    ],
    ids=["missing", "malformed", "too-long", "password-instead"],
)
def test_signup_without_a_valid_auth_key_says_javascript_is_needed(client, overrides):
    response = _signup(client, "nojs@example.com", **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert NO_AUTH_KEY in html
    assert PASSWORD not in html
    assert not User.objects.filter(email="nojs@example.com").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kdf_memory_kib": "1024"}, "too weak"),
        ({"kdf_iterations": "1"}, "too weak"),
        ({"kdf_salt": ""}, "missing"),
        ({"kdf_salt": "short"}, "16 random bytes"),
    ],
)
def test_signup_with_parameters_below_the_floor_or_malformed_is_refused(client, overrides, message):
    response = _signup(client, "weak@example.com", **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()


def test_the_signup_page_never_names_a_password_input(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'data-zk="signup"' in html
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="password"' in tag:
            assert " name=" not in tag, tag
    assert '<input type="hidden" name="auth_key" value="">' in html
    assert "<noscript>" in html and "needs JavaScript" in html
    assert "vendor/hash-wasm.umd.min.js" in html and "vendor/zxcvbn-ts-core.js" in html


def test_the_hint_is_asked_for_after_the_password(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('id="id_password2"') < page.index('id="id_password_hint"')


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
