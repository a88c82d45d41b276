"""Recording and reading the audit log. `record` joins the caller's transaction when there is one, so
an entry exists exactly when its change does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Q

from app.accounts.models import User
from app.audit.models import (
    ACTION_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    TARGET_MAX_CHARS,
    AuditEntry,
)

PAGE_SIZE = 50


async def record(actor: User | None, action: str, target: str = "", summary: str = "", **details: Any) -> AuditEntry:
    return await AuditEntry.create(
        actor=actor, actor_name=actor.full_name if actor else "sportello", action=action[:ACTION_MAX_CHARS],
        target=target[:TARGET_MAX_CHARS], summary=summary[:SUMMARY_MAX_CHARS], details=details,
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the values that differ: what an entry's details keep of an edit."""
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int
    actions: list[str]


async def audit_page(text: str = "", action: str = "", page: int = 1) -> AuditPage:
    """Newest first; `text` is looked for in the actor's name, the target and the summary."""
    where = Q()
    if text:
        where &= Q(actor_name__icontains=text) | Q(target__icontains=text) | Q(summary__icontains=text)
    if action:
        where &= Q(action=action)
    query = AuditEntry.filter(where)
    total = await query.count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    entries = await query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    actions = await AuditEntry.all().order_by("action").distinct().values_list("action", flat=True)
    return AuditPage(entries, total, page, pages, list(actions))
