"""Every second-factor page (allauth.mfa, templates/mfa/) in the portal's look, reached by clicking.

One customer, from the account page: the overview → set up the authenticator app (the key read
from the page, codes from pyotp) → recovery codes shown once, downloaded, made again → a passkey
added (Chromium's virtual authenticator), listed and renamed → signed out, signed in with a code
(after a wrong one) → "trust this browser" → signed in again without a code → "Confirm it is you"
with the passkey, then the passkey removed → "Confirm it is you" with a code, then the app removed.
Each page is checked by the harness (axe at 1280 and 375 px, labels, overflow, console errors) and,
with SCREENSHOTS=1, saved as docs/screenshots/second-factors-<step>-{1280,375}.png.
"""

import logging
import re
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect

from .conftest import sign_in, virtual_authenticator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Code from your authenticator app, or a recovery code"


class AuthenticatorApp:
    """The customer's phone app: the key typed in from the page, and the codes it has shown.

    allauth accepts the code of the current 30-second step and of the one either side
    (MFA_TOTP_TOLERANCE = 1), each once; the app hands out one it has not used yet.
    """

    def __init__(self, key: str):
        self.totp = pyotp.TOTP(key)
        self.used: set[str] = set()

    def code(self) -> str:
        now = time.time()
        for step in (0, 1, -1):
            code = self.totp.at(now + step * self.totp.interval)
            if code not in self.used:
                self.used.add(code)
                return code
        raise AssertionError("every code of the accepted window was used already")


def _heading(j):
    return j.page.get_by_role("heading", level=1)


def _sign_out(j) -> None:
    j.page.get_by_role("button", name="Sign out", exact=True).click()
    j.page.wait_for_url(lambda url: "/account/" not in url)


def _wait_until_reauthentication_is_due(j, settings, seconds: int = 4) -> None:
    """Age the last sign-in past allauth's re-authentication window (shortened for the journey)."""
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = seconds
    j.page.wait_for_timeout(seconds * 1000 + 500)


