"""Results people can use: one language version per article, a manual's pages together under it.

Works on the ranked candidates (best first) as `Placement`s, which the index stores with every
document in one short string: the document's language, the manual a page belongs to, and the article's
own address and its other language version's. Pure functions; the engine ranks the reader's language
first before this runs, so of two versions of one article the reader's is the one kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from search.types import Hit, SearchDocument

PAGES_PER_MANUAL = 3  # a manual's best pages shown under it; the manual's own page has the rest
SEPARATOR = "|"  # never in a language code, a document id or an article's address (its slug)


@dataclass(frozen=True)
class Placement:
    language: str = ""
    manual: str = ""  # a manual page's document ("document:7"), else ""
    article: str = ""  # an article's own address (slug), else ""
    translation: str = ""  # the address of its other language version, if it names one


def placement_of(doc: SearchDocument) -> Placement:
    """A manual page's id is its document's id plus a page suffix (see app/searching/sources.py)."""
    manual = doc.id.rsplit(":", 1)[0] if doc.kind == "manual_page" and doc.id.count(":") >= 2 else ""
    return Placement(doc.language, manual, doc.extra.get("slug", ""), doc.extra.get("translation", ""))


def encode(placement: Placement) -> str:
    return SEPARATOR.join((placement.language, placement.manual, placement.article, placement.translation))


def decode(text: str) -> Placement:
    parts = text.split(SEPARATOR)
    return Placement(*parts) if len(parts) == 4 else Placement()


def arrange(ranked: Sequence[Placement], pages_per_manual: int | None = PAGES_PER_MANUAL) -> tuple[list[int], int]:
    """The candidates' indexes in the order to show them, and how many were left out.

    A manual's first page (its best) opens a group that its next best pages join, up to
    `pages_per_manual` (None: all); an article whose other language version ranked before it is
    left out. Everything else keeps its rank."""
    slots: list[list[int]] = []
    manuals: dict[str, list[int]] = {}
    kept_articles: set[str] = set()
    kept_translations: set[str] = set()
    dropped = 0
    for index, placement in enumerate(ranked):
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
