import asyncio
import time

from tortoise.transactions import in_transaction

from app.jobs import running
from app.searching.jobs import indexer_job, jobs
from app.searching.models import IndexTask
from app.searching.outbox import enqueue
from app.searching.service import search_for
from app.settings import Settings
from tests.searching.support import DictSource, document
from tests.support import make_user


async def test_the_indexer_job_makes_a_change_searchable_well_under_a_second(settings: Settings, db: None) -> None:
    staff = await make_user("tecnico@sportello.it", is_technician=True)
    faq = DictSource("faq")
    async with running([indexer_job(settings, {"faq": faq})]):
        await asyncio.sleep(0.3)  # the job is idle, waiting
        faq.put(document("faq:1", "Posta certificata piena"))
        async with in_transaction():
            await enqueue("faq", 1)
        committed = time.monotonic()
        while not (await search_for(settings, staff, "certificata")).hits:
            assert time.monotonic() - committed < 0.5, "not searchable within half a second"
            await asyncio.sleep(0.02)
        # The row goes once the batch is done: on PostgreSQL in the transaction that claimed it, which may
        # commit a moment after the document became searchable.
        while await IndexTask.all().count():
            assert time.monotonic() - committed < 2, "the outbox row was not removed"
            await asyncio.sleep(0.02)


def test_the_app_runs_one_indexer_job_woken_by_the_outbox(settings: Settings) -> None:
    from app.searching.outbox import index_work_queued

    [job] = jobs(settings)
    assert job.name == "search-indexer" and job.wake is index_work_queued and job.interval <= 1.0
