import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.hidden_characters import HiddenCharactersValidator, hidden_characters_strip

# Text-direction controls: embeddings and overrides, isolates (what "Trojan Source" uses).
REORDERING = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
# Direction marks, zero-width and other format characters, control codes, blank letters.
INVISIBLE = [
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\U000e0041",  # tag letter A (hides text)
    "\u3164",  # Hangul filler: a letter that draws as nothing
    "\u2028",  # line separator
    "\x00",
    "\t",
    "\n",
    "\r",
    "\x1b",
    "\x7f",
    "\x85",  # C1: next line
    "\x9b",  # C1: control sequence introducer
    "\ud800",  # a lone surrogate (cannot be stored as UTF-8)
]


@pytest.mark.parametrize("char", REORDERING + INVISIBLE)
def test_one_line_loses_every_hidden_character(char):
    assert hidden_characters_strip(f"Dana{char}'s phone") == "Dana's phone"


@pytest.mark.parametrize(
    "text",
    [
        "Dana's phone",
        "Zoë's MacBook Pro (2023)",
        "הטלפון של דנה",
        "هاتف دانة",
        "日本語のノート",
        "👩\u200d💻 work laptop",  # an emoji sequence joined by U+200D
        "می\u200cخواهم",  # Persian spelling needs the zero-width non-joiner
        "❤\ufe0f phone",  # a variation selector picks the emoji form
        "Café\u00a0Wi-Fi",
    ],
)
def test_one_line_keeps_what_people_write(text):
    assert hidden_characters_strip(text) == text


@pytest.mark.parametrize("text", ["Sup\u200dport", "\u200dSupport", "Support\u200c", "Sup\u200c\u200dport"])
def test_a_joiner_next_to_plain_latin_text_is_a_hidden_character(text):
    assert hidden_characters_strip(text) == "Support"


def test_two_joiners_in_a_row_join_nothing():
    assert hidden_characters_strip("ب\u200d\u200dب") == "بب"


@pytest.mark.parametrize("char", REORDERING + ["\x00", "\x1b", "\x7f", "\x9b", "\ufeff", "\ud800"])
def test_a_body_loses_reordering_controls_and_control_codes(char):
    assert hidden_characters_strip(f"Hello{char}\nworld", multiline=True) == "Hello\nworld"


def test_a_body_keeps_line_breaks_tabs_marks_and_joiners():
    body = "Line one\n\tindented\nשלום\u200f (123)\nمی\u200cخواهم 👩\u200d💻 ok\u200bok"
    assert hidden_characters_strip(body, multiline=True) == body


def test_a_body_has_one_kind_of_line_break():
    assert hidden_characters_strip("a\r\nb\rc", multiline=True) == "a\nb\nc"


def test_a_trojan_source_device_name_is_shown_as_typed_in_memory_order():
    spoof = "Dana's phone \u202e\u2066moc.elpmaxe\u2069\u2066"
    assert hidden_characters_strip(spoof) == "Dana's phone moc.elpmaxe"


@given(st.text(), st.booleans())
def test_the_result_has_no_reordering_control_and_stays_put(text, multiline):
    cleaned = hidden_characters_strip(text, multiline=multiline)
    assert not set(cleaned) & set(REORDERING)
    assert "\x00" not in cleaned and "\r" not in cleaned
    assert hidden_characters_strip(cleaned, multiline=multiline) == cleaned


def test_the_validator_refuses_with_a_message_that_names_the_field():
    with pytest.raises(ValidationError) as refused:
        HiddenCharactersValidator("device name")("Dana's \u202ephone")
    assert refused.value.code == "hidden_characters"
    assert "device name" in refused.value.messages[0]
    assert "invisible" in refused.value.messages[0]


def test_the_validator_takes_visible_text():
    HiddenCharactersValidator("name")("👩\u200d💻 Dana (دانة)")


def test_validators_are_equal_when_they_name_the_same_field():
    assert HiddenCharactersValidator("name") == HiddenCharactersValidator("name")
    assert HiddenCharactersValidator("name") != HiddenCharactersValidator("title")
