"""Support as agents and customers live it: the console, tickets answered by e-mail, the help pages."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import staff_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _agent_in_console(journey, agent):
    """The agent signs in on the ordinary sign-in page and opens the console from the menu."""
    j = journey("console")
    staff_sign_in(j, agent.email, agent.password)
    j.page.get_by_role("navigation", name="Main").get_by_role("link", name="Support console").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Support console")
    return j


def test_agent_finds_the_account_sees_the_reset_history_and_resends_the_email(
    journey, site, agent, customer_with_vault, unique_email
):
    customer = customer_with_vault
    bystander = unique_email("bystander")

    # The customer asked for a reset earlier; the e-mail "did not arrive".
    owner = journey("reset-owner")
    owner.goto("/reset/")
    owner.page.locator("#id_email").fill(customer.email)
    owner.page.get_by_role("button", name="Start reset").click()
    expect(owner.page).to_have_url(owner.url("/reset/requested/"))
    first_link = site.email_link(to=customer.email, path_prefix="/reset/link/")

    j = _agent_in_console(journey, agent)
    j.step("dashboard")
    # One search box: the console menu's.
    expect(j.page.get_by_role("search")).to_have_count(1)
    finder = j.page.get_by_role("search")
    finder.get_by_label("E-mail, account ID or ticket number").fill(customer.email)
    finder.get_by_role("button", name="Find").click()
    # One match: the console goes straight to the account.
    expect(j.page.get_by_role("heading", level=1)).to_contain_text(customer.account.account_id)
    history = j.page.get_by_role("region", name="Reset requests")
    expect(history.locator(".timeline-item")).to_have_count(1)
    expect(history).to_contain_text("E-mailed")
    j.step("account")
    from support.tests.factories import TicketFactory

    ticket = TicketFactory(email=customer.email, account=customer.account, subject="No reset e-mail")

    # One click does not send it: the agent confirms, with a reason and the ticket.
    action = j.page.get_by_role("region", name="Actions")
    action.get_by_role("link", name="Send the reset e-mail…").click()
    expect(j.page.get_by_role("heading", level=1)).to_contain_text("Send the reset e-mail")
    # An address typed anywhere cannot redirect the e-mail: the form has no address field.
    expect(j.page.locator("main form input[type=email]")).to_have_count(0)
    j.page.get_by_role("button", name=f"Send the reset e-mail to {customer.email}").click()
    expect(j.page.locator(".field-invalid")).to_have_count(2)  # no reason, not confirmed: nothing sent
    j.step("resend-confirm")
    j.page.get_by_label("Reason").fill("Customer called: the first e-mail did not arrive")
    j.page.get_by_label("Ticket (optional)").fill(ticket.number)
    j.page.get_by_label("I checked who I am talking to").check()
    j.page.get_by_role("button", name=f"Send the reset e-mail to {customer.email}").click()
    expect(j.page.get_by_role("status").or_(j.page.get_by_role("alert")).first).to_contain_text(
        f"sent again to {customer.email}"
    )
    j.step("resent")

    # The owner, and only the owner, gets it: the same (still pending) link, a second time.
    assert site.email_link(to=customer.email, path_prefix="/reset/link/", count=2) == first_link
    assert site.inboxes() == {customer.email}, site.inboxes()
    assert bystander not in site.inboxes() and agent.email not in site.inboxes()
    j.page.reload()
    expect(history).to_contain_text(f"by {agent.email}")
    audit = j.page.get_by_role("region", name="Support actions on this account")
    expect(audit).to_contain_text(agent.email)
    said = f"Vault support sent your reset e-mail (ticket {ticket.number})"
    expect(j.page.locator("section[aria-labelledby=ev-h]")).to_contain_text(said)

    # The owner's cancel page says who sent it, and why it may be trusted.
    owner.page.goto(site.email_link(to=customer.email, path_prefix="/reset/cancel/", count=2))
    expect(owner.page.get_by_role("main")).to_contain_text(said)
    owner.step("cancel-by-support")

    # The re-sent link works for the owner.
    owner.page.goto(first_link)
    expect(owner.page.get_by_role("heading", level=1)).to_have_text(f"Reset the account {customer.email}")


def test_customer_opens_a_ticket_and_reads_the_agents_reply(journey, site, agent, unique_email):
    email = unique_email("visitor")
    visitor = journey("ticket")
    visitor.goto("/help/contact/")
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Write to support")
    # Already on the ticket form: the offline chat notice does not offer "open a ticket instead".
    expect(visitor.page.get_by_role("link", name="Open a ticket instead")).to_be_hidden()
    form = visitor.page.get_by_role("main")
    form.get_by_label("Your e-mail address").fill(email)
    visitor.page.get_by_label("What is it about?").select_option(label="Signing in and devices")
    visitor.page.get_by_label("Subject").fill("My new phone does not sign in")
    form.get_by_label("Your message").fill("I scanned the QR code but the app says it is obsolete.")
    visitor.step("form")
    visitor.page.get_by_role("button", name="Send my request").click()

    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Thank you — we received your request")
    number = visitor.page.locator("strong.mono").inner_text()
    assert re.fullmatch(r"T-\d{6}", number), number
    visitor.step("sent")
    subject, text = site.email(to=email)
    assert number in subject and number in text

    j = _agent_in_console(journey, agent)
    j.page.get_by_role("navigation", name="Support console").get_by_label(
        "E-mail, account ID or ticket number"
    ).fill(number)
    j.page.get_by_role("navigation", name="Support console").get_by_role("button", name="Find").click()
    # One match: the console goes straight to the ticket.
    expect(j.page.get_by_role("heading", level=1)).to_contain_text("My new phone does not sign in")
    j.step("ticket")
    j.page.get_by_label("Reply to the customer").fill(
        "An older QR code stops working after a reset. Use the newest QR e-mail we sent you."
    )
    j.page.get_by_role("button", name=f"Send reply to {email}").click()
    expect(j.page.get_by_text("Your reply is on its way to the customer.")).to_be_visible()
    j.step("replied")

    subject, text = site.email(to=email, count=2)
    assert subject.startswith("[") and number in subject
    assert "Use the newest QR e-mail" in text
    reply_link = site.email_link(to=email, path_prefix="/help/tickets/", count=2)

    reader = journey("ticket-reply")  # e.g. the e-mail opened on another device
    reader.page.goto(reply_link)
    expect(reader.page).to_have_url(re.compile(r"/help/tickets/\d+/$"))
    expect(reader.page.get_by_role("heading", level=1)).to_have_text(f"Request {number}")
    conversation = reader.page.get_by_role("region", name="Conversation")
    expect(conversation).to_contain_text("Use the newest QR e-mail we sent you.")
    # Customers see their own words for the status, not the queue's "Waiting on customer".
    expect(reader.page.locator(".lead .badge")).to_have_text("Answered")
    reader.step("thread")

    # …and can answer on the same page (a POST from a page that never showed a token).
    reader.page.get_by_label("Your reply").fill("Thank you, that worked.")
    reader.page.get_by_role("button", name="Send").click()
    expect(conversation).to_contain_text("Thank you, that worked.")


def test_help_search_leads_to_the_reset_article_and_takes_a_no_vote_with_a_comment(journey):
    from support.models import Article, ArticleVote

    _knowledge_base_seed()
    j = journey("help")
    j.goto("/help/")
    expect(j.page.get_by_role("heading", level=1)).to_have_text("How can we help?")
    j.step("home")
    search = j.page.get_by_role("search")
    search.get_by_label("Search the help articles").fill("reset")
    search.get_by_role("button", name="Search").click()
    expect(j.page).to_have_url(re.compile(r"/help/search/\?q=reset$"))
    j.step("search")

    j.page.get_by_role("main").get_by_role("link", name=re.compile("reset", re.I)).first.click()
    article = Article.objects.get(slug="account-reset")
    expect(j.page.get_by_role("heading", level=1)).to_have_text(article.title)
    j.step("article")

    vote = j.page.get_by_role("region", name="Was this helpful?")
    vote.get_by_label("No").check()
    vote.get_by_label("How can we improve this article?").fill("Say how long the e-mail takes to arrive.")
    vote.get_by_role("button", name="Send my answer").click()
    expect(j.page.get_by_text("Thank you for your answer.")).to_be_visible()
    expect(j.page.get_by_role("region", name="Was this helpful?")).to_contain_text("we have your answer")
    j.step("voted")
    vote_row = ArticleVote.objects.get(article=article)
    assert vote_row.helpful is False and "how long" in vote_row.comment


def test_help_search_understands_typos_and_synonyms_and_offers_help_when_nothing_matches(journey):
    _knowledge_base_seed()
    j = journey("help-search")
    j.goto("/help/")
    search = j.page.get_by_role("search")
    search.get_by_label("Search the help articles").fill("resett")
    search.get_by_role("button", name="Search").click()
    results = j.page.locator(".search-results li")
    expect(j.page.locator(".did-you-mean")).to_contain_text("Showing results for reset")
    expect(results.first).to_contain_text("Account reset: when to use it")
    expect(results.first.locator("mark").first).to_be_visible()
    j.step("typo")

    search = j.page.get_by_role("search")
    search.get_by_label("Search the help articles").fill("lost qr code")
    search.get_by_role("button", name="Search").click()
    expect(results.first).to_contain_text("I lost my Encrypted Account Key QR code")
    results.first.get_by_role("link").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("I lost my Encrypted Account Key QR code")
    crumbs = j.page.get_by_role("navigation", name="Breadcrumb")
    expect(crumbs.get_by_role("link", name="Locked out and account reset")).to_be_visible()
    expect(j.page.get_by_role("region", name="Related articles")).to_contain_text(
        "Your Encrypted Account Key QR code"
    )
    j.step("article")

    vote = j.page.get_by_role("region", name="Was this helpful?")
    vote.get_by_label("Yes").check()
    vote.get_by_role("button", name="Send my answer").click()
    expect(j.page.locator(".your-vote")).to_contain_text("Your answer: Yes")
    expect(j.page.get_by_role("region", name="Was this helpful?").get_by_label("Yes")).to_be_checked()

    crumbs = j.page.get_by_role("navigation", name="Breadcrumb")
    crumbs.get_by_role("link", name="Locked out and account reset").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Locked out and account reset")
    j.step("category")

    j.goto("/help/search/?q=zzqxv")
    expect(j.page.get_by_role("heading", name="Locked out?")).to_be_visible()
    expect(j.page.get_by_role("link", name="Write to support")).to_be_visible()
    j.step("no-results")


def _knowledge_base_seed():
    """Put back the articles of migrations 0003 and 0006 and index them (transactional tests flush)."""
    import importlib

    from django.apps import apps

    from support.search import index_rebuild

    for name in ("0003_seed_knowledge_base", "0006_seed_help_centre_articles"):
        importlib.import_module(f"support.migrations.{name}").seed(apps, None)
    index_rebuild()


def test_an_empty_ticket_form_outlines_each_field_in_red_and_says_what_it_needs(journey):
    """Every field with an error is outlined in the danger colour, an <input> as well as a <textarea>
    (the red border once reached only the textarea), with its message right below it."""
    j = journey("ticket-errors")
    j.goto("/help/")
    j.page.get_by_role("link", name="Write to support").first.click()
    j.page.get_by_role("button", name="Send my request").click()
    expect(j.page.get_by_role("heading", level=1)).to_have_text("Write to support")
    danger = j.page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--danger')")
    danger_rgb = "rgb({}, {}, {})".format(*(int(danger.strip()[i : i + 2], 16) for i in (1, 3, 5)))
    for field, message in (
        ("Your e-mail address", "Enter your e-mail address: we answer there."),
        ("Subject", "Give your request a short subject."),
        ("Your message", "Write your message: what happened, and what you have tried."),
    ):
        control = j.page.get_by_role("main").get_by_label(field)
        expect(control).to_have_attribute("aria-invalid", "true")
        expect(control).to_have_css("border-top-color", danger_rgb)
        error = j.page.locator(f"#{control.get_attribute('id')}_error")
        expect(error).to_have_text(message)
    j.step("empty")
