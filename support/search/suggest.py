"""Typo tolerance and "did you mean": a word no text contains is corrected to the closest one.

Closeness is trigram similarity as pg_trgm computes it, over the words of some texts (the
published articles, or the forums' posts) held in memory per process by a `VocabularyCache`.
`query_understand` is the shared reading of a query (the help centre's and the forums' search).
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection

from .words import STOP_WORDS, SYNONYM_WORDS, Term, concept_terms, query_words, search_concepts, text_words

VOCABULARY_CHECK_SECONDS = 5.0  # other processes' changes reach this one's typo list within this
MIN_CORRECTABLE = 4  # shorter words are never "corrected" (qr, id, 2fa)
SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default for the % operator

_SUFFIXES = ("ingly", "edly", "ings", "ing", "ies", "ied", "ers", "es", "ed", "er", "ly", "s")


def word_stem(word: str) -> str:
    """A light stem, for words of one family in Python (typo correction, the forums' matching):
    "resetting" -> "reset", "stopped" -> "stop", "devices" -> "devic", "passwords" -> "password"."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]  # doubled consonant: stopp -> stop, resett -> reset
            return stem
    return word


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces in front and one behind."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


@dataclass
class Vocabulary:
    """Every word of some texts, with an index from trigram to words."""

    version: tuple
    counts: dict[str, int] = field(default_factory=dict)
    by_trigram: dict[str, set[str]] = field(default_factory=dict)
    stems: set[str] = field(default_factory=set)  # "resetting" is known when "reset" is

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, version: tuple = ()) -> "Vocabulary":
        """The words (three letters or more, not numbers) of `texts`."""
        vocab = cls(version=version)
        for text in texts:
            for word in text_words(text):
                if len(word) >= 3 and not word.isdigit():
                    vocab.counts[word] = vocab.counts.get(word, 0) + 1
        for word in vocab.counts:
            vocab.stems.add(word_stem(word))
            for trigram in trigrams(word):
                vocab.by_trigram.setdefault(trigram, set()).add(word)
        return vocab

    def correct(self, word: str) -> str | None:
        """The closest known word to an unknown `word`, or None if it is known or nothing is close."""
        if len(word) < MIN_CORRECTABLE or word.isdigit() or word in self.counts:
            return None
        if word in STOP_WORDS or word in SYNONYM_WORDS or word_stem(word) in self.stems:
            return None
        mine = trigrams(word)
        shared: dict[str, int] = {}
        for trigram in mine:
            for candidate in self.by_trigram.get(trigram, ()):
                shared[candidate] = shared.get(candidate, 0) + 1
        best, best_score = None, SIMILARITY_THRESHOLD
        for candidate, common in shared.items():
            score = common / (len(mine) + len(trigrams(candidate)) - common)
            key = (score, self.counts[candidate])
            if score >= best_score and (best is None or key > (best_score, self.counts[best])):
                best, best_score = candidate, score
        return best


class VocabularyCache:
    """One process's vocabulary of some texts, rebuilt when their stamp changes.

    `stamp()` returns something cheap that changes with the texts (count, last id, last update);
    it runs at most every VOCABULARY_CHECK_SECONDS, so other processes' changes arrive within
    that. This process's own writes call `forget()` to drop the vocabulary at once.
    """

    def __init__(self, *, stamp: Callable[[], tuple], texts: Callable[[], Iterable[str]]):
        self._stamp, self._texts = stamp, texts
        self._vocabulary: Vocabulary | None = None
        self._checked = 0.0

    def forget(self) -> None:
        self._vocabulary = None

    def get(self) -> Vocabulary:
        now = time.monotonic()
        if self._vocabulary is not None and now - self._checked < VOCABULARY_CHECK_SECONDS:
            return self._vocabulary
        self._checked = now
        version = (connection.alias, connection.settings_dict["NAME"], *self._stamp())
        if self._vocabulary is None or self._vocabulary.version != version:
            self._vocabulary = Vocabulary.from_texts(self._texts(), version=version)
        return self._vocabulary


@dataclass
class UnderstoodQuery:
    """A query cut into words, corrected against a vocabulary, with its synonyms."""

    query: str  # as typed, trimmed
    words: list[str]  # query_words() of it
    fixed: list[str]  # the words with unknown ones corrected
    concepts: list[list[Term]]  # typed and corrected words and the synonym groups they mention
    typed_concepts: list[list[Term]]  # the same for the words as typed only

    @property
    def suggestion(self) -> str:
        """ "Did you mean": the query with unknown words corrected ("" when nothing was)."""
        return " ".join(self.fixed) if self.fixed != self.words else ""

    @property
    def terms(self) -> list[Term]:
        return concept_terms(self.concepts)


def query_understand(query: str, known: VocabularyCache) -> UnderstoodQuery | None:
    """What `query` asks about, unknown words corrected against `known`'s texts; None when it
    holds no content word ("how do I")."""
    query = query.strip()[:200]
    words = query_words(query)
    if not [w for w in words if w not in STOP_WORDS]:
        return None
    vocab = known.get()
    fixed = [vocab.correct(w) or w for w in words]
    concepts = search_concepts(words, fixed)
    return UnderstoodQuery(
        query=query,
        words=words,
        fixed=fixed,
        concepts=concepts,
        typed_concepts=search_concepts(words) if fixed != words else concepts,
    )
