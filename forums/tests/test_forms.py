"""Hypothesis over the forum forms: any input is either accepted cleanly or refused with a message."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forums.forms import FlagForm, ProfileForm, ReplyForm, SearchForm, TopicForm
from forums.markdown import markdown_render
from forums.models import Category

pytestmark = pytest.mark.django_db

texts = st.text(max_size=400) | st.text(alphabet=st.characters(codec="utf-8"), max_size=50)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(title=texts, body=texts, confirm=st.sampled_from(["", "on", "x"]), category=st.text(max_size=5))
def test_topic_form_never_crashes(title, body, confirm, category):
    form = TopicForm({"title": title, "body": body, "confirm_private": confirm, "category": category})
    if form.is_valid():
        data = form.cleaned_data
        assert isinstance(data["category"], Category)
        assert "vaultkey:" not in (data["title"] + data["body"]).lower()
        assert "\x00" not in data["body"]
        markdown_render(data["body"])
    else:
        assert form.errors


@SETTINGS
@given(body=texts, confirm=st.booleans())
def test_reply_form_never_crashes_and_renders(body, confirm):
    form = ReplyForm({"body": body, "confirm_private": "on" if confirm else ""})
    if form.is_valid():
        html = markdown_render(form.cleaned_data["body"])
        assert "<script" not in html.lower()
    else:
        assert form.errors


@SETTINGS
@given(name=texts)
def test_profile_form_accepts_only_plain_names(name):
    form = ProfileForm({"display_name": name})
    if form.is_valid():
        cleaned = form.cleaned_data["display_name"]
        assert "@" not in cleaned and 3 <= len(cleaned) <= 30


@SETTINGS
@given(reason=st.text(max_size=12), note=texts)
def test_flag_form_never_crashes(reason, note):
    form = FlagForm({"reason": reason, "note": note})
    assert form.is_valid() or form.errors


@SETTINGS
@given(q=texts)
def test_search_form_never_crashes(q):
    form = SearchForm({"q": q})
    assert form.is_valid() or form.errors


def test_a_public_name_is_plain_ascii_so_it_holds_no_hidden_character():
    assert not ProfileForm({"display_name": "dana\u202egnp"}).is_valid()
    assert not ProfileForm({"display_name": "da\u200bna"}).is_valid()


def test_a_title_in_any_script_is_kept(category):
    form = TopicForm(
        {"title": "הסנכרון נעצר אחרי העדכון", "body": "Since Monday, on my phone.", "category": category.pk}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "הסנכרון נעצר אחרי העדכון"


def test_qr_payload_is_refused_even_when_confirmed():
    form = ReplyForm({"body": "here it is vaultkey:AAAAAAAAAAAAAAAA", "confirm_private": "on"})
    assert not form.is_valid()
    assert "QR code" in form.non_field_errors()[0]


def test_secret_looking_text_is_warned_about_until_confirmed():
    body = "My account ID is ABCD2345XY and my mail is me@example.com"
    form = ReplyForm({"body": body})
    assert not form.is_valid()
    assert len(form.privacy_warnings) == 2
    assert ReplyForm({"body": body, "confirm_private": "on"}).is_valid()


def test_plain_question_needs_no_confirmation():
    assert ReplyForm({"body": "Sync on my iPhone stops after the update. Any idea?"}).is_valid()
