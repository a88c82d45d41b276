"""Sends due webhook deliveries: an HTTP POST of the stored body, signed with the endpoint's secret.

A 2xx answer delivers; anything else (another status, refused connection, timeout) is logged and retried
with exponential backoff (30 s doubling, at most 1 h), and after MAX_ATTEMPTS the delivery is marked failed.
On PostgreSQL the batch is claimed with FOR UPDATE SKIP LOCKED, as the search indexer does, so several
instances may send side by side; SQLite has one writer, so there the batch is read plainly.
"""

import hashlib
import hmac
import logging
import time
from datetime import UTC, datetime, timedelta

import httpx
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from app.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH_SIZE = 20
TIMEOUT_SECONDS = 10.0
FIRST_RETRY = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
SIGNATURE_HEADER = "X-Sportello-Signature"


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** (attempts - 1), MAX_BACKOFF)


def headers_for(delivery: WebhookDelivery, secret: str, body: bytes, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "Sportello-Webhooks/1",
        SIGNATURE_HEADER: signature(secret, body),
        "X-Sportello-Event": delivery.event,
        "X-Sportello-Event-Id": delivery.event_id,
        "X-Sportello-Delivery": str(delivery.id),
        "X-Sportello-Timestamp": str(int(now.timestamp())),
    }


def _uses_row_locks() -> bool:
    return Tortoise.get_connection("default").capabilities.dialect == "postgres"


async def deliver_due(client: httpx.AsyncClient, now: datetime | None = None) -> int:
    """Send one batch of due deliveries; returns how many were delivered."""
    now = now or datetime.now(UTC)
    due = WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now).order_by("id") \
        .limit(BATCH_SIZE)
    if not _uses_row_locks():
        return await _send_all(client, await due.select_related("endpoint"), now)
    async with in_transaction():
        rows = await due.select_for_update(skip_locked=True, of=("webhook_delivery",)).select_related("endpoint")
        return await _send_all(client, rows, now)


async def _send_all(client: httpx.AsyncClient, rows: list[WebhookDelivery], now: datetime) -> int:
    return sum([await _send(client, row, now) for row in rows])


async def _post(client: httpx.AsyncClient, row: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """The answer's status code (None: no answer) and the error, empty when delivered."""
    body = row.body.encode()
    try:
        answer = await client.post(row.endpoint.url, content=body, timeout=TIMEOUT_SECONDS, follow_redirects=False,
                                   headers=headers_for(row, row.endpoint.secret, body, now))
    except httpx.HTTPError as failure:  # refused, timed out, bad address: tried again later
        return None, f"{type(failure).__name__}: {failure}"[:1000]
    return answer.status_code, "" if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}: {answer.text[:200]}"


async def _send(client: httpx.AsyncClient, row: WebhookDelivery, now: datetime) -> bool:
    if not row.endpoint.active:  # disabled since the event: nothing more is sent to it
        await WebhookDelivery.filter(id=row.id).update(status=DeliveryStatus.FAILED, last_error="endpoint disabled")
        return False
    started = time.perf_counter()
    code, error = await _post(client, row, now)
    duration = int((time.perf_counter() - started) * 1000)
    await WebhookAttempt.create(delivery_id=row.id, at=now, status_code=code, error=error, duration_ms=duration)
    row.attempts += 1
    row.last_status_code, row.last_error = code, error
    if not error:
        row.status, row.delivered_at = DeliveryStatus.DELIVERED, datetime.now(UTC)
    elif row.attempts >= MAX_ATTEMPTS:
        row.status = DeliveryStatus.FAILED
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        log.warning("webhook %s to %s failed (attempt %s): %s", row.id, row.endpoint.url, row.attempts, error)
    await row.save(update_fields=["attempts", "last_status_code", "last_error", "status", "delivered_at",
                                  "next_attempt_at"])
    return not error
