"""Knowledge-base search: one API over PostgreSQL full-text search and SQLite FTS5.

`knowledge_search(query)` is the only entry point for reads (views reach it through
`support.selectors.article_search`). It understands people the same way on both backends:

* the query is cut into words; small words ("my", "how", "the") are dropped;
* synonyms of the field are added in Python (`SYNONYMS`: "master password" also searches
  "account password", "2FA" also "second factor", "new phone" also "new device", ...);
* a word that appears in no article is corrected to the closest word that does (trigram
  similarity, as pg_trgm computes it) and the correction is offered as "did you mean";
* stemming ("resetting" finds "reset") and ranking with the title above the summary above the
  body: PostgreSQL `english` configuration with weights A/B/C on a stored, GIN-indexed
  `search_vector`; SQLite FTS5 with the porter tokenizer and `bm25()` column weights;
* excerpts with the matched words between `MARK_START` and `MARK_END`; the template filter
  `search_excerpt` escapes everything and turns those two characters into <mark>.

When nothing matches, PostgreSQL falls back to `TrigramWordSimilarity` on the titles and SQLite
to prefix matching ("passw" finds "password").

Writes to the index (`index_articles`, `index_rebuild`) are raw SQL on purpose: the service
that saves an article and the data migrations (historical models) call the same functions.
"""

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, F, Max

MARK_START = "\x02"
MARK_END = "\x03"
FTS_TABLE = "support_article_fts"
PG_CONFIG = "english"
BM25_WEIGHTS = "10.0, 10.0, 4.0, 1.0"  # title, keywords, summary, body
MAX_WORDS = 12
VOCABULARY_CHECK_SECONDS = 5.0  # other processes' article changes reach this one's typo list within this
MIN_CORRECTABLE = 4  # shorter words are never "corrected" (qr, id, 2fa)
SIMILARITY_THRESHOLD = 0.3  # pg_trgm's default for the % operator
TRIGRAM_FALLBACK_THRESHOLD = 0.4

STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "own",
        "please",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)

# Each group lists phrases that mean the same thing to our customers. A query that contains one
# of them also searches for the others. Phrases are written the way `query_words` cuts text.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("master password", "account password", "main password", "vault password"),
    ("2fa", "mfa", "two step", "two factor", "second factor", "second factors", "authenticator"),
    ("qr", "qr code", "account key", "encrypted account key"),
    ("new phone", "new device", "new computer", "new laptop", "another device", "second device"),
    ("lost phone", "stolen phone", "lost device", "stolen device", "lost laptop", "stolen laptop"),
    ("locked out", "lockout", "cannot unlock", "cant unlock", "cannot sign", "cant sign"),
    ("sign in", "log in", "login", "signin", "logon"),
    ("sign out", "log out", "logout", "signout"),
    ("face id", "touch id", "fingerprint", "biometric", "biometrics", "windows hello"),
    ("licence", "license", "subscription", "plan"),
    ("billing", "invoice", "payment", "receipt", "refund", "renewal"),
    ("seats", "seat", "family members", "team members"),
    ("close account", "delete account", "cancel account", "remove account", "closing account"),
    ("backup", "backups", "back up"),
    ("sync", "syncing", "synchronise", "synchronize"),
    ("hint", "password hint", "reminder"),
    ("zero knowledge", "end to end", "privacy", "can see"),
    ("recovery code", "recovery codes", "backup codes"),
    ("passkey", "passkeys", "webauthn", "security key"),
    ("support", "contact", "help desk", "customer service"),
    ("e-mail", "email", "mail"),
)

