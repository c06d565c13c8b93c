"""Browser fixtures: one Debian Chromium for the e2e package, a fresh context per journey, a live portal.

The portal runs in pytest-django's live server with the real Celery worker thread and the SMTP
catcher (both from the root conftest), so e-mails are read the way a customer reads them.
"""

import os
import re
import shutil
import uuid
from dataclasses import dataclass

import pytest

from tests.celery_control import celery_worker_started
from tests.e2e.harness import DESKTOP, REPO_ROOT, Journey

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
VENDOR_CHECK = REPO_ROOT / "static" / "vendor" / "hash-wasm.umd.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def browser():
    """Debian's Chromium driven by Playwright (Playwright's own browser download is not used).

    Started once for the e2e package and stopped when it ends: Playwright's sync API keeps an
    asyncio loop running in this thread, which tests outside tests/e2e must not inherit.
    """
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install -y chromium`.", pytrace=False)
    if not VENDOR_CHECK.exists():
        pytest.fail(
            f"{VENDOR_CHECK} is missing: run `make vendor` (the sign-in pages need it).", pytrace=False
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread; Django's ORM refuses to run in a
    # thread with a running loop unless told that this is deliberate. Kept until the loop stops.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class Site:
    """The live portal under test and the inbox its e-mails arrive in."""

    url: str
    mail: object  # conftest.SmtpCatcher

    def email(self, *, to: str, count: int = 1) -> tuple[str, str]:
        """Wait for the `count`-th e-mail to `to` and return its subject and plain-text body."""
        message = self.mail.wait_for_messages(count, to=to)[count - 1]
        return str(message["Subject"]), message.get_body(preferencelist=("plain",)).get_content()

    def email_link(self, *, to: str, path_prefix: str, count: int = 1) -> str:
        """Wait for the `count`-th e-mail to `to` and return its link that starts with `path_prefix`."""
        _, text = self.email(to=to, count=count)
        match = re.search(re.escape(self.url + path_prefix) + r"\S+", text)
        assert match, f"No {self.url}{path_prefix}… link in the e-mail to {to}:\n{text}"
        return match.group(0)

    def inboxes(self) -> set[str]:
        """Every address that received an e-mail so far."""
        return {address for message in self.mail.messages for address in _recipients(message)}


def _recipients(message) -> list[str]:
    from email.utils import getaddresses

    return [
        address.lower() for _, address in getaddresses(message.get_all("To", []) + message.get_all("Cc", []))
    ]


@pytest.fixture(scope="package")
def e2e_worker():
    """The real Celery worker thread, shared by every journey in this package.

    The root `celery_worker` fixture's set-up (tests.celery_control), but started once: stopping a worker
    takes seconds (the broker poll), which would otherwise be paid by every journey. Tasks
    read settings when they run, so each test's SMTP settings still apply.
    """
    with celery_worker_started() as app:
        yield app


def _outbox_settled(timeout: float = 10.0) -> None:
    """Wait (at most `timeout`) until the shared worker has sent what the journey queued.

    The worker outlives each journey; a task still writing when the test's tables are flushed
    makes the teardown flush wait on the database lock, or (PostgreSQL) delete rows under its feet.
    """
    import time

    from mailer.models import OutboundEmail

    busy = (OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING)
    deadline = time.monotonic() + timeout
    while OutboundEmail.objects.filter(status__in=busy).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.2)  # the last task's own bookkeeping after the row says "sent"


@pytest.fixture
def site(live_server, settings, e2e_worker, smtp_server):
    """The live server, with e-mail links built from its URL and mail sent by the real worker."""
    settings.SITE_URL = live_server.url
    yield Site(url=live_server.url, mail=smtp_server)
    _outbox_settled()


@pytest.fixture
def journey(browser, site):
    """Start a journey: `journey("sign-up")` gives a Journey in a fresh browser context.

    Each call opens its own context (own cookies), so a test can have a customer and an agent
    side by side. Any JavaScript error on any page fails the test.
    """
    contexts, journeys = [], []

    def start(name: str) -> Journey:
        context = browser.new_context(viewport=DESKTOP, base_url=site.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        journeys.append(Journey(name=name, page=context.new_page(), base_url=site.url))
        return journeys[-1]

    yield start
    try:
        for started in journeys:
            started.assert_no_js_errors()
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def unique_email():
    """A fresh address per call (rate limits are kept per address, in Redis across runs)."""
    return lambda label="customer": f"{label}-{uuid.uuid4().hex[:10]}@example.com"


@dataclass
class Customer:
    email: str
    password: str
    account: object  # accounts.models.Account


@pytest.fixture
def customer(unique_email):
    """A verified customer with an account and a known password."""
    from accounts.tests.factories import DEFAULT_PASSWORD, AccountFactory

    account = AccountFactory(user__email=unique_email())
    return Customer(email=account.user.email, password=DEFAULT_PASSWORD, account=account)


@pytest.fixture
def customer_with_vault(customer):
    """The customer, with two devices and a few vault records (what a reset erases)."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.tests.factories import DeviceFactory, VaultItemFactory

    now = timezone.now()
    DeviceFactory(
        account=customer.account, name="Work laptop", platform="windows", last_seen_at=now - timedelta(days=3)
    )
    DeviceFactory(
        account=customer.account, name="Old phone", platform="android", last_seen_at=now - timedelta(days=9)
    )
    VaultItemFactory.create_batch(3, account=customer.account)
    return customer


STAFF_PASSWORD = "Agent-Staff-Password-2024"


@pytest.fixture
def agent(unique_email):
    """A support agent: active staff in the "agent" group, with a known password."""
    from accounts.tests.factories import UserFactory
    from support.permissions import console_groups_ensure

    user = UserFactory(
        email=unique_email("agent"), is_staff=True, password=STAFF_PASSWORD, second_factor=True
    )
    user.groups.add(console_groups_ensure()["agent"])
    return Customer(email=user.email, password=STAFF_PASSWORD, account=None)


def sign_in(j: Journey, email: str, password: str) -> None:
    """Sign in through the sign-in page, as a person would."""
    j.goto("/accounts/login/")
    j.page.get_by_label("Email").fill(email)
    j.page.get_by_label("Password").fill(password)
    j.page.get_by_role("button", name="Sign in", exact=True).click()


def staff_sign_in(j: Journey, email: str, password: str) -> None:
    """Staff sign in with the password, then their authenticator code (issue 15: the factory's
    TEST_TOTP_SECRET), and do not trust the browser."""
    from accounts.tests.factories import totp_code

    sign_in(j, email, password)
    j.page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" in url)
    j.page.get_by_label("Code from your authenticator app").fill(totp_code())
    j.page.get_by_role("button", name="Sign in", exact=True).click()
    j.page.get_by_role("button", name="Ask every time").click()
    j.page.wait_for_url(lambda url: "/accounts/2fa/" not in url)


def virtual_authenticator(j: Journey) -> tuple[object, str]:
    """Give the journey's browser a passkey device: Chromium's virtual authenticator (CDP WebAuthn),
    built in, with a resident key and a user who always passes the fingerprint check.

    Returns the CDP session and the authenticator id, for `WebAuthn.setUserVerified` and the like.
    """
    cdp = j.page.context.new_cdp_session(j.page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]
