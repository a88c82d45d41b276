"""THE one place where search access rules live.

Every engine translates `visibility_filter(principal)` into its own filter language (the embedded
engine uses its precomputed form, `document_keys` / `principal_keys`, proved equal by a property
test) and searches/highlights only `searchable_fields(principal)` / `highlight_fields(principal)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from search.types import Principal, SearchDocument

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


def admits(node: Filter, doc: SearchDocument) -> bool:
    """Whether `doc` passes `node`, evaluated in Python: the meaning every engine's translation must keep."""
    match node:
        case MatchAll():
            return True
        case Eq(field, value):
            return getattr(doc, field) == value
        case In(field, values):
            return getattr(doc, field) in values
        case And(parts):
            return all(admits(part, doc) for part in parts)
        case Or(parts):
            return any(admits(part, doc) for part in parts)
    raise TypeError(f"unknown filter node {node!r}")


# Visibility keys: `visibility_filter` precomputed. A document carries the keys of every caller
# group that may see it, a caller holds the keys of its groups, and a document is visible when the
# two share a key, so an engine filters with one term-set lookup instead of a tree of clauses.
# tests/search/test_visibility_keys.py proves `shares_key` equal to `admits(visibility_filter(...))`.


def document_keys(doc: SearchDocument) -> tuple[str, ...]:
    """The keys `doc` is indexed under; staff see everything and need none."""
    if doc.kind in KNOWLEDGE_KINDS:
        if doc.audience in ("public", "customers"):
            return (doc.audience,)
        if doc.audience == "company" and doc.company_id is not None:
            return (f"company:{doc.company_id}",)
        return ()
    if doc.kind == "ticket" and doc.audience in ("public", "customers", "company"):
        keys = [f"requester:{doc.requester_id}"] if doc.requester_id is not None else []
        if doc.company_id is not None:
            keys.append(f"company_tickets:{doc.company_id}")
        return tuple(keys)
    return ()


def principal_keys(principal: Principal) -> tuple[str, ...] | None:
    """The keys `principal` may see documents under; None means every document (staff)."""
    if principal.is_staff:
        return None
    if principal.user_id is None:
        return ("public",)
    keys = ["public", "customers", f"requester:{principal.user_id}"]
    if principal.company_id is not None:
        keys.append(f"company:{principal.company_id}")
        if principal.sees_company_tickets:
            keys.append(f"company_tickets:{principal.company_id}")
    return tuple(keys)


def shares_key(principal: Principal, doc: SearchDocument) -> bool:
    keys = principal_keys(principal)
    return keys is None or not set(keys).isdisjoint(document_keys(doc))


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
