"""Zero-knowledge sign-in in a real browser: the Account Password never leaves the device.

* static/js/zk.js derives, in Chromium, the same auth key as the Python reference
  (vaultclient.crypto.auth_key_derive) for the same password, salt and parameters;
* a whole journey (sign-up → sign-in → reset → sign-in) sends the password in no request
  body and no URL, only auth keys;
* while deriving, the button says so, is announced, and a second press sends nothing more;
* without JavaScript the page says why it needs it, and the server answers a submission
  without an auth key with a clear message.
"""

import re
from urllib.parse import quote, quote_plus

import pytest
from playwright.sync_api import expect

from accounts.kdf import NO_AUTH_KEY, KdfParams
from accounts.models import User
from vaultclient.crypto import auth_key_derive

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BUSY = "Protecting your password on this device…"
PASSWORD = "Juniper-Kettle-Ocean-5170"
NEW_PASSWORD = "Saffron-Glacier-Violin-2288"

# Password, salt, parameters: ASCII, a composed and a decomposed "é" (the same after NFKC), full-width
# letters (NFKC folds them), an emoji, and the production default costs.
VECTORS = [
    ("correct-horse-battery-staple", "dGVzdC1zYWx0LTE2Ynl0ZQ", 1, 1024, 1),
    ("caf\u00e9-au-lait-2024", "AAECAwQFBgcICQoLDA0ODw", 2, 2048, 1),
    ("cafe\u0301-au-lait-2024", "AAECAwQFBgcICQoLDA0ODw", 2, 2048, 1),
    ("\uff30\uff41\uff53\uff53-word-42", "_____________________w", 1, 1024, 2),
    ("lock \U0001f512 and key", "c2FsdHNhbHRzYWx0c2FsdA", 1, 1024, 1),
    ("Marmalade-Comet-2024", "dGVzdC1zYWx0LTE2Ynl0ZQ", 3, 65_536, 1),
]


def test_the_page_derives_the_same_auth_key_as_the_python_reference(journey):
    j = journey("zk-vectors")
    j.goto("/accounts/login/")
    j.page.wait_for_function("() => window.vaultZk !== undefined")
    for password, salt, iterations, memory_kib, parallelism in VECTORS:
        kdf = KdfParams(salt=salt, iterations=iterations, memory_kib=memory_kib, parallelism=parallelism)
        in_browser = j.page.evaluate(
            "([password, salt, params]) => window.vaultZk.deriveAuthKey(password, salt, params)",
            [
                password,
                salt,
                {"iterations": iterations, "memory_kib": memory_kib, "parallelism": parallelism},
            ],
        )
        assert in_browser == auth_key_derive(password, kdf), (password, salt)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", in_browser)


def test_the_page_derives_the_auth_keys_of_the_documents_test_vectors(journey):
    """docs/auth-protocol.md's vectors (the ones a client written from the document checks)."""
    import json

    from accounts.tests.test_auth_protocol_doc import _vectors

    vectors = _vectors()
    assert len(vectors) >= 3
    j = journey("zk-doc-vectors")
    j.goto("/accounts/signup/")
    j.page.wait_for_function("() => window.vaultZk !== undefined")
    for vector in vectors:
        params = {name: int(vector[name]) for name in ("iterations", "memory_kib", "parallelism")}
        in_browser = j.page.evaluate(
            "([password, salt, params]) => window.vaultZk.deriveAuthKey(password, salt, params)",
            [json.loads(vector["password (JSON)"]), vector["salt (base64url)"], params],
        )
        assert in_browser == vector["auth_key (base64url)"], vector["vector"]


def _record_requests(page) -> list[tuple[str, str, bytes]]:
    sent = []
    page.on(
        "request", lambda request: sent.append((request.method, request.url, request.post_data_buffer or b""))
    )
    return sent


def _forms_of(password: str) -> list[bytes]:
    """The password as it could appear in a body or URL: raw, URL-encoded, JSON-escaped."""
    shapes = {password, quote(password), quote_plus(password), password.encode("unicode_escape").decode()}
    return [shape.encode() for shape in shapes]


def test_a_whole_journey_never_sends_the_password(journey, site, unique_email):
    email = unique_email()
    j = journey("zk-journey")
    sent = _record_requests(j.page)

    j.goto("/accounts/signup/")
    j.page.get_by_label("Email").fill(email)
    j.page.locator("#id_password1").fill(PASSWORD)
    j.page.get_by_label("Account Password, again").fill(PASSWORD)
    j.page.get_by_role("button", name="Create account").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    j.page.goto(site.email_link(to=email, path_prefix="/accounts/confirm-email/"))
    j.page.get_by_role("button", name="Confirm").click()

    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(PASSWORD)
    j.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    j.page.get_by_role("button", name="Sign out", exact=True).click()

    j.goto("/reset/")
    j.page.locator("#id_email").fill(email)
    j.page.get_by_role("button", name="Start reset").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    j.page.goto(site.email_link(to=email, path_prefix="/reset/link/", count=2))
    j.page.get_by_label(re.compile(r"^New Account Password(?!,)")).fill(NEW_PASSWORD)
    j.page.get_by_label("New Account Password, again").fill(NEW_PASSWORD)
    j.page.get_by_label("Type your account e-mail address to confirm").fill(email)
    j.page.get_by_label(re.compile("I understand that my vault will be erased")).check()
    j.page.get_by_role("button", name="Erase my vault and reset my account").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Your account was reset")

    j.page.get_by_role("link", name="Sign in on the web").click()
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(NEW_PASSWORD)
    j.page.get_by_role("button", name="Sign in", exact=True).click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")

    posts = [(url, body) for method, url, body in sent if method == "POST"]
    assert len(sent) > 20 and len(posts) >= 8, sent  # the journey really ran
    for method, url, body in sent:
        for secret in (PASSWORD, NEW_PASSWORD):
            for shape in _forms_of(secret):
                assert shape not in body, f"the password was sent in the body of {method} {url}"
                assert shape.decode() not in url, f"the password was sent in the URL {url}"
    # What was sent instead: auth keys (one per sign-up, sign-in and reset), and pre-login asks.
    auth_key_posts = [url for url, body in posts if b"auth_key=" in body]
    assert len(auth_key_posts) == 4, auth_key_posts
    assert sum(1 for url, _ in posts if url.endswith("/api/v1/prelogin/")) == 2
    user = User.objects.get(email=email)
    assert user.kdf_memory_kib == 65_536 and user.kdf_iterations == 3
    assert PASSWORD not in user.password and NEW_PASSWORD not in user.password


