# One piece (over 300 lines): the reset pages end to end through the test client, sharing their fixtures.
import json
import re
import statistics
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.kdf import NO_AUTH_KEY, KdfParams
from accounts.models import SecurityEvent, VaultItem
from accounts.tests.factories import (
    DEFAULT_PASSWORD,
    AccountFactory,
    DeviceFactory,
    VaultItemFactory,
    auth_key_for,
)
from accounts.tests.zk import new_password_data, signin_data
from mailer.models import OutboundEmail
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Brand-new-Passphrase-77"


def _complete_data(account, **overrides):
    """The reset form as the page script posts it: the new auth key, salt and parameters, no password."""
    data = {
        **new_password_data(NEW_PASSWORD),
        "hint": "a new hint",
        "confirm_email": account.user.email,
        "confirm_erase": "on",
    }
    data.update(overrides)
    return data


def _open(client, token):
    response = client.get(reverse("resets:link_token", args=[token]))
    assert response.status_code == 302
    return response


# --- Notice and request ----------------------------------------------------------------


def test_notice_warns_offers_the_hint_and_one_field(client):
    html = client.get(reverse("resets:notice")).content.decode()
    assert "erases your vault" in html
    assert "biometrics included" in html and "change your password there instead" in html
    assert "E-mail me my password hint" in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0]  # the chat panel sits outside <main>
    assert main.count('type="email"') == 2  # one on the hint form, one on the reset form
    assert "Start reset" in html


