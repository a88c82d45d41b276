"""Which query words get typo and prefix expansions: only those no visible document holds exactly.

A word found exactly is ranked by BM25 on what it is; its typo variants and completions would only
add noise (on a whole question, every long word has neighbours in the dictionary). A word found
nowhere, a typo or a word still being typed, falls back to them. "Visible" is the caller's view of
the index: whether a word exists in documents the caller may not see must change nothing they get.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import tantivy
from tantivy import Occur, Query

from search.embedded_query import exact_match, exact_terms
from search.plan import QueryPlan, TermGroup


def word_frequency(searcher: tantivy.Searcher, fields: Sequence[str], word: str) -> int:
    """Documents having the word or its stem in one of `fields` (the largest count among them)."""
    return max(searcher.doc_freq(field, term) for field, term in exact_terms(fields, word))


def found_exactly(
    searcher: tantivy.Searcher, schema: tantivy.Schema, group: TermGroup, fields: Sequence[str],
    visible: Query | None,
) -> bool:
    """Whether a document the caller may see holds one of the group's words or phrases exactly."""
    words = [word for alternative in group.alternatives for word in alternative.words]
    if not any(word_frequency(searcher, fields, word) for word in words):
        return False  # the dictionary alone says so, for everyone
    if visible is None:
        return True  # staff see every document (the dictionary may still count one deleted since the last merge)
    query = exact_match(schema, group, fields)
    query = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.const_score_query(visible, 0.0))])
    return bool(searcher.search(query, 1, count=False).hits)


def fallbacks(
    searcher: tantivy.Searcher, schema: tantivy.Schema, plan: QueryPlan, fields: Sequence[str],
    visible: Query | None,
) -> QueryPlan:
    """The plan with typo budgets and prefix matching kept only for groups found nowhere exactly."""
    groups = []
    for group in plan.groups:
        loose = any(alternative.typos or alternative.prefix for alternative in group.alternatives)
        if loose and found_exactly(searcher, schema, group, fields, visible):
            group = TermGroup(tuple(dataclasses.replace(a, typos=0, prefix=False) for a in group.alternatives))
        groups.append(group)
    return QueryPlan(tuple(groups))
