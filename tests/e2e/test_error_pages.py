"""Error pages as a visitor sees them."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_unknown_address_shows_a_helpful_404_page(journey):
    j = journey("errors")
    # Chromium logs every non-2xx document load as a console error; this one is the point of the test.
    j.allow_console_error(r"status of 404 .*/no-such-page/")
    j.goto("/no-such-page/", status=404)
    expect(j.page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    j.step("404")
    j.page.get_by_role("link", name="Go to the home page").click()
    expect(j.page).to_have_url(j.url("/"))