def test_request_answers_the_same_for_known_and_unknown_addresses(client):
    account = AccountFactory()
    known = client.post(reverse("resets:request"), {"email": account.user.email})
    unknown = client.post(reverse("resets:request"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("resets:requested")
    assert known.content == unknown.content
    # Both paths wrote exactly one outbox row, and nothing else yet.
    assert OutboundEmail.objects.count() == 2
    assert ResetRequest.objects.count() == 0
    page = client.get(reverse("resets:requested"))
    assert page.status_code == 200 and "Check your inbox" in page.content.decode()


def test_hint_request_answers_the_same_for_known_and_unknown_addresses(client):
    account = AccountFactory()
    known = client.post(reverse("resets:hint"), {"hint-email": account.user.email})
    unknown = client.post(reverse("resets:hint"), {"hint-email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("resets:hint_sent")
    assert known.content == unknown.content


def test_request_timing_does_not_depend_on_the_address_being_known(client, settings):
    settings.RESET_RATE_LIMIT_PER_ADDRESS = "10000/h"
    settings.RESET_RATE_LIMIT_PER_IP = "10000/h"
    account = AccountFactory()
    samples = {"known": [], "unknown": []}
    url = reverse("resets:request")
    for _ in range(5):  # warm up
        client.post(url, {"email": "warm@example.com"})
    pairs = [("known", account.user.email), ("unknown", "nobody@example.com")]
    for i in range(40):
        for label, email in pairs if i % 2 else pairs[::-1]:
            start = time.perf_counter()
            client.post(url, {"email": email})
            samples[label].append(time.perf_counter() - start)
    known, unknown = sorted(samples["known"]), sorted(samples["unknown"])
    q = len(known) // 4
    # The distributions overlap: each inter-quartile range reaches into the other, and the
    # medians are close (both paths write one outbox row; the lookup happens in the worker).
    assert known[q] <= unknown[-q - 1] and unknown[q] <= known[-q - 1], (known, unknown)
    assert 0.67 < statistics.median(known) / statistics.median(unknown) < 1.5, (known, unknown)


def test_invalid_address_is_an_inline_error(client):
    response = client.post(reverse("resets:request"), {"email": "not-an-address"})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert OutboundEmail.objects.count() == 0


def test_rate_limit_per_address_applies_to_unknown_addresses_too(client, settings):
    settings.RESET_RATE_LIMIT_PER_ADDRESS = "2/h"
    account = AccountFactory()
    for email in (account.user.email, "nobody@example.com"):
        statuses = [client.post(reverse("resets:request"), {"email": email}).status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
    limited = client.post(reverse("resets:hint"), {"hint-email": account.user.email.upper()})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert OutboundEmail.objects.count() == 4


def test_rate_limit_per_ip(client, settings):
    settings.RESET_RATE_LIMIT_PER_IP = "3/h"
    url = reverse("resets:request")
    statuses = [
        client.post(url, {"email": f"a{i}@example.com"}, REMOTE_ADDR="198.51.100.7").status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    other_ip = client.post(url, {"email": "b@example.com"}, REMOTE_ADDR="198.51.100.8")
    assert other_ip.status_code == 302


# --- Link page -------------------------------------------------------------------------


def test_token_moves_out_of_the_url_with_no_referrer(client):
    _, token, _ = pending_reset()
    response = _open(client, token)
    assert response["Location"] == reverse("resets:link")
    assert token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(response["Location"])
    assert page.status_code == 200
    # The token-less page sends no Referer to other sites, but must let the browser send its
    # Origin with the page's own POSTs (see the test below).
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
    assert token not in page.content.decode()
    assert "default-src 'self'" in page["Content-Security-Policy"]
    html = page.content.decode()
    assert 'src="http' not in html and 'href="http' not in html and "//" not in html.split("<body")[0]


def test_link_page_repeats_the_warning_and_shows_recent_devices(client):
    account = AccountFactory()
    DeviceFactory(account=account, name="Kitchen iPad")
    DeviceFactory(account=account, name="Old phone", last_seen_at=timezone.now() - timedelta(days=45))
    VaultItemFactory.create_batch(3, account=account)
    reset_request, token, _ = pending_reset(account)
    _open(client, token)
    html = client.get(reverse("resets:link")).content.decode()
    assert "A reset erases, for good" in html
    assert "Kitchen iPad" in html and "Old phone" not in html
    assert "change your password there instead" in html
    assert "3 records" in html
    assert "Download encrypted backup" in html
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.OPENED
    assert [e.state for e in reset_request.events.all()] == ["requested", "opened"]


def test_completing_through_the_page_resets_and_does_not_sign_in(client):
    account = AccountFactory()
    VaultItemFactory.create_batch(2, account=account)
    client.force_login(account.user)
    _, token, _ = pending_reset(account)
    _open(client, token)
    response = client.post(reverse("resets:link"), _complete_data(account))
    assert response.status_code == 302 and response["Location"] == reverse("resets:done")
    assert not VaultItem.objects.filter(account=account).exists()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:home")).status_code == 302
    # The link is dead now, including from the same browser.
    assert client.get(reverse("resets:link")).status_code == 410
    _open(client, token)
    assert client.get(reverse("resets:link")).status_code == 410
    signed_in = client.post(reverse("account_login"), signin_data(account.user.email, NEW_PASSWORD))
    assert signed_in.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_completing_ends_every_web_session_and_audits_when_where_and_which_browser(client):
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session
    from django.test import Client

    account = AccountFactory()
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        assert browser.post(reverse("account_login"), signin_data(account.user.email)).status_code == 302
    session_keys = [browser.cookies["sessionid"].value for browser in (laptop, phone)]
    assert UserSession.objects.filter(user=account.user).count() == 2
    reset_request, token, _ = pending_reset(account)
    where = {
        "REMOTE_ADDR": "198.51.100.23",
        "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    }
    _open(client, token)
    assert client.get(reverse("resets:link"), **where).status_code == 200
    before = timezone.now()
    response = client.post(reverse("resets:link"), _complete_data(account), **where)
    assert response.status_code == 302

    assert not UserSession.objects.filter(user=account.user).exists()
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    for browser in (laptop, phone):
        assert browser.get(reverse("accounts:home")).status_code == 302
    opened, completed = (reset_request.events.get(state=state) for state in ("opened", "completed"))
    history = account.security_events.get(type=SecurityEvent.Type.RESET_COMPLETED)
    for event in (opened, completed, history):
        assert event.ip == "198.51.100.23" and event.user_agent == where["HTTP_USER_AGENT"]
    for event in (completed, history):
        assert before <= event.created_at <= timezone.now()
        assert event.details["sessions_ended"] == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"confirm_erase": ""}, "confirm_erase", "Tick this box"),
        ({"confirm_email": "other@example.com"}, "confirm_email", "not the e-mail address"),
    ],
)
def test_form_errors_are_shown_inline_and_nothing_is_erased(client, overrides, field, message):
    account = AccountFactory()
    VaultItemFactory(account=account)
    _, token, _ = pending_reset(account)
    _open(client, token)
    response = client.post(reverse("resets:link"), _complete_data(account, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'aria-invalid="true"' in html
    assert VaultItem.objects.filter(account=account).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"auth_key": ""}, NO_AUTH_KEY),
        ({"auth_key": "not-a-key"}, NO_AUTH_KEY),
        ({"auth_key": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, NO_AUTH_KEY),
        ({"kdf_memory_kib": "8"}, "too weak"),
        ({"kdf_salt": ""}, "missing"),
    ],
    ids=["no-auth-key", "malformed", "password-instead", "below-floor", "no-salt"],
)
def test_a_form_without_a_valid_auth_key_or_parameters_gets_a_clear_error(client, overrides, message):
    account = AccountFactory()
    VaultItemFactory(account=account)
    _, token, _ = pending_reset(account)
    _open(client, token)
    response = client.post(reverse("resets:link"), _complete_data(account, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "thing to fix" in html or "things to fix" in html
    assert NEW_PASSWORD not in html
    assert VaultItem.objects.filter(account=account).count() == 1


def test_an_empty_post_to_the_link_page_is_a_refused_form_and_erases_nothing(client):
    account = AccountFactory()
    VaultItemFactory(account=account)
    _, token, _ = pending_reset(account)
    _open(client, token)
    response = client.post(reverse("resets:link"), {})
    assert response.status_code == 400
    assert "things to fix" in response.content.decode()
    assert VaultItem.objects.filter(account=account).count() == 1


def test_the_link_page_never_names_a_password_input(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    html = client.get(reverse("resets:link")).content.decode()
    assert 'data-zk="reset"' in html
    for tag in re.findall(r"<input[^>]*>", html):
        if 'type="password"' in tag:
            assert " name=" not in tag, tag
    assert "<noscript>" in html and "needs JavaScript" in html


def test_the_same_password_as_before_works_with_a_fresh_salt(client):
    account = AccountFactory()
    old_salt = account.user.kdf_salt
    _, token, _ = pending_reset(account)
    _open(client, token)
    fresh = KdfParams(salt="ZnJlc2gtc2FsdC0xNmJ5dA", iterations=3, memory_kib=65_536, parallelism=1)
    data = _complete_data(account, **new_password_data(DEFAULT_PASSWORD, fresh))
    assert client.post(reverse("resets:link"), data).status_code == 302
    account.user.refresh_from_db()
    assert account.user.kdf_salt == fresh.salt != old_salt
    assert account.user.check_password(auth_key_for(DEFAULT_PASSWORD, fresh))


def test_dead_links_say_so(client, settings):
    _open(client, "not-a-real-token")
    response = client.get(reverse("resets:link"))
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert client.get(reverse("resets:link")).status_code == 410


# --- Backup ----------------------------------------------------------------------------


def test_backup_is_ciphertext_only_stamped_audited_and_rate_limited(client, settings):
    settings.RESET_BACKUP_RATE_LIMIT = "2/h"
    account = AccountFactory()
    items = VaultItemFactory.create_batch(3, account=account)
    reset_request, token, _ = pending_reset(account)
    _open(client, token)
    response = client.post(reverse("resets:backup"))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "same-origin"
    assert f"vault-backup-{account.account_id}-g1.json" in response["Content-Disposition"]
    backup = json.loads(b"".join(response.streaming_content))
    assert backup["account_id"] == account.account_id and backup["key_generation"] == 1
    assert {i["item_id"] for i in backup["items"]} == {str(i.item_id) for i in items}
    assert set(backup["items"][0]) == {
        "item_id",
        "ciphertext",
        "nonce",
        "generation",
        "revision",
        "deleted",
        "updated_at",
    }
    assert account.security_events.filter(type=SecurityEvent.Type.BACKUP_DOWNLOADED).count() == 1
    assert client.post(reverse("resets:backup")).status_code == 200
    assert client.post(reverse("resets:backup")).status_code == 429
    reset_request.refresh_from_db()
    assert reset_request.backup_downloaded_at is not None


def test_backup_needs_a_live_link(client):
    assert client.post(reverse("resets:backup")).status_code == 410


@pytest.mark.parametrize("path", ["resets:link", "resets:cancel"])
def test_pages_with_a_form_let_the_browser_send_its_origin(client, path):
    """Under "no-referrer" Chromium posts the page's own forms with `Origin: null`: CSRF 403."""
    reset_request, token, cancel = pending_reset()
    client.get(reverse("resets:link_token", args=[token]))
    client.get(reverse("resets:cancel_token", args=[cancel]))
    page = client.get(reverse(path))
    assert page.status_code == 200
    assert page["Referrer-Policy"] not in {"no-referrer", ""}
    assert page["Referrer-Policy"] in {"same-origin", "strict-origin", "strict-origin-when-cross-origin"}


# --- Cancel ----------------------------------------------------------------------------


def test_cancel_link_asks_then_cancels_once(client):
    reset_request, token, cancel = pending_reset()
    response = client.get(reverse("resets:cancel_token", args=[cancel]))
    assert response["Location"] == reverse("resets:cancel")
    assert response["Referrer-Policy"] == "no-referrer"
    page = client.get(reverse("resets:cancel"))
    assert page.status_code == 200 and "Cancel the reset" in page.content.decode()
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.REQUESTED  # a GET (link scanner) changes nothing
    done = client.post(reverse("resets:cancel"))
    assert "The reset is cancelled" in done.content.decode()
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED
    client.get(reverse("resets:cancel_token", args=[cancel]))
    assert client.post(reverse("resets:cancel")).status_code == 410
    _open(client, token)
    assert client.get(reverse("resets:link")).status_code == 410


def test_reset_token_does_not_work_as_cancel_token(client):
    reset_request, token, _ = pending_reset()
    client.get(reverse("resets:cancel_token", args=[token]))
    assert client.post(reverse("resets:cancel")).status_code == 410
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.REQUESTED


def test_old_password_no_longer_signs_in_after_reset(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    client.post(reverse("resets:link"), _complete_data(account))
    old = client.post(reverse("account_login"), signin_data(account.user.email, DEFAULT_PASSWORD))
    assert old.status_code == 200


def test_account_page_shows_a_pending_reset(client):
    account = AccountFactory()
    client.force_login(account.user)
    assert "Pending account reset" not in client.get(reverse("accounts:home")).content.decode()
    pending_reset(account)
    assert "Pending account reset" in client.get(reverse("accounts:home")).content.decode()


def test_a_refused_form_gets_a_page_written_for_people(db):
    """A CSRF failure (e.g. a form left open too long) explains what to do, in the site's layout."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("resets:request"), {"email": "someone@example.com"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body and "Nothing was changed" in body
    assert "CSRF" not in body and "DEBUG" not in body


def test_a_link_that_completed_its_reset_says_so_and_when(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    assert client.post(reverse("resets:link"), _complete_data(account)).status_code == 302
    _open(client, token)
    response = client.get(reverse("resets:link"))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link was already used" in html
    assert "was used to reset your account on" in html and "Sign in with your new password" in html
    assert "Nothing was changed" not in html
    assert reverse("help:ticket_new") in html


def test_the_error_summary_counts_and_lists_what_the_fields_show_above_the_form(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    data = _complete_data(account, confirm_erase="", confirm_email="other@example.com")
    html = client.post(reverse("resets:link"), data).content.decode()
    summary = html[html.index("data-error-summary") : html.index("</div>", html.index("data-error-summary"))]
    shown_at_fields = html.count('<ul class="errors"')
    assert f"{shown_at_fields} things to fix" in summary
    assert summary.count("<li>") == shown_at_fields == 2
    assert 'tabindex="-1"' in html[html.index("error-summary") - 200 : html.index("error-summary") + 200]
    # The form comes before what a reset erases, which sits beside it.
    assert html.index('id="form-h"') < html.index('id="erased-h"') < html.index('id="backup-h"')


def test_back_after_completing_the_reset_says_it_was_done_not_that_nothing_changed(client):
    """The browser's Back button reloads the link page: the session was flushed, yet the page must
    not tell someone who has just reset that nothing changed and offer a new link."""
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    assert client.post(reverse("resets:link"), _complete_data(account)).status_code == 302
    response = client.get(reverse("resets:link"))
    html = response.content.decode()
    assert response.status_code == 410
    assert "This link was already used" in html and "Sign in with your new password" in html
    assert "Nothing was changed" not in html and "Ask for a new link" not in html
    assert "_auth_user_id" not in client.session


def test_the_cancel_link_after_cancelling_says_the_reset_is_cancelled(client):
    """Back, reload or a second click on "This wasn't me": the page says the reset is cancelled."""
    reset_request, _, cancel = pending_reset()
    client.get(reverse("resets:cancel_token", args=[cancel]))
    assert client.post(reverse("resets:cancel")).status_code == 200
    for response in (
        client.get(reverse("resets:cancel")),  # Back or reload
        client.get(reverse("resets:cancel_token", args=[cancel]), follow=True),  # the e-mail link again
    ):
        html = response.content.decode()
        assert "The reset is cancelled" in html
        assert "Ask for a new link" not in html
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED


@pytest.mark.parametrize("path", ["resets:request", "resets:hint"])
def test_the_notice_forms_say_what_the_address_field_needs(client, path):
    prefix = "hint-" if path == "resets:hint" else ""
    empty = client.post(reverse(path), {f"{prefix}email": ""}).content.decode()
    assert "Enter the e-mail address of your account." in empty and "This field is required" not in empty
    wrong = client.post(reverse(path), {f"{prefix}email": "name.example.com"}).content.decode()
    assert "like name@example.com" in wrong and "Enter a valid email address" not in wrong


def test_the_signed_in_owner_cancels_a_pending_reset_from_the_account_page(client):
    """Someone who sees a reset they did not ask for, signed in, cancels it there: no e-mail to find."""
    account = AccountFactory()
    reset_request, token, _ = pending_reset(account)
    client.force_login(account.user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert f'action="{reverse("resets:cancel_signed_in")}"' in page and "Cancel this reset" in page

    response = client.post(reverse("resets:cancel_signed_in"), follow=True)
    html = response.content.decode()
    assert "The reset is cancelled" in html and "Pending account reset" not in html
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.CANCELLED
    assert reset_request.events.filter(
        state=ResetRequest.State.CANCELLED, details__via="account_page"
    ).exists()
    assert SecurityEvent.objects.filter(account=account, type=SecurityEvent.Type.RESET_CANCELLED).exists()
    client.logout()
    _open(client, token)
    assert client.get(reverse("resets:link")).status_code == 410


def test_cancelling_from_the_account_page_needs_a_signed_in_owner(client):
    reset_request, _, _ = pending_reset()
    response = client.post(reverse("resets:cancel_signed_in"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.REQUESTED
    other = AccountFactory()
    client.force_login(other.user)
    client.post(reverse("resets:cancel_signed_in"))
    reset_request.refresh_from_db()
    assert reset_request.state == ResetRequest.State.REQUESTED


def test_an_empty_vault_is_not_offered_as_a_backup_download(client):
    account = AccountFactory()
    _, token, _ = pending_reset(account)
    _open(client, token)
    html = client.get(reverse("resets:link")).content.decode()
    assert "Your vault holds no records on our servers: there is nothing to back up." in html
    assert "Download encrypted backup" not in html and "holds 0 records" not in html
    VaultItemFactory(account=account)
    html = client.get(reverse("resets:link")).content.decode()
    assert "Your vault holds 1 record." in html and "Download encrypted backup" in html
