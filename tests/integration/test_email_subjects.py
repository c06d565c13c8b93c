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
