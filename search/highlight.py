"""<mark> highlights and cropped snippets that also catch fuzzy and prefix matches.

Works on analyzer tokens: a field's folded words (one call into the analyzer, no Python object
per token) decide what matches and where the snippet window goes; character offsets are read
only for the window's ends and the marked words. Whatever the engine matched by exact, stemmed,
typo-tolerant or prefix comparison is marked; the rest is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from search.plan import QueryPlan

Stem = Callable[[str], str]
Span = Callable[[int], tuple[int, int]]  # token index -> (start, end) character offsets in the text
ELLIPSIS = "…"
LOOSE_VERDICTS_KEPT = 100_000
_LOOSE_VERDICTS: dict[str, bool] = {}


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (returning limit + 1) once it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _matches(token: str, token_stem: str, word: str, word_stem: str | None, typos: int, prefix: bool) -> bool:
    """`word_stem` is None for words too short to compare by stem."""
    if token == word or token_stem == word_stem:
        return True
    return bool(typos or prefix) and _loosely_matches(token, word, typos, prefix)


def _loosely_matches(token: str, word: str, typos: int, prefix: bool) -> bool:
    """By typos or as a prefix. Remembered across queries: the comparisons cost most of highlighting, and
    the words of documents and queries repeat. A dict of strings and booleans, which the garbage collector
    does not scan (an lru_cache's entries are objects it scans, and full collections took 0.1 s)."""
    key = f"{token} {word} {typos} {prefix:d}"  # plain tokens hold no spaces
    verdict = _LOOSE_VERDICTS.get(key)
    if verdict is None:
        if len(_LOOSE_VERDICTS) >= LOOSE_VERDICTS_KEPT:
            _LOOSE_VERDICTS.clear()
        verdict = _LOOSE_VERDICTS[key] = _compare_loosely(token, word, typos, prefix)
    return verdict


def _compare_loosely(token: str, word: str, typos: int, prefix: bool) -> bool:
    if typos and _close_letters(token, word, typos) and damerau_levenshtein(token, word, typos) <= typos:
        return True
    return prefix and _prefix_matches(token, word, typos)


def _comparable_stem(word: str, stem: Stem) -> str | None:
    """Words of one or two letters are compared as they are, never by stem."""
    return stem(word) if len(word) > 2 else None


def _close_letters(a: str, b: str, typos: int) -> bool:
    """A cheap necessary condition: each edit changes at most two letters of the letter sets."""
    return len(set(a) ^ set(b)) <= 2 * typos


def _prefix_matches(token: str, word: str, typos: int) -> bool:
    if token.startswith(word):
        return True
    if not typos:
        return False
    longest = min(len(token), len(word) + typos)
    # Necessary: each edit brings at most one letter of `word` that the token's start lacks.
    if len(set(word).difference(token[:longest])) > typos:
        return False
    for length in range(max(1, len(word) - typos), longest + 1):
        if damerau_levenshtein(token[:length], word, typos) <= typos:
            return True
    return False


class Matcher:
    """Which query group a token matches, remembered per distinct token for one query.

    One query highlights several hits whose words mostly repeat: the (costly) typo and
    stem comparisons run once per distinct word, not once per occurrence or per hit.
    """

    def __init__(self, plan: QueryPlan, stem: Stem) -> None:
        self.plan = plan
        self.stem = stem
        self._verdicts: dict[str, int | None] = {}
        self._matched: dict[str, int] = {}
        self._singles = [
            (group_index, alternative, _comparable_stem(alternative.words[0], stem))
            for group_index, group in enumerate(plan.groups)
            for alternative in group.alternatives
            if len(alternative.words) == 1
        ]
        self._phrases = [
            (group_index, alternative.words)
            for group_index, group in enumerate(plan.groups)
            for alternative in group.alternatives
            if len(alternative.words) > 1
        ]

    def group_of(self, text: str) -> int | None:
        if text in self._verdicts:
            return self._verdicts[text]
        verdict = None
        text_stem = self.stem(text)
        for group_index, alternative, word_stem in self._singles:
            if _matches(text, text_stem, alternative.words[0], word_stem, alternative.typos, alternative.prefix):
                verdict = group_index
                break
        self._verdicts[text] = verdict
        if verdict is not None:
            self._matched[text] = verdict
        return verdict

    def positions(self, words: Sequence[str]) -> dict[int, int]:
        """Word index -> index of the query group it matched; `words` are a field's folded tokens."""
        distinct = set(words)
        for word in distinct.difference(self._verdicts):
            self.group_of(word)
        matched = self._matched
        found = {position: matched[word] for position, word in enumerate(words) if word in matched}
        for group_index, phrase in self._phrases:
            if distinct.issuperset(phrase):
                for position in _phrase_positions(words, phrase):
                    found.setdefault(position, group_index)
        return found


def _phrase_positions(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    positions: list[int] = []
    first, width = phrase[0], len(phrase)
    for i, word in enumerate(words[: len(words) - width + 1]):
        if word == first and tuple(words[i : i + width]) == phrase:
            positions.extend(range(i, i + width))
    return positions


def best_window(count: int, matches: dict[int, int], width: int) -> tuple[int, int]:
    """[start, end) range of `width` of the `count` tokens covering the most distinct groups, then most marks.

    Candidate windows start a quarter width before each match; they only move right, so one pass
    keeps the groups inside the current window."""
    if count <= width:
        return 0, count
    if not matches:
        return 0, width
    ordered = sorted(matches)
    inside: dict[int, int] = {}
    low = high = 0
    best_start, best_key = 0, (-1, -1)
    for first in ordered:
        start = max(0, min(first - width // 4, count - width))
        while high < len(ordered) and ordered[high] < start + width:
            group = matches[ordered[high]]
            inside[group] = inside.get(group, 0) + 1
            high += 1
        while ordered[low] < start:
            group = matches[ordered[low]]
            inside[group] -= 1
            if not inside[group]:
                del inside[group]
            low += 1
        key = (len(inside), high - low)
        if key > best_key:
            best_start, best_key = start, key
    return best_start, best_start + width


def render(text: str, count: int, span: Span, matches: dict[int, int], window: tuple[int, int] | None) -> Markup:
    """Escape `text` (cropped to the token window, if any) and wrap matched tokens in <mark>."""
    if window is None or not count:
        begin, finish, lead, tail = 0, len(text), "", ""
        first, last = 0, count
    else:
        first, last = window
        begin = span(first)[0] if first > 0 else 0
        finish = span(last - 1)[1] if last < count else len(text)
        lead = ELLIPSIS if first > 0 else ""
        tail = ELLIPSIS if last < count else ""
    pieces: list[str] = [lead]
    cursor = begin
    for position in sorted(p for p in matches if first <= p < last):
        start, end = span(position)
        pieces.append(str(escape(text[cursor:start])))
        pieces.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(str(escape(text[cursor:finish])))
    pieces.append(tail)
    return Markup("".join(pieces).strip())
