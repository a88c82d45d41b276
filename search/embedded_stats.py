"""What the index's term dictionary says about a query's words before the query runs.

Document frequencies cost a dictionary lookup each, a small fraction of a query, and tell which
work can be skipped: typo expansion of a word already found exactly in many documents, the
all-words pass when one word can match nothing, and BM25 ranking of words most documents contain.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import tantivy

from search.embedded_query import exact_terms
from search.plan import Alternative, QueryPlan, TermGroup

# A word found exactly in this many documents is not expanded to its typo variants: they would
# rank below every exact match anyway, and expanding a common word walks and unions a large
# part of the dictionary (prefix completion of the last word is kept).
TYPO_SKIP_DOCS = 1_000
# A word found in this share of the index or more still matches and earns its exact-match tier,
# but gets no BM25 clauses of its own: its idf is near zero, so they would barely move the
# ranking while scoring most of the index once per field and language.
FREQUENT_SHARE = 0.30


def word_frequency(searcher: tantivy.Searcher, fields: Sequence[str], word: str) -> int:
    """Documents having the word or its stem in one of `fields` (the largest count among them)."""
    return max(searcher.doc_freq(field, term) for field, term in exact_terms(fields, word))


def alternative_frequency(searcher: tantivy.Searcher, fields: Sequence[str], alternative: Alternative) -> int:
    """An upper bound of the documents matching `alternative` exactly (a phrase: its rarest word)."""
    return min(word_frequency(searcher, fields, word) for word in alternative.words)


@dataclasses.dataclass(frozen=True)
class GroupStats:
    frequency: int  # upper bound of the documents matching the group exactly
    loose: bool  # typo or prefix matching may find more

    @property
    def certainly_empty(self) -> bool:
        return self.frequency == 0 and not self.loose


def tighten(searcher: tantivy.Searcher, plan: QueryPlan, fields: Sequence[str]) -> tuple[QueryPlan, list[GroupStats]]:
    """The plan without typo expansion or BM25 clauses of frequent words, and what is known of each group."""
    groups: list[TermGroup] = []
    stats: list[GroupStats] = []
    for group in plan.groups:
        alternatives = []
        frequency = 0
        for alternative in group.alternatives:
            found = alternative_frequency(searcher, fields, alternative)
            frequency += found
            if alternative.typos and found >= TYPO_SKIP_DOCS:
                alternative = dataclasses.replace(alternative, typos=0)
            if found >= FREQUENT_SHARE * searcher.num_docs:
                alternative = dataclasses.replace(alternative, ranked=False)
            alternatives.append(alternative)
        groups.append(TermGroup(tuple(alternatives)))
        stats.append(GroupStats(frequency, any(a.typos or a.prefix for a in alternatives)))
    return QueryPlan(tuple(groups)), stats
