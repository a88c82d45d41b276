"""Turn the user's text into a query plan: words, synonyms, typo budgets, prefix. Pure functions."""

from __future__ import annotations

from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass

Tokenize = Callable[[str], list[str]]

MAX_WORDS = 10  # Meilisearch also uses at most 10 query words
MAX_SYNONYM_WORDS = 3


@dataclass(frozen=True)
class Alternative:
    """One way to match a group: a single word (typos/prefix allowed) or a synonym phrase."""

    words: tuple[str, ...]
    typos: int = 0
    prefix: bool = False


@dataclass(frozen=True)
class TermGroup:
    """A query word (or phrase) and its synonyms; any alternative satisfies the group."""

    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True)
class QueryPlan:
    groups: tuple[TermGroup, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def all_words(self) -> list[Alternative]:
        return [alt for group in self.groups for alt in group.alternatives]


def typo_budget(word: str) -> int:
    """Meilisearch defaults: 1 typo from 5 letters, 2 from 9."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def build_plan(
    text: str,
    tokenize: Tokenize,
    synonyms: Mapping[str, tuple[str, ...]],
    stop_words: Container[str],
    prefix_last: bool,
    allow_typos: bool = True,
) -> QueryPlan:
    """`synonyms` maps a tokenised phrase ("busta paga") to equivalent tokenised phrases."""
    tokens = tokenize(text)[: MAX_WORDS * 2]
    if not tokens:
        return QueryPlan(())
    ends_mid_word = prefix_last and not text[-1:].isspace()
    groups: list[TermGroup] = []
    index = 0
    while index < len(tokens):
        width, phrase = _longest_synonym(tokens, index, synonyms)
        is_last = index + width == len(tokens)
        if width == 1 and tokens[index] in stop_words and not _all_stop_words(tokens, stop_words):
            index += 1
            continue
        groups.append(_group(phrase, synonyms, allow_typos, ends_mid_word and is_last))
        index += width
    return QueryPlan(tuple(groups[:MAX_WORDS]))


def _all_stop_words(tokens: list[str], stop_words: Container[str]) -> bool:
    return all(token in stop_words for token in tokens)


def _longest_synonym(
    tokens: list[str], start: int, synonyms: Mapping[str, tuple[str, ...]]
) -> tuple[int, str]:
    for width in range(min(MAX_SYNONYM_WORDS, len(tokens) - start), 1, -1):
        phrase = " ".join(tokens[start : start + width])
        if phrase in synonyms:
            return width, phrase
    return 1, tokens[start]


def _group(phrase: str, synonyms: Mapping[str, tuple[str, ...]], allow_typos: bool, prefix: bool) -> TermGroup:
    words = tuple(phrase.split())
    own = Alternative(words, typo_budget(phrase) if allow_typos and len(words) == 1 else 0, prefix and len(words) == 1)
    others = tuple(Alternative(tuple(p.split())) for p in synonyms.get(phrase, ()) if p != phrase)
    return TermGroup((own, *others))
