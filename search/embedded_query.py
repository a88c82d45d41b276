"""Pure functions turning plans and access filters into tantivy queries."""

from __future__ import annotations

from collections.abc import Sequence

import tantivy
from tantivy import Occur, Query

from search.access import And, Eq, Filter, In, MatchAll, Or, principal_keys
from search.embedded_schema import (
    ID_FIELDS, PUBLIC_PAIRS, PUBLIC_STEMMED, PUBLIC_TEXT, SEPARATE_TEXT_FIELDS, STEMMED, VISIBLE_TO, pair_terms,
    pairs_field, stem,
)
from search.plan import Alternative, QueryPlan, TermGroup
from search.types import Principal, SearchQuery

# title > tags > resolution/body > staff_body
FIELD_WEIGHTS: dict[str, float] = {"title": 4.0, "tags": 3.0, "resolution": 1.6, "body": 1.5, "staff_body": 1.0}
# Tiers mimic Meilisearch's ranking: a word found exactly beats one found by prefix, which beats a typo.
EXACT_BONUS = 10.0
PREFIX_BONUS = 3.0
TYPO_WEIGHT = 0.1
LAZY_TERMS = 16


def filter_query(schema: tantivy.Schema, node: Filter) -> Query:
    match node:
        case MatchAll():
            return Query.all_query()
        case Eq(field, value):
            return Query.term_query(schema, field, _typed(field, value))
        case In(field, values):
            return any_term(schema, field, [_typed(field, v) for v in values])
        case And(parts):
            return Query.boolean_query([(Occur.Must, filter_query(schema, p)) for p in parts])
        case Or(parts):
            return Query.boolean_query([(Occur.Should, filter_query(schema, p)) for p in parts], 1)
    raise TypeError(f"unknown filter node {node!r}")


def any_term(schema: tantivy.Schema, field: str, values: Sequence[str | int]) -> Query:
    """Documents with one of `values` in `field`. A few values as a union of term queries, which
    an intersection only skips through; a term set query reads every posting up front."""
    if not values:
        return Query.empty_query()
    if len(values) > LAZY_TERMS:
        return Query.term_set_query(schema, field, list(values))
    return Query.boolean_query([(Occur.Should, Query.term_query(schema, field, value)) for value in values], 1)


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


def visibility_query(schema: tantivy.Schema, principal: Principal) -> Query | None:
    """access.visibility_filter as one lookup of the caller's keys; None when everything is visible."""
    keys = principal_keys(principal)
    return None if keys is None else any_term(schema, VISIBLE_TO, keys)


def restrict(
    schema: tantivy.Schema, scoring: Query, visible: Query | None, filters: Sequence[Filter],
    exclude_ids: Sequence[str],
) -> Query:
    """`scoring` limited to `visible` documents passing every filter; filters never change scores."""
    clauses: list[tuple[Occur, Query]] = [(Occur.Must, scoring)]
    if visible is not None:
        clauses.append((Occur.Must, Query.const_score_query(visible, 0.0)))
    clauses += [(Occur.Must, Query.const_score_query(filter_query(schema, f), 0.0)) for f in filters]
    if exclude_ids:
        clauses.append((Occur.MustNot, Query.term_set_query(schema, "id", list(exclude_ids))))
    return Query.boolean_query(clauses)


def plan_query(
    schema: tantivy.Schema, plan: QueryPlan, fields: Sequence[str], required: int, scoring: bool = True
) -> Query:
    """Documents with at least `required` of the plan's groups. `scoring=False` builds the same
    match set in its cheapest form (for counting facets, where scores are not needed)."""
    build = group_query if scoring else group_match
    groups = [(Occur.Should, build(schema, group, fields)) for group in plan.groups]
    return Query.boolean_query(groups, max(1, min(required, len(groups))))


