"""The search indexer as a background job: woken by every enqueue, and polling once a second."""

import asyncio
import contextlib

from search.types import EngineUnavailable

from app.jobs import Job
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.lexicon import apply_lexicon
from app.searching.outbox import index_work_queued
from app.searching.rebuild import reindex
from app.searching.sources import DocumentSource, document_sources
from app.settings import Settings

POLL_SECONDS = 1.0
# enqueue() wakes the job inside the writer's transaction, before its commit: on PostgreSQL the first
# look may come too early, so an empty first look is repeated once a moment later.
COMMIT_GRACE_SECONDS = 0.2


async def index_pending(settings: Settings, sources: dict[str, DocumentSource]) -> int:
    engine = get_engine(settings)
    with contextlib.suppress(EngineUnavailable):  # while it is down the drain below keeps the rows
        await apply_lexicon(engine)  # also picks up a lexicon another process saved
        if (await engine.health()).needs_rebuild:  # an index of an older schema: rebuild it from the database
            await reindex(engine, sources)
    report = await drain_all(engine, sources)
    if report.claimed == 0:
        await asyncio.sleep(COMMIT_GRACE_SECONDS)
        report = await drain_all(engine, sources)
    return report.claimed


def indexer_job(settings: Settings, sources: dict[str, DocumentSource]) -> Job:
    return Job("search-indexer", lambda: index_pending(settings, sources), interval=POLL_SECONDS,
               wake=index_work_queued)


def jobs(settings: Settings) -> list[Job]:
    return [indexer_job(settings, document_sources())]
