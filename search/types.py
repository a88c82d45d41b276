"""The data that crosses the search layer's boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup

KINDS: tuple[str, ...] = ("faq", "manual_page", "ticket", "document")
AUDIENCES: tuple[str, ...] = ("public", "customers", "company", "staff")
LANGUAGES: tuple[str, ...] = ("it", "en")
PURPOSES: tuple[str, ...] = ("search", "suggest", "similar")
FACET_FIELDS: tuple[str, ...] = ("kind", "category", "product", "status")


@dataclass(frozen=True)
class Principal:
    """Who is searching: every query carries one, and access rules read only this."""

    user_id: int | None
    company_id: int | None
    is_staff: bool
    sees_company_tickets: bool
    language: str = "it"

    @classmethod
    def anonymous(cls, language: str = "it") -> Principal:
        return cls(None, None, False, False, language)

    @classmethod
    def staff(cls, user_id: int, language: str = "it") -> Principal:
        return cls(user_id, None, True, True, language)

    @classmethod
    def requester(
        cls, user_id: int, company_id: int | None, sees_company_tickets: bool = False, language: str = "it"
    ) -> Principal:
        return cls(user_id, company_id, False, sees_company_tickets, language)


@dataclass(frozen=True)
class SearchDocument:
    """One indexable unit: an FAQ, one manual page, a ticket, an attachment's text."""

    id: str
    kind: str
    title: str
    body: str
    tags: list[str]
    category: str
    product: str
    language: str
    audience: str
    company_id: int | None
    requester_id: int | None
    status: str
    url: str
    updated_at: datetime
    staff_body: str = ""
    page: int | None = None
    resolution: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (updated_at as ISO text); the inverse of `from_json`."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "tags": list(self.tags),
            "category": self.category,
            "product": self.product,
            "language": self.language,
            "audience": self.audience,
            "company_id": self.company_id,
            "requester_id": self.requester_id,
            "status": self.status,
            "url": self.url,
            "updated_at": self.updated_at.isoformat(),
            "staff_body": self.staff_body,
            "page": self.page,
            "resolution": self.resolution,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SearchDocument:
        values = dict(data)
        values["updated_at"] = datetime.fromisoformat(values["updated_at"])
        values["tags"] = list(values.get("tags") or [])
        values["extra"] = dict(values.get("extra") or {})
        return cls(**values)


@dataclass(frozen=True)
class SearchQuery:
    """What to look for, for whom. `purpose` is "search", "suggest" or "similar"."""

    text: str
    principal: Principal
    kinds: tuple[str, ...] = ()
    category: str | None = None
    product: str | None = None
    status: tuple[str, ...] = ()
    language: str | None = None
    offset: int = 0
    limit: int = 10
    purpose: str = "search"
    exclude_ids: tuple[str, ...] = ()
    # Sent while the person types: the last word may be unfinished (the lexical side matches it as a prefix).
    typing: bool = False


@dataclass(frozen=True)
class Hit:
    """One result, ready to render: `title_html` and `snippet_html` are escaped, with <mark>."""

    id: str
    kind: str
    title: str
    title_html: Markup
    snippet_html: Markup
    url: str
    score: float
    page: int | None
    status: str
    category: str
    updated_at: datetime
    fields: dict[str, Any]


@dataclass(frozen=True)
class SearchResult:
    """`total` is exact. `facets` counts over every match; the embedded engine leaves them empty
    for purpose "suggest", whose panel shows none (counting them would double the cost)."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    took_ms: float


@dataclass(frozen=True)
class Health:
    ok: bool
    engine: str
    documents: int
    detail: str
    needs_rebuild: bool = False  # the index must be rebuilt from the database (e.g. after a schema change)


class EngineUnavailable(Exception):
    """The search backend cannot be reached; callers show a notice, writes stay in the outbox."""