def test_every_second_factor_page_by_clicking(journey, customer, site, settings, caplog):
    caplog.set_level(logging.INFO)
    j = journey("second-factors")
    cdp, authenticator_id = virtual_authenticator(j)
    page = j.page

    # The account page leads to the overview; nothing is enrolled yet.
    sign_in(j, customer.email, customer.password)
    page.wait_for_url(j.url("/account/"))
    page.get_by_role("link", name="Manage second factors").click()
    expect(_heading(j)).to_have_text("Second factors")
    expect(page.get_by_text("Your account is protected by your password only")).to_be_visible()
    j.step("overview-empty")

    # Setting up the app first asks for the password again (allauth's re-authentication).
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(_heading(j)).to_have_text("Confirm it is you")
    page.get_by_label("Account Password").fill(customer.password)
    page.get_by_role("button", name="Confirm").click()

    # The app page: what to install, the QR code and the key for typing it in, then a code.
    expect(_heading(j)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code for your authenticator app"))).to_be_visible()
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", key), key
    j.step("app-setup")
    app = AuthenticatorApp(key)

    page.get_by_label("6-digit code from the app").fill("not-a-code")
    page.get_by_role("button", name="Turn on the authenticator app").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Incorrect code")
    expect(summary).to_be_focused()
    expect(page.get_by_label("6-digit code from the app")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#totp-key").inner_text().replace(" ", "") == key  # the same key, still
    j.step("app-setup-wrong-code")

    page.get_by_label("6-digit code from the app").fill(app.code())
    page.get_by_role("button", name="Turn on the authenticator app").click()

    # The first factor makes the recovery codes: shown once, downloadable.
    expect(_heading(j)).to_have_text("Your recovery codes")
    expect(page.get_by_role("heading", name="Shown once: download them or write them down")).to_be_visible()
    expect(page.get_by_text("The authenticator app is set up")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", code) for code in codes), codes
    j.step("recovery-codes")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the codes").click()
    download = download_info.value
    assert download.suggested_filename == "vault-recovery-codes.txt"
    downloaded = Path(download.path()).read_text(encoding="utf-8")
    assert customer.email in downloaded and all(code in downloaded for code in codes)
    expect(page.get_by_role("button", name="Print the codes")).to_be_visible()

    # Leaving without saying they are saved: a reminder, and the focus on the box to tick.
    page.get_by_role("link", name="Done").click()
    saved = page.get_by_label("I have downloaded or written down my recovery codes")
    expect(page.locator("[data-codes-reminder]")).to_contain_text("They cannot be shown again")
    expect(saved).to_be_focused()
    saved.check()
    page.get_by_role("link", name="Done").click()

    expect(_heading(j)).to_have_text("Second factors")
    expect(page.get_by_text("Set up on")).to_be_visible()
    expect(page.get_by_text("10 of 10 codes left.")).to_be_visible()
    j.step("overview-app")
    assert key not in page.content()  # the key was on the set-up page only

    # Once seen, the codes page cannot show them again (no link leads there any more: a bookmark
    # or the Back button does), and offers new ones.
    j.goto("/accounts/2fa/recovery-codes/")
    expect(page.get_by_text("They were shown once, when they were made")).to_be_visible()
    assert not any(code in page.content() for code in codes)
    j.step("recovery-codes-seen")
    page.get_by_role("link", name="Make new recovery codes").click()
    expect(_heading(j)).to_have_text("Make new recovery codes")
    expect(page.get_by_text("You still have 10 unused codes")).to_be_visible()
    j.step("recovery-codes-new")
    page.get_by_role("button", name="Make new codes").click()
    expect(_heading(j)).to_have_text("Your recovery codes")
    new_codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    page.get_by_label("I have downloaded or written down my recovery codes").check()
    page.get_by_role("link", name="Done").click()

    # A passkey. A cancelled fingerprint check gets plain words, then it works.
    page.get_by_role("link", name="Add a passkey").click()
    expect(_heading(j)).to_have_text("Add a passkey")
    expect(page.get_by_label("Also sign in with this passkey, instead of my password")).to_be_checked()
    page.get_by_label("Name for this passkey").fill("Work laptop")
    j.step("passkey-add")
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator_id, "isUserVerified": False})
    page.get_by_role("button", name="Add the passkey").click()
    expect(page.locator("[data-webauthn-status]")).to_contain_text("The passkey was not used")
    j.step("passkey-add-cancelled")
    cdp.send("WebAuthn.setUserVerified", {"authenticatorId": authenticator_id, "isUserVerified": True})
    page.get_by_role("button", name="Add the passkey").click()
    page.wait_for_url(j.url("/accounts/2fa/"))
    expect(page.get_by_text("The passkey was added to your account.")).to_be_visible()
    expect(page.get_by_text("You have 1 passkey.")).to_be_visible()
    j.step("overview-app-and-passkey")

    page.get_by_role("link", name="Manage passkeys").click()
    expect(_heading(j)).to_have_text("Your passkeys")
    expect(page.locator(".factor-item")).to_contain_text("Work laptop")
    expect(page.locator(".factor-item")).to_contain_text("Signs you in")
    j.step("passkey-list")
    page.get_by_role("link", name="Rename Work laptop").click()
    expect(_heading(j)).to_have_text("Rename a passkey")
    expect(page.get_by_label("Name for this passkey")).to_have_value("Work laptop")
    j.step("passkey-rename")
    page.get_by_label("Name for this passkey").fill("My phone")
    page.get_by_role("button", name="Save the name").click()
    expect(_heading(j)).to_have_text("Your passkeys")
    expect(page.locator(".factor-item")).to_contain_text("My phone")

    # Signed out and in again: the code step, a wrong code, the right one, then "trust this browser".
    _sign_out(j)
    sign_in(j, customer.email, customer.password)
    page.wait_for_url(j.url("/accounts/2fa/authenticate/"))
    expect(_heading(j)).to_have_text("One more step to sign in")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    j.step("sign-in-second-step")
    page.get_by_label(CODE_LABEL).fill("12345678")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Incorrect code")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    j.step("sign-in-wrong-code")
    page.get_by_label(CODE_LABEL).fill(app.code())
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(j.url("/accounts/2fa/trust/"))
    expect(_heading(j)).to_have_text("Trust this browser?")
    j.step("trust")
    page.get_by_role("button", name=re.compile(r"^Trust this browser for \d+ weeks?$")).click()
    page.wait_for_url(j.url("/account/"))

    _sign_out(j)
    sign_in(j, customer.email, customer.password)
    page.wait_for_url(j.url("/account/"))  # a trusted browser: no code asked

    # "Confirm it is you" once the sign-in is old: the other ways are offered; the passkey one.
    _wait_until_reauthentication_is_due(j, settings)
    page.get_by_role("link", name="Manage second factors").click()
    page.get_by_role("link", name="Manage passkeys").click()
    page.get_by_role("link", name="Remove My phone").click()
    expect(_heading(j)).to_have_text("Confirm it is you")
    expect(page.get_by_role("link", name="Use a passkey")).to_be_visible()
    expect(page.get_by_role("link", name=CODE_LABEL.replace("Code", "Use a code"))).to_be_visible()
    j.step("confirm-choose-a-way")
    page.get_by_role("link", name="Use a passkey").click()
    expect(_heading(j)).to_have_text("Confirm it is you")
    j.step("confirm-with-passkey")
    page.get_by_role("button", name="Use a passkey").click()
    expect(_heading(j)).to_have_text("Remove the passkey “My phone”?")
    j.step("passkey-remove")
    page.get_by_role("button", name="Remove the passkey").click()
    expect(page.get_by_text("The passkey was removed from your account.")).to_be_visible()
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()

    # "Confirm it is you" with a code, then the app removed: the last factor, as the page warns.
    _wait_until_reauthentication_is_due(j, settings)
    page.get_by_role("link", name="Second factors").click()
    page.get_by_role("link", name="Remove the authenticator app").click()
    page.get_by_role("link", name=CODE_LABEL.replace("Code", "Use a code")).click()
    expect(_heading(j)).to_have_text("Confirm it is you")
    j.step("confirm-with-code")
    page.get_by_label(CODE_LABEL).fill(app.code())
    page.get_by_role("button", name="Confirm").click()
    expect(_heading(j)).to_have_text("Remove the authenticator app?")
    expect(page.get_by_role("heading", name="This is your only second factor")).to_be_visible()
    j.step("app-remove")
    page.get_by_role("button", name="Remove the authenticator app").click()
    expect(page.get_by_text("The authenticator app was removed from your account.")).to_be_visible()
    expect(page.get_by_text("Your account is protected by your password only")).to_be_visible()
    expect(page.get_by_text("You get them when you add your first passkey")).to_be_visible()

    # Every change was e-mailed to the owner (our own e-mail kind); no key or code in any of them,
    # nor in the server's log.
    messages = site.mail.wait_for_messages(7, to=customer.email)
    subjects = [str(message["Subject"]) for message in messages]
    assert sum("second factor was added" in s for s in subjects) >= 3, subjects  # app, codes, passkey
    assert any("New recovery codes were made" in s for s in subjects), subjects
    assert sum("second factor was removed" in s for s in subjects) >= 3, subjects  # passkey, app, codes
    bodies = " ".join(message.as_string() for message in messages)
    for secret in [key, *codes, *new_codes]:
        assert secret not in bodies
        assert secret not in caplog.text