_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’`]")


def query_words(text: str) -> list[str]:
    """Lower-case words of `text`: "Can't sign-in!" -> ["cant", "sign", "in"]."""
    return _WORD.findall(_APOSTROPHES.sub("", text.lower()))[:MAX_WORDS]


_SYNONYM_PHRASES = {tuple(query_words(p)): group for group in SYNONYMS for p in group}
_SYNONYM_WORDS = frozenset(w for phrase in _SYNONYM_PHRASES for w in phrase)
_LONGEST_PHRASE = max(len(p) for p in _SYNONYM_PHRASES)


def _synonyms(words: list[str]) -> list[tuple[str, ...]]:
    """The synonym groups that `words` mention, each as the tuple of its phrases."""
    found: list[tuple[str, ...]] = []
    for size in range(_LONGEST_PHRASE, 0, -1):
        for start in range(len(words) - size + 1):
            group = _SYNONYM_PHRASES.get(tuple(words[start : start + size]))
            if group and group not in found:
                found.append(group)
    return found


Term = tuple[str, ...]  # one word, or a phrase of words that must follow each other


def search_concepts(words: list[str], fixed: list[str] | None = None) -> list[list[Term]]:
    """What the person asked about: one concept per content word (with its correction) and per
    synonym group mentioned (with every phrase of the group). An article scores by how many
    concepts its title, keywords, summary and body each contain."""
    fixed = fixed or words
    concepts: list[list[Term]] = []
    for word, correction in zip(words, fixed, strict=True):
        if word not in STOP_WORDS:
            concepts.append(list(dict.fromkeys([(word,), (correction,)])))
    content = [w for w in words if w not in STOP_WORDS]
    content_fixed = [w for w in fixed if w not in STOP_WORDS]
    groups = _synonyms(words) + _synonyms(content) + _synonyms(fixed) + _synonyms(content_fixed)
    for group in dict.fromkeys(groups):
        concepts.append([tuple(query_words(p)) for p in group])
    unique = {frozenset(c): c for c in concepts}
    return [c for c in unique.values() if any(not all(w in STOP_WORDS for w in t) for t in c)]


def search_terms(words: list[str], fixed: list[str] | None = None) -> list[Term]:
    """Every term of every concept, once."""
    return list(dict.fromkeys(t for concept in search_concepts(words, fixed) for t in concept))


# --- typo tolerance -------------------------------------------------------------------------

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
            for word in _WORD.findall(_APOSTROPHES.sub("", (text or "").lower())):
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
        if word in STOP_WORDS or word in _SYNONYM_WORDS or word_stem(word) in self.stems:
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


def _published_articles():
    from .models import Article

    return Article.objects.filter(is_published=True)


def _article_stamp() -> tuple:
    stamp = _published_articles().aggregate(n=Count("id"), last=Max("id"), updated=Max("updated_at"))
    return tuple(stamp.values())


def _article_texts() -> Iterable[str]:
    for title, summary, body in _published_articles().values_list("title", "summary", "body").iterator():
        yield f"{title} {summary} {body}"


_ARTICLE_WORDS = VocabularyCache(stamp=_article_stamp, texts=_article_texts)


def vocabulary_forget() -> None:
    """Drop this process's vocabulary (the index changed); the next search rebuilds it."""
    _ARTICLE_WORDS.forget()


def vocabulary() -> Vocabulary:
    """The words of the published articles, rebuilt in this process when an article changes."""
    return _ARTICLE_WORDS.get()


# --- what a person asked (shared with the forums' search) -------------------------------------


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
        return list(dict.fromkeys(t for concept in self.concepts for t in concept))


def query_understand(query: str, known: VocabularyCache) -> UnderstoodQuery | None:
    """What `query` asks about, unknown words corrected against `known`'s texts; None when it
    holds no content word ("how do I")."""
    query = query.strip()[:200]
    words = query_words(query)
    if not [w for w in words if w not in STOP_WORDS]:
        return None
    vocab = known.get()
    fixed = [vocab.correct(w) or w for w in words]
    return UnderstoodQuery(
        query=query,
        words=words,
        fixed=fixed,
        concepts=search_concepts(words, fixed),
        typed_concepts=search_concepts(words),
    )


# --- the one read API -----------------------------------------------------------------------


@dataclass
class SearchHit:
    article: object  # support.models.Article, category loaded
    excerpt: str  # plain text; matched words between MARK_START and MARK_END


@dataclass
class KnowledgeSearch:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    suggestion: str = ""  # "did you mean": the query with unknown words corrected
    corrected: bool = False  # True when the hits are for the suggestion, not the query as typed

    @property
    def articles(self) -> list:
        return [hit.article for hit in self.hits]


def knowledge_search(query: str, *, limit: int = 20) -> KnowledgeSearch:
    """Published articles for what a person typed, best first, with excerpts and a suggestion."""
    result = KnowledgeSearch(query=query.strip()[:200])
    understood = query_understand(result.query, _ARTICLE_WORDS)
    if understood is None:
        return result
    result.suggestion = understood.suggestion
    backend = _postgres if connection.vendor == "postgresql" else _sqlite
    # The corrected words are searched alongside the typed ones: "pasword reset" still ranks the
    # password articles, and a correct query is never made worse.
    result.hits = backend.search(understood.concepts, limit=limit)
    if not result.hits:
        result.hits = backend.fallback(understood.fixed, limit=limit)
    if result.suggestion and result.hits:
        result.corrected = not backend.any(understood.typed_concepts)
    return result


def _hits(rows: list[tuple[int, str]]) -> list[SearchHit]:
    """Articles for (id, excerpt) rows, in the rows' order, with their categories."""
    from .models import Article

    articles = Article.objects.select_related("category").defer("search_vector").in_bulk([r[0] for r in rows])
    return [SearchHit(article=articles[pk], excerpt=excerpt or "") for pk, excerpt in rows if pk in articles]


class _sqlite:
    """FTS5: a virtual table (title, keywords, summary, body) with the porter stemmer.

    Rank: how many concepts each column contains (title and keywords 3, summary 2, body 1),
    then bm25() with the same column order. BM25 alone lets one rare word ("lost") beat an
    article that matches every word in its title ("I lost my … QR code").
    """

    COLUMN_SCORES = (("title", 3), ("keywords", 3), ("summary", 2), ("body", 1))

    @staticmethod
    def expression(terms: list[Term], *, prefix: bool = False) -> str:
        star = "*" if prefix else ""
        return " OR ".join(dict.fromkeys(f'"{" ".join(term)}"{star}' for term in terms))

    @classmethod
    def _run(cls, concepts: list[list[Term]], limit: int, *, prefix: bool = False) -> list[SearchHit]:
        terms = list(dict.fromkeys(t for c in concepts for t in c))
        if not terms:
            return []
        score_sql, score_params = [], []
        for concept in concepts:
            for column, weight in cls.COLUMN_SCORES:
                score_sql.append(
                    f"{weight} * (m.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s))"  # noqa: S608 - constant table names; values are parameters
                )
                score_params.append(f"{column} : ({cls.expression(concept, prefix=prefix)})")
        match = cls.expression(terms, prefix=prefix)
        # Two short queries: the matched rows with bm25() computed once each (materialised, so
        # in the FTS context), scored by concept per column (one FTS lookup per concept and
        # column); then excerpts for the page's rows only (snippet() is the costliest part).
        scored = (
            f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS bm25 "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            f"SELECT a.id, {' + '.join(score_sql)} AS score FROM m "
            "JOIN support_article a ON a.id = m.id WHERE a.is_published "
            "ORDER BY score DESC, m.bm25, a.position, a.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(scored, [match, *score_params, limit])
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return []
            marks = ",".join("%s" for _ in ids)
            cursor.execute(
                f"SELECT rowid, snippet({FTS_TABLE}, 3, %s, %s, '…', 24) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
                [MARK_START, MARK_END, match, *ids],
            )
            excerpts = dict(cursor.fetchall())
        return _hits([(pk, excerpts.get(pk, "")) for pk in ids])

    @classmethod
    def any(cls, concepts) -> bool:
        terms = list(dict.fromkeys(t for c in concepts for t in c))
        if not terms:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT 1",  # noqa: S608
                [cls.expression(terms)],  # noqa: S608
            )
            return cursor.fetchone() is not None

    @classmethod
    def search(cls, concepts, *, limit):
        return cls._run(concepts, limit)

    @classmethod
    def fallback(cls, words, *, limit):
        """Prefix matching on what was typed: "passw" finds "password"."""
        concepts = [[(w,)] for w in words if w not in STOP_WORDS and len(w) >= 3]
        return cls._run(concepts, limit, prefix=True)


def pg_search_query(terms: list[Term]):
    """A PostgreSQL full-text query (`english`, stemmed) matching any of `terms` (words or phrases)."""
    from django.contrib.postgres.search import SearchQuery

    parts = [
        SearchQuery(" ".join(t), search_type="phrase" if len(t) > 1 else "plain", config=PG_CONFIG)
        for t in terms
    ]
    return reduce(or_, parts)


class _postgres:
    """Full-text search on the stored, weighted `search_vector`; pg_trgm for what it misses."""

    @classmethod
    def search(cls, concepts, *, limit):
        from django.contrib.postgres.search import SearchHeadline, SearchRank

        from .models import Article

        terms = list(dict.fromkeys(t for c in concepts for t in c))
        if not terms:
            return []
        query = pg_search_query(terms)
        # Rank first, then cut excerpts (ts_headline re-parses the body) for the page's rows only.
        ids = list(
            Article.objects.filter(is_published=True, search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query, weights=[0.1, 0.2, 0.4, 1.0]))
            .order_by("-rank", "position", "id")
            .values_list("id", flat=True)[:limit]
        )
        excerpts = dict(
            Article.objects.filter(pk__in=ids)
            .annotate(
                excerpt=SearchHeadline(
                    "body",
                    query,
                    config=PG_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("id", "excerpt")
        )
        rows = [(pk, excerpts.get(pk, "")) for pk in ids]
        return _hits(list(rows))

    @classmethod
    def any(cls, concepts) -> bool:
        from .models import Article

        terms = list(dict.fromkeys(t for c in concepts for t in c))
        return (
            bool(terms)
            and Article.objects.filter(is_published=True, search_vector=pg_search_query(terms)).exists()
        )

    @classmethod
    def fallback(cls, words, *, limit):
        """Titles that contain something close to what was typed (pg_trgm word similarity)."""
        from django.contrib.postgres.search import TrigramWordSimilarity

        from .models import Article

        text = " ".join(w for w in words if w not in STOP_WORDS)
        if not text:
            return []
        rows = (
            Article.objects.filter(is_published=True)
            .annotate(similarity=TrigramWordSimilarity(text, "title"))
            .filter(similarity__gte=TRIGRAM_FALLBACK_THRESHOLD)
            .order_by("-similarity", "position")
            .values_list("id", "summary")[:limit]
        )
        return _hits(list(rows))


# --- keeping the index in step (the service that saves an article, and data migrations) ----------

_PG_VECTOR = (
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(title, '') || ' ' || coalesce(keywords, '')), 'A') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(summary, '')), 'B') || "
    f"setweight(to_tsvector('{PG_CONFIG}', coalesce(body, '')), 'C')"
)


def index_articles(ids, *, using=None) -> None:
    """Bring the search index of the articles `ids` in step with their rows (deleted ones leave it)."""
    from django.db import connections

    conn = connections[using or "default"]
    vocabulary_forget()
    ids = [int(pk) for pk in ids]
    if not ids:
        return
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            sql = f"UPDATE support_article SET search_vector = {_PG_VECTOR} WHERE id = ANY(%s)"  # noqa: S608
            cursor.execute(sql, [ids])
        elif conn.vendor == "sqlite":
            marks = ",".join("%s" for _ in ids)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608 - constant table names; values are parameters
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, title, keywords, summary, body) "  # noqa: S608 - constant table names; values are parameters
                f"SELECT id, title, keywords, summary, body FROM support_article WHERE id IN ({marks})",
                ids,
            )


def index_rebuild(*, using=None) -> None:
    """Index every article again (after a data migration, a bulk load or a test flush)."""
    from django.db import connections

    conn = connections[using or "default"]
    vocabulary_forget()
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"UPDATE support_article SET search_vector = {_PG_VECTOR}")  # noqa: S608 - constant table names; values are parameters
        elif conn.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608 - constant table names; values are parameters
            cursor.execute(
                f"INSERT INTO {FTS_TABLE}(rowid, title, keywords, summary, body) "  # noqa: S608 - constant table names; values are parameters
                "SELECT id, title, keywords, summary, body FROM support_article"
            )


def fts_table_create_sql() -> str:
    return (
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "title, keywords, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
