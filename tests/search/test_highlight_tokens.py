"""Highlighting reads a field's words and their offsets from two analyzer calls: they must agree."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.embedded_schema import plain_analyzer, token_spans, tokenize_plain
from search.highlight import Matcher, _prefix_matches, best_window, damerau_levenshtein, render
from search.plan import build_plan

TRICKY = [
    "Perché l'utenza è bloccata? Città, ŒUVRE, straße, ﬁne, naïve café",
    "x" * 70 + " dopo una parola lunghissima " + "é" * 40 + " fine",
    "ERR-5422 / HTTP 7765: v7.8.0_beta (alpha)\tdue\nrighe",
    "",
]


@settings(max_examples=300)
@given(text=st.one_of(st.sampled_from(TRICKY), st.text(max_size=200)))
def test_spans_point_at_the_words_the_analyzer_returns(text: str) -> None:
    words = tokenize_plain(text)
    span = token_spans(text)
    for index, word in enumerate(words):
        start, end = span(index)
        assert tokenize_plain(text[start:end]) == [word]


def test_a_snippet_marks_typos_prefixes_and_escapes() -> None:
    text = "Il <modem> lampeggia; riavviare il modme e poi la stampant"
    plan = build_plan("modem stampa", tokenize_plain, {}, frozenset({"il"}), prefix_last=True)
    words = tokenize_plain(text)
    matches = Matcher(plan, lambda word: word).positions(words)
    html = render(text, len(words), token_spans(text), matches, best_window(len(words), matches, 6))
    assert html == "…il <mark>modme</mark> e poi la <mark>stampant</mark>"  # the window with both groups
    full = render(text, len(words), token_spans(text), matches, None)
    assert full == ("Il &lt;<mark>modem</mark>&gt; lampeggia; riavviare il <mark>modme</mark> e poi la "
                    "<mark>stampant</mark>")
    assert plain_analyzer().analyze("Città") == ["citta"]


def _best_window_by_brute_force(count: int, matches: dict[int, int], width: int) -> tuple[int, int]:
    """The rule, written the slow way: each candidate start counted from scratch; the first best wins."""
    if count <= width:
        return 0, count
    if not matches:
        return 0, width
    best_start, best_key = 0, (-1, -1)
    for first in sorted(matches):
        start = max(0, min(first - width // 4, count - width))
        inside = [group for position, group in matches.items() if start <= position < start + width]
        key = (len(set(inside)), len(inside))
        if key > best_key:
            best_start, best_key = start, key
    return best_start, best_start + width


@settings(max_examples=500)
@given(
    count=st.integers(0, 300),
    marks=st.dictionaries(st.integers(0, 299), st.integers(0, 5), max_size=60),
    width=st.integers(1, 40),
)
def test_the_snippet_window_is_the_one_covering_most_groups_then_most_marks(
    count: int, marks: dict[int, int], width: int
) -> None:
    matches = {position: group for position, group in marks.items() if position < count}
    assert best_window(count, matches, width) == _best_window_by_brute_force(count, matches, width)


def _prefix_matches_by_brute_force(token: str, word: str, typos: int) -> bool:
    """Some start of the token within the typo budget of the word (no shortcut)."""
    return any(damerau_levenshtein(token[:length], word, typos) <= typos for length in range(1, len(token) + 1))


@settings(max_examples=500)
@given(token=st.text("abcde", min_size=1, max_size=9), word=st.text("abcde", min_size=1, max_size=7),
       typos=st.integers(0, 2))
def test_the_prefix_shortcuts_keep_the_answer(token: str, word: str, typos: int) -> None:
    assert _prefix_matches(token, word, typos) == _prefix_matches_by_brute_force(token, word, typos)
