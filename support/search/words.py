"""What a person typed, as words: small words dropped, synonyms of the field added.

`query_words` cuts text into lower-case words; `search_concepts` turns them into the concepts an
article is scored on: one per content word (with its typo correction) and one per synonym group
the words mention (with every phrase of the group).
"""

import re

MAX_WORDS = 12

_SMALL_WORDS = """
    a about after all am an and any are as at be been but by can could did do does doing for from
    get got had has have having he her here how i if in into is it its just me more most my myself
    no of off on once only or other our out own please she should so some such than that the their
    them then there these they this those through to too very was we were what when where which
    while who why will with would you your yours
"""
STOP_WORDS = frozenset(_SMALL_WORDS.split())

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

Term = tuple[str, ...]  # one word, or a phrase of words that must follow each other

WORD = re.compile(r"[a-z0-9]+")
APOSTROPHES = re.compile(r"['’`]")


def text_words(text: str) -> list[str]:
    """Every lower-case word of `text`: "Can't sign-in!" -> ["cant", "sign", "in"]."""
    return WORD.findall(APOSTROPHES.sub("", (text or "").lower()))


def query_words(text: str) -> list[str]:
    """The first MAX_WORDS words of `text` (see `text_words`)."""
    return text_words(text)[:MAX_WORDS]


_SYNONYM_PHRASES = {tuple(query_words(p)): group for group in SYNONYMS for p in group}
SYNONYM_WORDS = frozenset(w for phrase in _SYNONYM_PHRASES for w in phrase)
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


def concept_terms(concepts: list[list[Term]]) -> list[Term]:
    """Every term of `concepts`, once, in order."""
    return list(dict.fromkeys(t for concept in concepts for t in concept))


def search_terms(words: list[str], fixed: list[str] | None = None) -> list[Term]:
    """Every term of every concept, once."""
    return concept_terms(search_concepts(words, fixed))
