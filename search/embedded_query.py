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

# A word's score: BM25 over all of a document's public text (one field: document-wide IDF and length
# norm) times ALL_TEXT_WEIGHT, plus BM25 in each field times the field's weight, so a word in the title
# or the tags says more than one in the body. Set on general grounds, then checked on both benchmark
# collections and both halves of each (benchmarks/README.md): the neighbourhood scores the same.
ALL_TEXT_WEIGHT = 1.5
FIELD_WEIGHTS: dict[str, float] = {"title": 2.0, "tags": 1.5, "resolution": 0.6, "body": 0.5, "staff_body": 0.3}
SYNONYM_WEIGHT = 0.4  # a synonym stands for the word typed, with less certainty
PHRASE_WEIGHT = 1.0  # a synonym phrase ("busta paga"), matched anywhere in the public text
# Fallbacks (a word no visible document has exactly): constant scores on the scale of one BM25 term.
PREFIX_SCORE = 1.0
TYPO_SCORE = 0.5
# The reader's language first: added to every hit in that language, above any BM25 sum a query can
# reach, and subtracted again from the score reported. A power of two keeps the float32 sum exact enough.
LANGUAGE_TIER = 1024.0
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


def ranking_query(schema: tantivy.Schema, plan: QueryPlan, fields: Sequence[str]) -> Query:
    """Documents with any of the plan's words, scored by BM25 over the weighted fields (a sum of
    per-field BM25 clauses, each with its own IDF and length norm, boosted by the field's weight).

    One flat union: nothing is required, so a document holding fewer of the words still comes back,
    below those holding more (or rarer) ones."""
    clauses = [clause for group in plan.groups for clause in _group_clauses(schema, group, fields)]
    return Query.boolean_query(clauses, 1)


def reader_language_first(schema: tantivy.Schema, scoring: Query, language: str) -> Query:
    """`scoring` with LANGUAGE_TIER added to the documents in `language`: they rank first."""
    tier = Query.const_score_query(Query.term_query(schema, "language", language), LANGUAGE_TIER)
    return Query.boolean_query([(Occur.Must, scoring), (Occur.Should, tier)])


def match_query(schema: tantivy.Schema, plan: QueryPlan, fields: Sequence[str]) -> Query:
    """The documents `ranking_query` matches, in the cheapest form (for counting facets)."""
    clauses = [(Occur.Should, group_match(schema, group, fields)) for group in plan.groups]
    return Query.boolean_query(clauses, 1)


def _group_clauses(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> list[tuple[Occur, Query]]:
    """The word typed at full weight, its synonyms at SYNONYM_WEIGHT; typo and prefix matches only where
    the plan kept them (for words found nowhere exactly, see embedded_stats.fallbacks)."""
    clauses: list[tuple[Occur, Query]] = []
    own_phrases = set(_phrases(group))
    for position, alternative in enumerate(group.alternatives):
        weight = 1.0 if position == 0 else SYNONYM_WEIGHT
        if len(alternative.words) > 1:
            if alternative.words in own_phrases:
                clauses += [(Occur.Should, Query.boost_query(q, weight * PHRASE_WEIGHT))
                            for q in phrase_queries(schema, fields, alternative.words)]
            continue
        word = alternative.words[0]
        clauses += [(Occur.Should, Query.boost_query(Query.term_query(schema, field, stem(word, language)),
                                                     weight * ALL_TEXT_WEIGHT))
                    for language, field in PUBLIC_STEMMED.items()]
        for field in fields:
            clauses += [(Occur.Should, Query.boost_query(q, weight * FIELD_WEIGHTS[field]))
                        for q in _ranking_terms(schema, field, word)]
        for field, field_weight in _loose_fields(fields):
            clauses += _loose_clauses(schema, field, field_weight, alternative)
    return clauses


def group_match(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> Query:
    """The documents the group's clauses match, with fewer postings read: each word once per plain
    field, by its loose form where it has one (which also finds the word itself), and once per
    stemmed field."""
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


def exact_match(schema: tantivy.Schema, group: TermGroup, fields: Sequence[str]) -> Query:
    """Documents having one of the group's words (or stems) or phrases exactly: no typo, no prefix."""
    clauses = [query for phrase in _phrases(group) for query in phrase_queries(schema, fields, phrase)]
    clauses += [Query.term_query(schema, field, term) for word in _single_words(group)
                for field, term in exact_terms(fields, word)]
    return Query.boolean_query([(Occur.Should, q) for q in clauses], 1)


def _single_words(group: TermGroup) -> list[str]:
    return [alt.words[0] for alt in group.alternatives if len(alt.words) == 1]


def _phrases(group: TermGroup) -> list[tuple[str, ...]]:
    """The group's phrases, but for those holding one of its own words ("registro protocollo" for
    "protocollo"): they find nothing that word does not."""
    words = set(_single_words(group))
    return [alt.words for alt in group.alternatives if len(alt.words) > 1 and not words & set(alt.words)]


def _ranking_terms(schema: tantivy.Schema, field: str, word: str) -> list[Query]:
    """BM25 clauses for `word` in `field`: its stem in each language's field (a document fills only
    its own language's)."""
    return [Query.term_query(schema, f"{field}_{language}", stem(word, language)) for language in STEMMED]


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
        clauses.append((Occur.Should, Query.const_score_query(prefixed, PREFIX_SCORE * weight)))
    if typos:
        # With a prefix, the typo-tolerant prefix automaton also matches every whole word within
        # the typo budget: one automaton instead of two.
        fuzzy = Query.fuzzy_term_query(schema, field, word, typos, True, alternative.prefix)
        clauses.append((Occur.Should, Query.const_score_query(fuzzy, TYPO_SCORE * weight)))
    return clauses
