"""The admin-edited lexicon: synonym groups and stop words per language, stored in one row and applied
to the engine with `configure` at first use, after each edit, and when another process saved a new one
(noticed within LEXICON_RECHECK_SECONDS)."""

import re
import time
import weakref
from dataclasses import dataclass

from search.engine import SearchEngine
from search.lexicon import DEFAULT_SYNONYMS, ENGLISH_STOP_WORDS, ITALIAN_STOP_WORDS, Lexicon
from tortoise.transactions import in_transaction

from app.accounts.models import User
from app.audit import service as audit
from app.i18n import N_
from app.searching.models import LEXICON_ROW_ID, SearchLexicon

LANGUAGES: tuple[str, ...] = ("it", "en")
DEFAULTS_VERSION = 0  # what an engine runs with before any row exists
MAX_GROUPS = 500
MAX_PHRASES = 20
MAX_PHRASE_CHARS = 80
MAX_STOP_WORDS = 1000
MAX_STOP_WORD_CHARS = 40

Groups = list[list[str]]
StopWords = dict[str, list[str]]

# Reading the stored version before every search cost a query per search; an edit saved by another
# process is picked up at most this late (the editing process applies it at once).
LEXICON_RECHECK_SECONDS = 1.0

_applied: "weakref.WeakKeyDictionary[SearchEngine, tuple[int, float]]" = weakref.WeakKeyDictionary()


class LexiconError(ValueError):
    """A line the admin must fix; `message` is an English msgid with %(name)s placeholders."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values


@dataclass(frozen=True)
class StoredLexicon:
    groups: Groups
    stop_words: StopWords
    version: int
    updated_by: str = ""

    def to_lexicon(self) -> Lexicon:
        synonyms: dict[str, list[str]] = {}
        for key, *others in self.groups:
            merged = synonyms.setdefault(key, [])
            merged.extend(p for p in others if p not in merged)
        words = {w for language in LANGUAGES for w in self.stop_words.get(language, [])}
        return Lexicon(synonyms=synonyms, stop_words=words)


def default_lexicon() -> StoredLexicon:
    groups = [[key, *values] for key, values in DEFAULT_SYNONYMS.items()]
    stop_words = {"it": sorted(ITALIAN_STOP_WORDS), "en": sorted(ENGLISH_STOP_WORDS)}
    return StoredLexicon(groups, stop_words, DEFAULTS_VERSION)


async def stored_lexicon() -> StoredLexicon:
    row = await SearchLexicon.get_or_none(id=LEXICON_ROW_ID).select_related("updated_by")
    if row is None:
        return default_lexicon()
    editor = row.updated_by.full_name if row.updated_by else ""
    return StoredLexicon(row.synonyms, row.stop_words, row.version, editor)


async def stored_version() -> int:
    versions = await SearchLexicon.filter(id=LEXICON_ROW_ID).values_list("version", flat=True)
    return versions[0] if versions else DEFAULTS_VERSION


# -- the editor's text form ------------------------------------------------------------------------


def format_synonyms(groups: Groups) -> str:
    return "\n".join(", ".join(group) for group in groups)


def format_stop_words(words: list[str]) -> str:
    return " ".join(words)


def parse_synonyms(text: str) -> Groups:
    """One group per line, phrases separated by commas: "login, accesso, sign in"."""
    groups: Groups = []
    for number, line in enumerate(text.splitlines(), start=1):
        phrases = list(dict.fromkeys(" ".join(p.split()).lower() for p in line.split(",") if p.strip()))
        if not phrases:
            continue
        if len(phrases) < 2:
            raise LexiconError(N_("Line %(line)s: a synonym group needs two or more words separated by commas."),
                               line=number)
        if len(phrases) > MAX_PHRASES or any(len(p) > MAX_PHRASE_CHARS for p in phrases):
            raise LexiconError(N_("Line %(line)s is too long."), line=number)
        groups.append(phrases)
    if len(groups) > MAX_GROUPS:
        raise LexiconError(N_("At most %(count)s synonym groups."), count=MAX_GROUPS)
    return groups


def parse_stop_words(text: str) -> list[str]:
    """Words separated by spaces, commas or new lines."""
    words = sorted({w.lower() for w in re.split(r"[\s,;]+", text) if w})
    if len(words) > MAX_STOP_WORDS:
        raise LexiconError(N_("At most %(count)s stop words per language."), count=MAX_STOP_WORDS)
    if any(len(w) > MAX_STOP_WORD_CHARS for w in words):
        raise LexiconError(N_("A stop word is a single short word."))
    return words


# -- saving and applying -----------------------------------------------------------------------------


async def save_lexicon(groups: Groups, stop_words: StopWords, editor: User | None,
                       action: str = "lexicon.update") -> StoredLexicon:
    """Save the lexicon and its audit entry in one transaction."""
    clean = {language: stop_words.get(language, []) for language in LANGUAGES}
    async with in_transaction():
        row = await SearchLexicon.get_or_none(id=LEXICON_ROW_ID)
        before = default_lexicon() if row is None else StoredLexicon(row.synonyms, row.stop_words, row.version)
        if row is None:
            row = await SearchLexicon.create(id=LEXICON_ROW_ID, synonyms=groups, stop_words=clean, updated_by=editor)
        else:
            row.synonyms, row.stop_words, row.version, row.updated_by = groups, clean, row.version + 1, editor
            await row.save()
        await audit.record(editor, action, "lexicon", f"v{row.version}",
                           changed=audit.changed_fields(_counts(before.groups, before.stop_words),
                                                        _counts(groups, clean)),
                           synonyms_added=[g for g in groups if g not in before.groups],
                           synonyms_removed=[g for g in before.groups if g not in groups])
    return StoredLexicon(groups, clean, row.version, editor.full_name if editor else "")


def _counts(groups: Groups, stop_words: StopWords) -> dict[str, int]:
    """What the audit log compares: the entire lists would bury the change in hundreds of words."""
    return {"synonym_groups": len(groups), **{f"stop_words_{code}": len(stop_words.get(code, [])) for code in LANGUAGES}}


async def reset_lexicon(editor: User | None) -> StoredLexicon:
    defaults = default_lexicon()
    return await save_lexicon(defaults.groups, defaults.stop_words, editor, action="lexicon.reset")


async def apply_lexicon(engine: SearchEngine, force: bool = False) -> None:
    """Configure `engine` with the stored lexicon unless it already runs that version (looked up at
    most once every LEXICON_RECHECK_SECONDS unless `force`)."""
    now = time.monotonic()
    applied = _applied.get(engine)
    if not force and applied is not None and now - applied[1] < LEXICON_RECHECK_SECONDS:
        return
    version = await stored_version()
    if not force and applied is not None and applied[0] == version:
        _applied[engine] = (version, now)
        return
    lexicon = await stored_lexicon()
    await engine.configure(lexicon.to_lexicon())
    _applied[engine] = (lexicon.version, now)
