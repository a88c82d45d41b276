"""Webhook events, written by the services inside the transaction of the change they report.

Payloads carry the public side of what changed: a ticket's fields and public comments as its requester sees
them, never internal notes, their files, the work log or planned hours; an article event carries its title,
address, language and audience (staff-only articles too: endpoints are registered by admins).
"""

import asyncio
import json
import uuid
from datetime import UTC, datetime
from typing import Any

from app.cache import Shared
from app.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

deliveries_queued = asyncio.Event()


async def _wanted_events() -> frozenset[str]:
    rows = await WebhookEndpoint.filter(active=True).values_list("events", flat=True)
    return frozenset(e for events in rows for e in events)


# The events some active endpoint wants: most portals have no endpoint, and a ticket change then costs no query.
# Read inside the changes' transactions, which never write endpoints (admins do, and announce it after).
wanted = Shared("webhook-endpoints", _wanted_events, kept_from_transactions=True)


async def endpoints_changed() -> None:
    await wanted.changed()


async def emit(event: WebhookEvent, data: dict[str, Any]) -> str | None:
    """One delivery row per active endpoint that wants `event`; returns the event id (None: nobody listens)."""
    if event.value not in await wanted.get():
        return None
    endpoints = [e for e in await WebhookEndpoint.filter(active=True) if event.value in e.events]
    if not endpoints:
        return None
    now = datetime.now(UTC)
    event_id = str(uuid.uuid4())
    body = json.dumps({"id": event_id, "event": event.value, "created_at": now.isoformat(), "data": data},
                      ensure_ascii=False, separators=(",", ":"), default=str)
    await WebhookDelivery.bulk_create([
        WebhookDelivery(endpoint_id=e.id, event_id=event_id, event=event.value, body=body, next_attempt_at=now)
        for e in endpoints])
    deliveries_queued.set()
    return event_id


def ticket_data(ticket: Any) -> dict[str, Any]:
    """The ticket's public fields (ids for the people and lists: their names may have to be loaded)."""
    return {
        "id": ticket.id, "code": ticket.code, "title": ticket.title, "description": ticket.description,
        "status": ticket.status.value, "ticket_type": ticket.ticket_type.value, "priority": ticket.priority.value,
        "severity": ticket.severity.value, "channel": ticket.channel.value, "requester_id": ticket.requester_id,
        "company_id": ticket.company_id, "assignee_id": ticket.assignee_id, "category_id": ticket.category_id,
        "product_id": ticket.product_id, "resolution": ticket.resolution,
        "planned_for": ticket.planned_for.isoformat() if ticket.planned_for else None,
        "created_at": ticket.created_at.isoformat() if ticket.created_at else None,
        "updated_at": ticket.updated_at.isoformat() if ticket.updated_at else None,
    }


async def ticket_created(ticket: Any) -> None:
    await emit(WebhookEvent.TICKET_CREATED, {"ticket": ticket_data(ticket)})


async def ticket_changed(ticket: Any, change: str) -> None:
    """`change`: what happened (status, assigned, fields, duplicate, auto_close)."""
    await emit(WebhookEvent.TICKET_CHANGED, {"ticket": ticket_data(ticket), "change": change})


async def comment_created(ticket: Any, comment: Any, author: Any) -> None:
    if comment.internal:  # internal notes never leave the portal
        return
    await emit(WebhookEvent.COMMENT_CREATED, {"ticket": ticket_data(ticket), "comment": {
        "id": comment.id, "body": comment.body, "author_id": author.id, "author_name": author.full_name,
        "by_staff": author.is_staff, "created_at": comment.created_at.isoformat()}})


async def article_published(article: Any, version: Any) -> None:
    await emit(WebhookEvent.ARTICLE_PUBLISHED, {"article": {
        "id": article.id, "slug": article.slug, "title": version.title, "language": article.language,
        "audience": article.audience.value, "version": version.number,
        "published_at": article.published_at.isoformat() if article.published_at else None}})
