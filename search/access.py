"""THE one place where search access rules live.

Every engine translates `visibility_filter(principal)` into its own filter language and
searches/highlights only `searchable_fields(principal)` / `highlight_fields(principal)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.types import Principal

Scalar = str | int


@dataclass(frozen=True)
class MatchAll:
    """Everything (staff)."""


@dataclass(frozen=True)
class Eq:
    field: str
    value: Scalar


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class And:
    parts: tuple[Filter, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Filter, ...]


Filter = MatchAll | Eq | In | And | Or

PUBLIC_FIELDS: tuple[str, ...] = ("title", "tags", "resolution", "body")
STAFF_FIELDS: tuple[str, ...] = (*PUBLIC_FIELDS, "staff_body")
KNOWLEDGE_KINDS: tuple[str, ...] = ("faq", "manual_page", "document")


def visibility_filter(principal: Principal) -> Filter:
    """What `principal` may find. Tickets are matched by kind so no audience value can leak them."""
    if principal.is_staff:
        return MatchAll()
    public_knowledge = And((In("kind", KNOWLEDGE_KINDS), Eq("audience", "public")))
    if principal.user_id is None:
        return public_knowledge
    allowed: list[Filter] = [And((In("kind", KNOWLEDGE_KINDS), In("audience", ("public", "customers"))))]
    if principal.company_id is not None:
        allowed.append(
            And((In("kind", KNOWLEDGE_KINDS), Eq("audience", "company"), Eq("company_id", principal.company_id)))
        )
    allowed.append(_own_tickets(principal))
    return Or(tuple(allowed))


def _own_tickets(principal: Principal) -> Filter:
    assert principal.user_id is not None
    own: Filter = Eq("requester_id", principal.user_id)
    if principal.sees_company_tickets and principal.company_id is not None:
        own = Or((own, Eq("company_id", principal.company_id)))
    return And((Eq("kind", "ticket"), In("audience", ("public", "customers", "company")), own))


def searchable_fields(principal: Principal) -> tuple[str, ...]:
    """Fields searched, in weight order (title first)."""
    return STAFF_FIELDS if principal.is_staff else PUBLIC_FIELDS


def highlight_fields(principal: Principal) -> tuple[str, ...]:
    """Fields a hit may show text from."""
    return STAFF_FIELDS if principal.is_staff else PUBLIC_FIELDS


def retrievable_fields(principal: Principal) -> tuple[str, ...]:
    """Stored attributes a hit may carry back to the caller."""
    base = (
        "id", "kind", "title", "body", "tags", "category", "product", "language", "audience",
        "company_id", "requester_id", "status", "url", "updated_at", "page", "resolution", "extra",
    )
    return (*base, "staff_body") if principal.is_staff else base
