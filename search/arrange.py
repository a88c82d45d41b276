"""Results people can use: one language version per article, a manual's pages together under it.

Works on the ranked candidates (best first) as `Placement`s, which the index stores with every
document in one short string: the document's language, the manual a page belongs to, and the article's
own address and its other language version's. Pure functions; the engine ranks the reader's language
first before this runs, so of two versions of one article the reader's is the one kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from search.types import Hit, SearchDocument, SearchQuery, SearchResult

PAGES_PER_MANUAL = 3  # a manual's best pages shown under it; the manual's own page has the rest
# Candidates read past the last hit shown: where a manual's next best pages and the other language
# versions of the articles shown are looked for.
ARRANGE_REACH = 20
SEPARATOR = "|"  # never in a language code, a document id or an article's address (its slug)


@dataclass(frozen=True)
class Placement:
    language: str = ""
    manual: str = ""  # a manual page's document ("document:7"), else ""
    article: str = ""  # an article's own address (slug), else ""
    translation: str = ""  # the address of its other language version, if it names one


def placement_of(doc: SearchDocument) -> Placement:
    return _placement(doc.id, doc.kind, doc.language, doc.extra)


def placement_of_hit(hit: Hit) -> Placement:
    """The same, from what a hit carries (every caller may retrieve `language` and `extra`)."""
    return _placement(hit.id, hit.kind, str(hit.fields.get("language") or ""), hit.fields.get("extra") or {})


def _placement(doc_id: str, kind: str, language: str, extra: Mapping[str, str]) -> Placement:
    """A manual page's id is its document's id plus a page suffix (see app/searching/sources.py)."""
    manual = doc_id.rsplit(":", 1)[0] if kind == "manual_page" and doc_id.count(":") >= 2 else ""
    return Placement(language, manual, extra.get("slug", ""), extra.get("translation", ""))


def encode(placement: Placement) -> str:
    return SEPARATOR.join((placement.language, placement.manual, placement.article, placement.translation))


def decode(text: str) -> Placement:
    parts = text.split(SEPARATOR)
    return Placement(*parts) if len(parts) == 4 else Placement()


def arrange(
    ranked: Sequence[Placement], pages_per_manual: int | None = PAGES_PER_MANUAL, reader_language: str = "",
) -> tuple[list[int], int]:
    """The candidates' indexes in the order to show them, and how many were left out.

    With `reader_language`, candidates in that language come first, in their order (a ranking that
    did not already put them first: fused ones, Meilisearch's). A manual's first page (its best) opens
    a group that its next best pages join, up to `pages_per_manual` (None: all); an article whose
    other language version ranked before it is left out. Everything else keeps its rank."""
    slots: list[list[int]] = []
    manuals: dict[str, list[int]] = {}
    kept_articles: set[str] = set()
    kept_translations: set[str] = set()
    dropped = 0
    indexes = range(len(ranked))
    if reader_language:
        indexes = sorted(indexes, key=lambda index: ranked[index].language != reader_language)
    for index in indexes:
        placement = ranked[index]
        if placement.article and (placement.article in kept_translations or placement.translation in kept_articles):
            dropped += 1
            continue
        if placement.article:
            kept_articles.add(placement.article)
            if placement.translation:
                kept_translations.add(placement.translation)
        group = manuals.get(placement.manual) if placement.manual else None
        if group is None:
            slots.append([index])
            if placement.manual:
                manuals[placement.manual] = slots[-1]
        elif pages_per_manual is None or len(group) < pages_per_manual:
            group.append(index)
        else:
            dropped += 1
    return [index for slot in slots for index in slot], dropped


@dataclass(frozen=True)
class HitGroup:
    """What a result list shows in one place: a hit on its own, or a manual (title, address) with its pages."""

    hits: list[Hit]
    manual: str = ""
    url: str = ""


def arranged_page(found: SearchResult, query: SearchQuery, reader_language: str) -> SearchResult:
    """`arrange` for an engine that hands back hits rather than stored placements (Meilisearch):
    `found` answers `reach(query)`; the result is `query`'s page of it, arranged."""
    every_page = query.kinds == ("manual_page",)
    order, dropped = arrange([placement_of_hit(hit) for hit in found.hits], None if every_page else PAGES_PER_MANUAL,
                             reader_language)
    hits = [found.hits[index] for index in order[query.offset : query.offset + query.limit]]
    return dataclasses.replace(found, hits=hits, total=max(found.total - dropped, len(hits)))


def reach(query: SearchQuery) -> SearchQuery:
    """The candidates `arranged_page` needs: the page and everything before it, plus ARRANGE_REACH."""
    return dataclasses.replace(query, offset=0, limit=query.offset + query.limit + ARRANGE_REACH)


def grouped(hits: Sequence[Hit]) -> list[HitGroup]:
    """`hits` in order, the neighbouring pages of one manual (arrange put them together) as one group."""
    groups: list[HitGroup] = []
    for hit in hits:
        extra = hit.fields.get("extra") or {}
        manual = extra.get("manual_url", "") if hit.kind == "manual_page" else ""
        if manual and groups and groups[-1].url == manual:
            groups[-1].hits.append(hit)
        elif manual:
            groups.append(HitGroup([hit], extra.get("manual") or hit.title, manual))
        else:
            groups.append(HitGroup([hit]))
    return [group if len(group.hits) > 1 else HitGroup(group.hits) for group in groups]
