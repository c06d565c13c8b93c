"""Every e-mail subject starts with the product name, so that people know at a glance who writes."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

ROOT = Path(settings.BASE_DIR) / "templates"
SUBJECTS = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*_subject.txt"))
ALLAUTH_PREFIXED = "account/email/"  # allauth adds ACCOUNT_EMAIL_SUBJECT_PREFIX itself


def test_there_are_subjects_to_check():
    assert len(SUBJECTS) >= 10


@pytest.mark.parametrize("template", SUBJECTS)
def test_subject_starts_with_the_product_name(template):
    subject = render_to_string(template, {"PRODUCT_NAME": settings.PRODUCT_NAME}).strip()
    if template.startswith(ALLAUTH_PREFIXED):
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject
    # "[Vault] …", or a tag that starts with it ("[Vault forums] …").
    assert re.match(rf"\[{re.escape(settings.PRODUCT_NAME)}( [^\]]+)?\] \S", subject), (template, subject)


SITE_LINK = re.compile(r"\{\{ ?SITE_URL ?\}\}((?:\{%[^%]*%\}|[^\s)\"'<{])*)")
HREF_VARIABLE = re.compile(r'href="\{\{ ?([a-z_.]+) ?\}\}"')
MESSAGES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*_message.txt"))


@pytest.mark.parametrize("template", MESSAGES)
def test_the_html_part_links_where_the_plain_text_part_does(template):
    """Opened in a browser from the dev outbox, the ticket confirmation's HTML part had no link to
    the reset page that its plain text gives: both parts carry the same links."""
    text = (ROOT / template).read_text(encoding="utf-8")
    html = (ROOT / template.replace(".txt", ".html")).read_text(encoding="utf-8")
    assert set(SITE_LINK.findall(text)) == set(SITE_LINK.findall(html)), template
    for variable in HREF_VARIABLE.findall(html):
        assert re.search(r"\{\{ ?" + re.escape(variable) + r" ?\}\}", text), (template, variable)


HTML_MESSAGES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*_message.html"))
EXTENDS = re.compile(r'\{% extends "([^"]+)" %\}')


def _extends_chain(template: str) -> list[str]:
    chain = [template]
    while match := EXTENDS.search((ROOT / chain[-1]).read_text(encoding="utf-8")):
        chain.append(match.group(1))
    return chain


@pytest.mark.parametrize("template", HTML_MESSAGES)
def test_every_html_part_has_the_e_mail_frame_and_a_title(template):
    """Opened from the dev outbox, the owner-proof code and QR e-mails were bare unstyled pages, and
    six HTML parts had no <title> (what a mail app shows for a message opened on its own)."""
    chain = _extends_chain(template)
    assert chain[-1] == "emails/base.html", (template, chain)
    assert any("{% block subject %}" in (ROOT / name).read_text(encoding="utf-8") for name in chain[:-1]), (
        template
    )
