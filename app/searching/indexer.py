"""Drains the search outbox into the engine in batches; a failure keeps the rows for a later retry.

On PostgreSQL the batch is claimed with FOR UPDATE SKIP LOCKED inside a transaction held while the
engine works, so several app instances can drain side by side. SQLite has one writer and Tortoise one
connection: a transaction held across engine calls would stall the portal, so there the batch is read
plainly and its rows deleted by id afterwards (rows written meanwhile have new ids and stay).
"""

import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from search.engine import SearchEngine
from search.types import EngineUnavailable
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from app.searching.models import IndexTask
from app.searching.sources import DocumentSource, belongs_to, may_have_several_documents

log = logging.getLogger(__name__)

BATCH_SIZE = 200
BUILD_CHUNK = 200
FIRST_RETRY_SECONDS = 2
MAX_BACKOFF = timedelta(minutes=5)
MAX_ERROR_CHARS = 1000

Sources = Mapping[str, DocumentSource]


@dataclass
class DrainReport:
    claimed: int = 0
    upserted: int = 0
    deleted: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def retry_delay(attempts: int) -> timedelta:
    """2 s after the first failure, doubling, at most five minutes."""
    return min(timedelta(seconds=FIRST_RETRY_SECONDS * 2 ** (attempts - 1)), MAX_BACKOFF)


def _uses_row_locks() -> bool:
    return Tortoise.get_connection("default").capabilities.dialect == "postgres"


async def drain_once(
    engine: SearchEngine, sources: Sources, *, batch_size: int = BATCH_SIZE, now: datetime | None = None
) -> DrainReport:
    """Index one batch of due outbox rows; returns what happened."""
    now = now or datetime.now(UTC)
    due = IndexTask.filter(next_attempt_at__lte=now).order_by("id").limit(batch_size)
    if not _uses_row_locks():
        return await _process(engine, sources, await due, now)
    async with in_transaction():
        return await _process(engine, sources, await due.select_for_update(skip_locked=True), now)


async def drain_all(engine: SearchEngine, sources: Sources, *, batch_size: int = BATCH_SIZE) -> DrainReport:
    """Batches until no due row is left (or one failed): a backlog empties in one call."""
    total = DrainReport()
    while True:
        report = await drain_once(engine, sources, batch_size=batch_size)
        total.claimed += report.claimed
        total.upserted += report.upserted
        total.deleted += report.deleted
        total.failed += report.failed
        total.errors += report.errors
        if report.claimed < batch_size or report.failed:
            return total


async def _process(engine: SearchEngine, sources: Sources, rows: list[IndexTask], now: datetime) -> DrainReport:
    report = DrainReport(claimed=len(rows))
    by_source: dict[str, list[IndexTask]] = defaultdict(list)
    for row in rows:
        by_source[row.source].append(row)
    indexed_ids = _IndexedIds(engine)
    done: list[int] = []
    for position, (name, group) in enumerate(by_source.items()):
        try:
            source = sources.get(name)
            if source is None:
                raise LookupError(f"no document source named {name!r}")
            upserted, deleted = await _sync_objects(engine, source, sorted({r.object_id for r in group}), indexed_ids)
        except EngineUnavailable as error:
            # The engine is down for everyone: keep the rest of the batch too, untouched by this round.
            rest = [row for later in list(by_source.values())[position:] for row in later]
            await _postpone(rest, error, now, report)
            break
        except Exception as error:  # a builder bug must not block other sources, nor lose its rows
            log.exception("indexing %s failed", name)
            await _postpone(group, error, now, report)
            continue
        report.upserted += upserted
        report.deleted += deleted
        done.extend(row.id for row in group)
    if done:
        await IndexTask.filter(id__in=done).delete()
    return report


class _IndexedIds:
    """engine.all_ids(), read at most once per batch and only when a multi-document source needs it."""

    def __init__(self, engine: SearchEngine) -> None:
        self._engine = engine
        self._ids: set[str] | None = None

    async def get(self) -> set[str]:
        if self._ids is None:
            self._ids = await self._engine.all_ids()
        return self._ids


async def _sync_objects(
    engine: SearchEngine, source: DocumentSource, object_ids: list[str], indexed: _IndexedIds
) -> tuple[int, int]:
    built = await source.build(object_ids)
    documents = [doc for object_id in object_ids for doc in built.get(object_id, [])]
    keep = {doc.id for doc in documents}
    stale = {f"{source.name}:{object_id}" for object_id in object_ids if not built.get(object_id)}
    if may_have_several_documents(source):
        wanted = set(object_ids)
        stale |= {i for i in await indexed.get() if belongs_to(i, source.name, wanted) and i not in keep}
    stale -= keep
    if documents:
        await engine.upsert(documents)
    if stale:
        await engine.delete(sorted(stale))
    return len(documents), len(stale)


async def _postpone(rows: list[IndexTask], error: Exception, now: datetime, report: DrainReport) -> None:
    message = f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS]
    report.failed += len(rows)
    report.errors.append(message)
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_attempts[row.attempts + 1].append(row.id)
    for attempts, ids in by_attempts.items():
        await IndexTask.filter(id__in=ids).update(
            attempts=attempts, next_attempt_at=now + retry_delay(attempts), last_error=message
        )
