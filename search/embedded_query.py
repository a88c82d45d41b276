"""Pure functions turning plans and access filters into tantivy queries."""

from __future__ import annotations

from collections.abc import Sequence

import tantivy
from tantivy import Occur, Query

from search.access import And, Eq, Filter, In, MatchAll, Or
from search.embedded_schema import ID_FIELDS, STEMMED, stem
from search.plan import Alternative, QueryPlan, TermGroup
from search.types import SearchQuery

# title > tags > resolution/body > staff_body
FIELD_WEIGHTS: dict[str, float] = {"title": 4.0, "tags": 3.0, "resolution": 1.6, "body": 1.5, "staff_body": 1.0}
# Tiers mimic Meilisearch's ranking: a word found exactly beats one found by prefix, which beats a typo.
EXACT_BONUS = 10.0
PREFIX_BONUS = 3.0
TYPO_WEIGHT = 0.1


def filter_query(schema: tantivy.Schema, node: Filter) -> Query:
    match node:
        case MatchAll():
            return Query.all_query()
        case Eq(field, value):
            return Query.term_query(schema, field, _typed(field, value))
        case In(field, values):
            if not values:
                return Query.empty_query()
            return Query.term_set_query(schema, field, [_typed(field, v) for v in values])
        case And(parts):
            return Query.boolean_query([(Occur.Must, filter_query(schema, p)) for p in parts])
        case Or(parts):
            return Query.boolean_query([(Occur.Should, filter_query(schema, p)) for p in parts], 1)
    raise TypeError(f"unknown filter node {node!r}")


def _typed(field: str, value: str | int) -> str | int:
    return int(value) if field in ID_FIELDS else str(value)


def query_filters(query: SearchQuery) -> list[Filter]:
    """The caller's own narrowing (kinds, category...), engine-neutral."""
    filters: list[Filter] = []
    if query.kinds:
        filters.append(In("kind", tuple(query.kinds)))
    if query.category:
        filters.append(Eq("category", query.category))
    if query.product:
        filters.append(Eq("product", query.product))
    if query.status:
        filters.append(In("status", tuple(query.status)))
    if query.language:
        filters.append(Eq("language", query.language))
    return filters


def restrict(schema: tantivy.Schema, scoring: Query, filters: Sequence[Filter], exclude_ids: Sequence[str]) -> Query:
    """`scoring` limited to documents passing every filter; filters never change scores."""
    clauses: list[tuple[Occur, Query]] = [(Occur.Must, scoring)]
    clauses += [(Occur.Must, Query.const_score_query(filter_query(schema, f), 0.0)) for f in filters]
    if exclude_ids:
        clauses.append((Occur.MustNot, Query.term_set_query(schema, "id", list(exclude_ids))))
    return Query.boolean_query(clauses)


def plan_query(schema: tantivy.Schema, plan: QueryPlan, fields: Sequence[str], required: int) -> Query:
    groups = [(Occur.Should, group_query(schema, group, fields)) for group in plan.groups]
    return Query.boolean_query(groups, max(1, min(required, len(groups))))


def group_query(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> Query:
    return Query.boolean_query([(Occur.Should, _alternative_query(schema, alt, fields)) for alt in group.alternatives], 1)


def _alternative_query(schema: tantivy.Schema, alternative: Alternative, fields: Sequence[str]) -> Query:
    if len(alternative.words) > 1:
        return _phrase_query(schema, alternative.words, fields)
    return _word_query(schema, alternative, fields)


def _word_query(schema: tantivy.Schema, alternative: Alternative, fields: Sequence[str]) -> Query:
    word = alternative.words[0]
    exact: list[Query] = []
    relevance: list[tuple[Occur, Query]] = []
    loose: list[tuple[Occur, Query]] = []
    for field in fields:
        weight = FIELD_WEIGHTS[field]
        for clause in _exact_terms(schema, field, word):
            exact.append(clause)
            relevance.append((Occur.Should, Query.boost_query(clause, weight)))
        if alternative.typos:
            fuzzy = Query.fuzzy_term_query(schema, f"{field}_plain", word, alternative.typos, True, False)
            loose.append((Occur.Should, Query.const_score_query(fuzzy, TYPO_WEIGHT * weight)))
        if alternative.prefix:
            prefixed = Query.fuzzy_term_query(schema, f"{field}_plain", word, 0, True, True)
            loose.append((Occur.Should, Query.const_score_query(prefixed, PREFIX_BONUS + TYPO_WEIGHT * weight)))
            if alternative.typos:
                fuzzy_prefix = Query.fuzzy_term_query(schema, f"{field}_plain", word, alternative.typos, True, True)
                loose.append((Occur.Should, Query.const_score_query(fuzzy_prefix, TYPO_WEIGHT * weight)))
    any_exact = Query.boolean_query([(Occur.Should, q) for q in exact], 1)
    tiers = [(Occur.Should, Query.const_score_query(any_exact, EXACT_BONUS)), *relevance, *loose]
    return Query.boolean_query(tiers, 1)


def _exact_terms(schema: tantivy.Schema, field: str, word: str) -> list[Query]:
    clauses = [Query.term_query(schema, f"{field}_plain", word)]
    for language in STEMMED:
        clauses.append(Query.term_query(schema, f"{field}_{language}", stem(word, language)))
    return clauses


def _phrase_query(schema: tantivy.Schema, words: Sequence[str], fields: Sequence[str]) -> Query:
    phrases = [
        (Occur.Should, Query.boost_query(Query.phrase_query(schema, f"{field}_plain", list(words)), FIELD_WEIGHTS[field]))
        for field in fields
    ]
    matched = Query.boolean_query(phrases, 1)
    return Query.boolean_query([(Occur.Must, matched), (Occur.Should, Query.const_score_query(matched, EXACT_BONUS))])
