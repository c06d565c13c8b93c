"""Characters that hide or reorder text: refused in one line others read, removed from bodies.

A device name, a chat name, a ticket subject or a forum title is read by other people (support,
other members, the owner on the reset link page). Unicode lets it hold characters nobody sees:
text-direction controls (U+202A-U+202E, U+2066-U+2069) that reorder the text around them
("Trojan Source"), direction marks, zero-width and other format characters, control codes, and
letters that draw as nothing. A line of text needs none of them, except a zero-width joiner or
non-joiner between two non-ASCII characters (emoji sequences, Persian, Indic scripts).

A multi-line body (a chat, ticket or forum message) keeps line breaks, tabs, direction marks and
joiners, which right-to-left and other scripts need and which move no text beyond their
neighbours; it loses the controls that reorder text, other control codes and byte-order marks.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Embeddings, overrides, their pop, isolates, and the deprecated format controls after them.
_REORDERING = frozenset(map(chr, (*range(0x202A, 0x202F), *range(0x2066, 0x2070))))
# Letters that draw as nothing (Hangul fillers), a classic way to make a name look empty.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_JOINERS = "\u200c\u200d"
# Format characters; control codes; surrogates (never valid UTF-8); line and paragraph separators.
_ONE_LINE_CATEGORIES = frozenset({"Cf", "Cc", "Cs", "Zl", "Zp"})
_BODY_KEEPS = frozenset("\n\t")
# A joiner with plain ASCII (or nothing, or another joiner) on either side joins nothing visible.
_IDLE_JOINER = re.compile(rf"(?<![^\x00-\x7f{_JOINERS}])[{_JOINERS}]|[{_JOINERS}](?![^\x00-\x7f{_JOINERS}])")


def _hidden_in_one_line(char: str) -> bool:
    if char in _JOINERS:
        return False  # judged by its neighbours, once everything else is gone
    return unicodedata.category(char) in _ONE_LINE_CATEGORIES or char in _BLANK_LETTERS


def _hidden_in_body(char: str) -> bool:
    if char in _BODY_KEEPS:
        return False
    return char in _REORDERING or char == "\ufeff" or unicodedata.category(char) in ("Cc", "Cs")


def hidden_characters_strip(text: str, *, multiline: bool = False) -> str:
    """Return `text` without the characters that hide or reorder it (a body: \\r\\n becomes \\n)."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return "".join(char for char in text if not _hidden_in_body(char))
    text = "".join(char for char in text if not _hidden_in_one_line(char))
    return _IDLE_JOINER.sub("", text)


@deconstructible
class HiddenCharactersValidator:
    """Refuse one line of text others will read if it holds characters that hide or reorder it.

    The one way to apply `hidden_characters_strip` to a name, subject or title: a Django
    validator, so a form field and a DRF serializer field take it alike (`validators=[...]`).
    Refused rather than cleaned: what would be stored is not what the writer saw.
    """

    code = "hidden_characters"

    def __init__(self, what: str = "text"):
        self.what = what

    def __call__(self, value) -> None:
        if isinstance(value, str) and hidden_characters_strip(value) != value:
            raise ValidationError(
                f"The {self.what} holds invisible formatting characters (such as text-direction "
                "marks) that could change how others read it. Please type it again instead of "
                "pasting it.",
                code=self.code,
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, HiddenCharactersValidator) and other.what == self.what

    def __hash__(self) -> int:
        return hash((type(self), self.what))
