"""Excerpts: a piece of a text where the matched words are, those words marked.

The matched words sit between MARK_START and MARK_END; only the template filter `search_excerpt`
turns them into <mark>, after escaping everything else. SQLite cuts its excerpts with FTS5's
snippet(); PostgreSQL and the forums with `excerpt` here: ts_headline re-parses and stems the
whole body of every hit shown, which was most of a search's time on PostgreSQL.
"""

import re
from functools import lru_cache

from .suggest import word_stem
from .words import STOP_WORDS, Term

MARK_START = "\x02"
MARK_END = "\x03"
EXCERPT_CHARS = 220
_LEAD = EXCERPT_CHARS // 3  # text shown before the first marked word of the window
_MATCHES_WEIGHED = 60  # windows considered: one per match, for the first this many matches


def term_regex(term: Term) -> str:
    """A whole-word pattern (Python and SQLite syntax) for a word or a phrase, on stems."""
    return r"\b" + r"\W+".join(re.escape(word_stem(word)) + r"\w*" for word in term)


@lru_cache(maxsize=256)
def _marker(terms: tuple[Term, ...]) -> re.Pattern:
    patterns = sorted({term_regex(t) for t in terms}, key=len, reverse=True)
    return re.compile("|".join(patterns), re.IGNORECASE)


def _best_start(matches: list[re.Match]) -> int:
    """Where the window holding the most different matched words begins (the first such one)."""
    best, best_count = 0, 0
    for i, match in enumerate(matches):
        reach = match.start() + EXCERPT_CHARS - _LEAD
        count = len({m.group(0).lower() for m in matches[i:] if m.end() <= reach})
        if count > best_count:
            best, best_count = match.start(), count
    return best


def excerpt(text: str, terms: list[Term]) -> str:
    """About EXCERPT_CHARS of `text` where most of the matched words are, those words marked."""
    text = " ".join((text or "").split())
    terms = [t for t in terms if not all(word in STOP_WORDS for word in t)]
    if not text or not terms:
        return text[:EXCERPT_CHARS]
    marker = _marker(tuple(dict.fromkeys(terms)))
    matches = []
    for match in marker.finditer(text):
        matches.append(match)
        if len(matches) == _MATCHES_WEIGHED:
            break
    first = _best_start(matches)
    start = text.find(" ", first - _LEAD) + 1 if first > _LEAD else 0
    end = start + EXCERPT_CHARS
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    fragment = marker.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text[start:end])
    return ("…" if start else "") + fragment + ("…" if end < len(text) else "")
