"""Admins' webhook endpoints: registered with the events they want, a secret shown once, disabled at will."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from tortoise.transactions import in_transaction

from app.accounts.models import User
from app.audit import service as audit
from app.i18n import N_
from app.webhooks.events import endpoints_changed
from app.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

LOG_ROWS = 50


class WebhookError(ValueError):
    """The message is an English msgid shown translated."""


@dataclass(frozen=True)
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise WebhookError(N_("Enter a web address beginning with https:// (or http://)."))
    return url.strip()


async def create_endpoint(admin: User, url: str, events: list[str], description: str = "") -> NewEndpoint:
    chosen = [e.value for e in WebhookEvent if e.value in events]
    if not chosen:
        raise WebhookError(N_("Choose at least one event."))
    secret = "whsec_" + secrets.token_urlsafe(32)
    async with in_transaction():
        endpoint = await WebhookEndpoint.create(url=check_url(url), events=chosen,
                                                description=description.strip()[:200], secret=secret,
                                                created_by_id=admin.id)
        await audit.record(admin, "webhook.create", f"webhook:{endpoint.id}", endpoint.url, events=chosen)
    await endpoints_changed()
    return NewEndpoint(endpoint, secret)


async def set_active(admin: User, endpoint_id: int, active: bool) -> bool:
    async with in_transaction():
        endpoint = await WebhookEndpoint.get_or_none(id=endpoint_id)
        if endpoint is None:
            return False
        await WebhookEndpoint.filter(id=endpoint_id).update(active=active)
        await audit.record(admin, "webhook.enable" if active else "webhook.disable", f"webhook:{endpoint_id}",
                           endpoint.url)
    await endpoints_changed()
    return True


@dataclass(frozen=True)
class DeliveryLog:
    delivery: WebhookDelivery
    attempts: list[WebhookAttempt]


async def delivery_log(endpoint: WebhookEndpoint) -> list[DeliveryLog]:
    """The endpoint's latest deliveries, newest first, each with its attempts."""
    deliveries = await WebhookDelivery.filter(endpoint_id=endpoint.id).order_by("-id").limit(LOG_ROWS)
    attempts = await WebhookAttempt.filter(delivery_id__in=[d.id for d in deliveries]).order_by("id")
    by_delivery: dict[int, list[WebhookAttempt]] = {}
    for attempt in attempts:
        by_delivery.setdefault(attempt.delivery_id, []).append(attempt)
    return [DeliveryLog(d, by_delivery.get(d.id, [])) for d in deliveries]
