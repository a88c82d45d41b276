"""<mark> highlights and cropped snippets that also catch fuzzy and prefix matches.

Works on analyzer tokens (folded text + character offsets), so whatever the engine matched
by exact, stemmed, typo-tolerant or prefix comparison is marked; the rest is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from search.plan import QueryPlan

Stem = Callable[[str], str]
ELLIPSIS = "…"


@dataclass(frozen=True)
class Token:
    text: str  # folded, unstemmed
    start: int  # character offsets into the original text
    end: int


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance, giving up (returning limit + 1) once it exceeds limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
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


def token_matches(token: str, word: str, typos: int, prefix: bool, stem: Stem) -> bool:
    if token == word:
        return True
    if len(word) > 2 and stem(token) == stem(word):
        return True
    if typos and damerau_levenshtein(token, word, typos) <= typos:
        return True
    if prefix:
        return _prefix_matches(token, word, typos)
    return False


def _prefix_matches(token: str, word: str, typos: int) -> bool:
    if token.startswith(word):
        return True
    if not typos:
        return False
    for length in range(max(1, len(word) - typos), min(len(token), len(word) + typos) + 1):
        if damerau_levenshtein(token[:length], word, typos) <= typos:
            return True
    return False


def matched_positions(tokens: list[Token], plan: QueryPlan, stem: Stem) -> dict[int, int]:
    """Token index -> index of the query group it matched (each distinct word is compared once)."""
    verdicts: dict[str, int | None] = {}
    found: dict[int, int] = {}
    for position, token in enumerate(tokens):
        if token.text not in verdicts:
            verdicts[token.text] = _matching_group(token.text, plan, stem)
        group_index = verdicts[token.text]
        if group_index is not None:
            found[position] = group_index
    for group_index, group in enumerate(plan.groups):
        for alternative in group.alternatives:
            if len(alternative.words) > 1:
                for position in _phrase_positions(tokens, alternative.words):
                    found.setdefault(position, group_index)
    return found


def _matching_group(text: str, plan: QueryPlan, stem: Stem) -> int | None:
    for group_index, group in enumerate(plan.groups):
        for alternative in group.alternatives:
            if len(alternative.words) == 1 and token_matches(
                text, alternative.words[0], alternative.typos, alternative.prefix, stem
            ):
                return group_index
    return None


def _phrase_positions(tokens: list[Token], words: tuple[str, ...]) -> list[int]:
    positions: list[int] = []
    for i in range(len(tokens) - len(words) + 1):
        if all(tokens[i + k].text == words[k] for k in range(len(words))):
            positions.extend(range(i, i + len(words)))
    return positions


def best_window(tokens: list[Token], matches: dict[int, int], width: int) -> tuple[int, int]:
    """[start, end) token range of `width` tokens covering the most distinct groups, then most marks."""
    if len(tokens) <= width:
        return 0, len(tokens)
    if not matches:
        return 0, width
    best_start, best_key = 0, (-1, -1)
    for first in sorted(matches):
        start = max(0, min(first - width // 4, len(tokens) - width))
        inside = [group for pos, group in matches.items() if start <= pos < start + width]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best_start, best_key = start, key
    return best_start, best_start + width


def render(text: str, tokens: list[Token], matches: dict[int, int], window: tuple[int, int] | None) -> Markup:
    """Escape `text` (cropped to the token window, if any) and wrap matched tokens in <mark>."""
    if window is None or not tokens:
        begin, finish, lead, tail = 0, len(text), "", ""
        first, last = 0, len(tokens)
    else:
        first, last = window
        begin = tokens[first].start if first > 0 else 0
        finish = tokens[last - 1].end if last < len(tokens) else len(text)
        lead = ELLIPSIS if first > 0 else ""
        tail = ELLIPSIS if last < len(tokens) else ""
    pieces: list[str] = [lead]
    cursor = begin
    for position in range(first, last):
        if position not in matches:
            continue
        token = tokens[position]
        pieces.append(str(escape(text[cursor : token.start])))
        pieces.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
        cursor = token.end
    pieces.append(str(escape(text[cursor:finish])))
    pieces.append(tail)
    return Markup("".join(pieces).strip())