def group_query(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> Query:
    """One flat union per group (each level of nesting costs a pass over the matching documents).

    Any exact (or stemmed) word or phrase of the group earns EXACT_BONUS once; per-field BM25
    ranks the `ranked` words among those (a phrase earns the bonus only); typo and prefix matches
    add small constant scores."""
    words = _single_words(group)
    exact = [Query.term_query(schema, field, term) for word in words for field, term in exact_terms(fields, word)]
    exact += [query for phrase in _phrases(group) for query in phrase_queries(schema, fields, phrase)]
    any_exact = Query.boolean_query([(Occur.Should, q) for q in exact], 1)
    clauses = [(Occur.Should, Query.const_score_query(any_exact, EXACT_BONUS))]
    ranked = [alt.words[0] for alt in group.alternatives if len(alt.words) == 1 and alt.ranked]
    for field in fields:
        terms = [q for word in ranked for q in _ranking_terms(schema, field, word)]
        clauses += [(Occur.Should, Query.boost_query(q, FIELD_WEIGHTS[field])) for q in terms]
    for alternative in group.alternatives:
        if len(alternative.words) == 1:
            for field, weight in _loose_fields(fields):
                clauses += _loose_clauses(schema, field, weight, alternative)
    return Query.boolean_query(clauses, 1)


def group_match(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> Query:
    """The documents `group_query` matches, with fewer postings read: each word once per plain
    field, by its loose form where it has one (which also finds the word itself), and once per
    stemmed field; the title's own clauses are left out, as the combined public fields hold it."""
    clauses = [query for phrase in _phrases(group) for query in phrase_queries(schema, fields, phrase)]
    plain_fields = [PUBLIC_TEXT] + [f"{field}_plain" for field in _separate(fields)]
    for alternative in group.alternatives:
        if len(alternative.words) > 1:
            continue
        word, typos, prefix = alternative.words[0], alternative.typos, alternative.prefix
        for field in plain_fields:
            clauses.append(Query.fuzzy_term_query(schema, field, word, typos, True, prefix) if typos or prefix
                           else Query.term_query(schema, field, word))
        clauses += [Query.term_query(schema, field, term) for field, term in exact_terms(fields, word)
                    if field not in plain_fields]
    return Query.boolean_query([(Occur.Should, q) for q in clauses], 1)


def _single_words(group: TermGroup) -> list[str]:
    return [alt.words[0] for alt in group.alternatives if len(alt.words) == 1]


def _phrases(group: TermGroup) -> list[tuple[str, ...]]:
    """The group's phrases, but for those holding one of its own words ("registro protocollo" for
    "protocollo"): they find nothing that word does not, and earn the same bonus."""
    words = set(_single_words(group))
    return [alt.words for alt in group.alternatives if len(alt.words) > 1 and not words & set(alt.words)]


def _ranking_terms(schema: tantivy.Schema, field: str, word: str) -> list[Query]:
    """BM25 clauses for `word` in `field`: its stems (one per language field), plus the exact
    form in the title, where it is cheap and tells "fattura" from "fatture"."""
    clauses = [Query.term_query(schema, f"{field}_{language}", stem(word, language)) for language in STEMMED]
    if field == "title":
        clauses.append(Query.term_query(schema, "title_plain", word))
    return clauses


def exact_terms(fields: Sequence[str], word: str) -> list[tuple[str, str]]:
    """(field, term) pairs finding the word or its stem in any of `fields`: the public ones (always
    all of them, see access.searchable_fields) through the combined fields, the others one by one."""
    pairs = [(PUBLIC_TEXT, word)] + [(PUBLIC_STEMMED[language], stem(word, language)) for language in STEMMED]
    return pairs + [pair for field in _separate(fields) for pair in _field_terms(field, word)]


def _field_terms(field: str, word: str) -> list[tuple[str, str]]:
    return [(f"{field}_plain", word)] + [(f"{field}_{language}", stem(word, language)) for language in STEMMED]


def phrase_queries(schema: tantivy.Schema, fields: Sequence[str], phrase: Sequence[str]) -> list[Query]:
    """A synonym phrase in any of `fields`, through the word-pair fields: two words are one term,
    three are a phrase of two pairs."""
    pairs = pair_terms(phrase)
    targets = [PUBLIC_PAIRS] + [pairs_field(field) for field in _separate(fields)]
    if len(pairs) == 1:
        return [Query.term_query(schema, target, pairs[0]) for target in targets]
    return [Query.phrase_query(schema, target, pairs) for target in targets]


def _loose_fields(fields: Sequence[str]) -> list[tuple[str, float]]:
    """Where typo and prefix matches are looked for: the title on its own (it weighs most),
    every public field at once, and each remaining field (staff notes) apart."""
    return [
        ("title_plain", FIELD_WEIGHTS["title"] - FIELD_WEIGHTS["body"]),
        (PUBLIC_TEXT, FIELD_WEIGHTS["body"]),
        *((f"{field}_plain", FIELD_WEIGHTS[field]) for field in _separate(fields)),
    ]


def _separate(fields: Sequence[str]) -> list[str]:
    return [field for field in fields if field in SEPARATE_TEXT_FIELDS]


def _loose_clauses(schema: tantivy.Schema, field: str, weight: float, alternative: Alternative) -> list[tuple[Occur, Query]]:
    word, typos = alternative.words[0], alternative.typos
    clauses: list[tuple[Occur, Query]] = []
    if alternative.prefix:
        prefixed = Query.fuzzy_term_query(schema, field, word, 0, True, True)
        clauses.append((Occur.Should, Query.const_score_query(prefixed, PREFIX_BONUS + TYPO_WEIGHT * weight)))
    if typos:
        # With a prefix, the typo-tolerant prefix automaton also matches every whole word within
        # the typo budget: one automaton instead of two.
        fuzzy = Query.fuzzy_term_query(schema, field, word, typos, True, alternative.prefix)
        clauses.append((Occur.Should, Query.const_score_query(fuzzy, TYPO_WEIGHT * weight)))
    return clauses
