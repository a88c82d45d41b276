from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from app.searching.engine import get_engine
from app.searching.indexer import MAX_BACKOFF, drain_all, drain_once, retry_delay
from app.searching.models import IndexTask
from app.searching.outbox import enqueue
from app.searching.service import search_for
from app.settings import Settings
from tests.searching.support import DictSource, document
from tests.support import make_user


async def titles_found(settings: Settings, text: str) -> list[str]:
    staff = await make_user(f"staff{datetime.now().timestamp()}@example.it", is_technician=True)
    return [hit.title for hit in (await search_for(settings, staff, text)).hits]


async def test_a_change_is_searchable_after_one_drain(settings: Settings, db: None) -> None:
    faq = DictSource("faq")
    faq.put(document("faq:1", "Stampante non risponde", "Riavviare lo spooler di stampa"))
    async with in_transaction():
        await enqueue("faq", 1)
    report = await drain_once(get_engine(settings), {"faq": faq})
    assert (report.claimed, report.upserted, report.failed) == (1, 1, 0)
    assert await IndexTask.all().count() == 0
    assert await titles_found(settings, "spooler") == ["Stampante non risponde"]


async def test_the_outbox_drains_in_batches(settings: Settings, db: None) -> None:
    faq = DictSource("faq")
    await enqueue("faq", 1)  # the same object twice in a batch is built once
    for number in range(1, 6):
        faq.put(document(f"faq:{number}", f"Guida numero {number}", "protocollo informatico"))
        await enqueue("faq", number)
    engine = get_engine(settings)
    first = await drain_once(engine, {"faq": faq}, batch_size=2)
    assert (first.claimed, first.upserted) == (2, 1)
    assert await IndexTask.all().count() == 4
    rest = await drain_all(engine, {"faq": faq}, batch_size=2)
    assert rest.claimed == 4 and await IndexTask.all().count() == 0
    assert await engine.all_ids() == {f"faq:{n}" for n in range(1, 6)}


async def test_a_deleted_object_leaves_the_index(settings: Settings, db: None) -> None:
    faq = DictSource("faq", multi_document=False)
    faq.put(document("faq:1", "Cedolino di marzo"), document("faq:2", "Cedolino di aprile"))
    await enqueue("faq", 1)
    await enqueue("faq", 2)
    engine = get_engine(settings)
    await drain_all(engine, {"faq": faq})
    del faq.objects["1"]
    await enqueue("faq", 1)
    report = await drain_once(engine, {"faq": faq})
    assert report.deleted == 1
    assert await engine.all_ids() == {"faq:2"}
    assert await titles_found(settings, "cedolino") == ["Cedolino di aprile"]


async def test_an_object_with_several_documents_drops_the_pages_it_no_longer_has(settings: Settings, db: None) -> None:
    manuals = DictSource("document")
    manuals.put(*(document(f"document:7:{page}", f"Manuale pagina {page}", kind="manual_page", page=page)
                  for page in (1, 2, 3)))
    manuals.put(document("document:70:1", "Altro manuale", kind="manual_page", page=1))
    await enqueue("document", 7)
    await enqueue("document", 70)
    engine = get_engine(settings)
    await drain_all(engine, {"document": manuals})
    assert await engine.all_ids() == {"document:7:1", "document:7:2", "document:7:3", "document:70:1"}

    manuals.objects["7"] = [document("document:7:1", "Manuale rivisto", kind="manual_page", page=1)]
    await enqueue("document", 7)
    report = await drain_once(engine, {"document": manuals})
    assert (report.upserted, report.deleted) == (1, 2)
    assert await engine.all_ids() == {"document:7:1", "document:70:1"}

    del manuals.objects["7"]
    await enqueue("document", 7)
    await drain_once(engine, {"document": manuals})
    assert await engine.all_ids() == {"document:70:1"}


async def test_a_failing_builder_keeps_its_rows_and_does_not_block_other_sources(settings: Settings, db: None) -> None:
    broken = DictSource("ticket", fail_with=RuntimeError("database hiccup"))
    faq = DictSource("faq")
    faq.put(document("faq:1", "Firma digitale"))
    await enqueue("ticket", 5)
    await enqueue("faq", 1)
    await enqueue("nowhere", 9)
    now = datetime.now(UTC)
    report = await drain_once(get_engine(settings), {"ticket": broken, "faq": faq}, now=now)
    assert (report.upserted, report.failed) == (1, 2)
    kept = {row.source: row for row in await IndexTask.all()}
    assert set(kept) == {"ticket", "nowhere"}
    assert kept["ticket"].attempts == 1 and "database hiccup" in kept["ticket"].last_error
    assert "no document source named 'nowhere'" in kept["nowhere"].last_error
    assert kept["ticket"].next_attempt_at == now + timedelta(seconds=2)
    # Not due yet: the next round leaves them alone.
    assert (await drain_once(get_engine(settings), {"ticket": broken, "faq": faq}, now=now)).claimed == 0


def test_retries_back_off_exponentially_up_to_five_minutes() -> None:
    delays = [retry_delay(attempts).total_seconds() for attempts in range(1, 10)]
    assert delays == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert retry_delay(40) == MAX_BACKOFF