def test_while_deriving_the_button_says_so_and_a_second_press_sends_nothing(journey, customer):
    j = journey("zk-busy")
    sent = _record_requests(j.page)
    j.goto("/accounts/login/")
    j.page.get_by_label("Email").fill(customer.email)
    j.page.get_by_label("Password").fill(customer.password)
    # Press, read what the page shows at once, press again while the key is being derived.
    shown = j.page.evaluate(
        """() => {
          const form = document.querySelector("form[data-zk]");
          const button = form.querySelector("button[type=submit]");
          button.click();
          const shown = {
            text: button.textContent,
            disabled: button.getAttribute("aria-disabled"),
            status: form.querySelector("[role=status]").textContent,
            live: form.querySelector("[role=status]").getAttribute("aria-live"),
          };
          button.click();
          form.requestSubmit();
          return shown;
        }"""
    )
    assert shown == {"text": BUSY, "disabled": "true", "status": BUSY, "live": "polite"}, shown
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    sign_ins = [url for method, url, _ in sent if method == "POST" and url.endswith("/accounts/login/")]
    assert len(sign_ins) == 1, sign_ins


def test_device_checks_answer_at_the_field_and_on_top_before_anything_is_sent(journey, unique_email):
    j = journey("zk-checks")
    sent = _record_requests(j.page)
    j.goto("/accounts/signup/")
    j.page.get_by_label("Email").fill(unique_email())
    j.page.locator("#id_password1").fill("short")
    j.page.get_by_label("Account Password, again").fill("shorter")
    j.page.get_by_role("button", name="Create account").click()

    summary = j.page.get_by_role("alert").filter(has_text="2 things to fix")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("at least 10 characters")
    expect(summary).to_contain_text("do not match")
    password = j.page.locator("#id_password1")
    expect(password).to_have_attribute("aria-invalid", "true")
    assert "id_password1_error" in password.get_attribute("aria-describedby").split()
    j.step("too-short")

    password.fill("password1234")
    j.page.get_by_label("Account Password, again").fill("password1234")
    j.page.get_by_role("button", name="Create account").click()
    expect(j.page.locator("#id_password1_error")).to_contain_text("too easy to guess")
    expect(j.page.get_by_label("Account Password, again")).not_to_have_attribute("aria-invalid", "true")
    j.step("too-weak")
    assert not [url for method, url, _ in sent if method == "POST"], "a refused password was sent"


def test_reauthentication_sends_the_auth_key(journey, customer):
    from tests.e2e.conftest import sign_in

    j = journey("zk-reauth")
    sign_in(j, customer.email, customer.password)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    j.goto("/accounts/reauthenticate/?next=/account/")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    j.step("reauthenticate")
    j.page.get_by_label("Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Confirm").click()
    expect(j.page).to_have_url(j.url("/account/"))


def test_the_email_change_page_asks_for_the_password_again_and_sends_the_auth_key(
    journey, customer, unique_email
):
    """The issue-14 e-mail change page re-authenticates with data-zk="reauth", like any other."""
    from tests.e2e.conftest import sign_in

    new_email = unique_email("moved")
    j = journey("zk-email-change")
    sign_in(j, customer.email, customer.password)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("My account")
    sent = _record_requests(j.page)
    j.goto("/account/email/")
    j.step("form")
    j.page.get_by_label("New e-mail address").fill(new_email)
    j.page.get_by_label("Your Account Password").fill(customer.password)
    j.page.get_by_role("button", name="Send the confirmation link").click()
    expect(j.page.get_by_role("heading", level=1)).not_to_have_text("Change your e-mail address")
    j.step("sent")
    posts = [(url, body) for method, url, body in sent if method == "POST"]
    assert any(url.endswith("/account/email/") and b"auth_key=" in body for url, body in posts), posts
    for _, body in posts:
        assert customer.password.encode() not in body


def test_without_javascript_the_page_explains_and_the_server_refuses_clearly(browser, site, customer):
    context = browser.new_context(java_script_enabled=False, base_url=site.url)
    try:
        page = context.new_page()
        sent = _record_requests(page)
        # (Chromium with script execution switched off by DevTools still hides <noscript>: read the HTML.)
        html = page.goto("/accounts/login/").text()
        assert re.search(
            r"<noscript>\s*<div class=\"notice notice-error\">\s*<p><strong>This page needs JavaScript", html
        )
        page.get_by_label("Email").fill(customer.email)
        page.locator("#id_password").fill(customer.password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_role("alert")).to_have_text(NO_AUTH_KEY)
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        posts = [body for method, _, body in sent if method == "POST"]
        assert len(posts) == 1 and customer.password.encode() not in posts[0]

        assert "This page needs JavaScript." in page.goto("/accounts/signup/").text()
    finally:
        context.close()
