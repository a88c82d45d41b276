"""The engine fails mid-run: the portal keeps working, search says so, the outbox keeps every change,
and after recovery one drain brings the index back in line with the database."""

from datetime import UTC, datetime, timedelta

import httpx
from search.embedded import EmbeddedEngine

from app.searching.engine import use_engine
from app.searching.indexer import drain_all, drain_once
from app.searching.models import IndexTask
from app.searching.outbox import enqueue
from app.searching.rebuild import compare
from app.settings import Settings
from tests.searching.support import DictSource, FlakyEngine, document
from tests.support import Page, log_in, make_user


async def test_the_portal_survives_an_engine_outage_and_the_outbox_catches_up(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    engine = FlakyEngine(EmbeddedEngine(settings.data_dir / "index"))
    use_engine(settings, engine)
    faq = DictSource("faq", multi_document=False)
    faq.put(document("faq:1", "Cedolino non visibile"))
    await enqueue("faq", 1)
    await drain_all(engine, {"faq": faq})
    await make_user("admin@sportello.it", is_admin=True, full_name="Ada Admin")
    await log_in(client, "admin@sportello.it")
    assert "Cedolino non visibile" in Page((await client.get("/search", params={"q": "cedolino"})).text).text

    engine.down = True
    faq.put(document("faq:2", "Cedolino di dicembre"))
    del faq.objects["1"]
    await enqueue("faq", 2)
    await enqueue("faq", 1)
    failed_at = datetime.now(UTC)
    report = await drain_once(engine, {"faq": faq}, now=failed_at)
    assert report.failed == 2
    rows = await IndexTask.all().order_by("id")
    assert [(r.object_id, r.attempts) for r in rows] == [("2", 1), ("1", 1)]
    assert all(r.next_attempt_at > failed_at and "EngineUnavailable" in r.last_error for r in rows)

    home = await client.get("/")
    assert home.status_code == 200 and "Ciao, Ada Admin" in Page(home.text).headings
    down = await client.get("/search", params={"q": "cedolino"})
    assert down.status_code == 503
    assert "La ricerca non è disponibile in questo momento." in " ".join(Page(down.text).alerts)
    suggestions = await client.get("/search/suggest", params={"q": "cedolino"})
    assert suggestions.status_code == 200 and suggestions.text.strip() == ""
    admin = Page((await client.get("/admin/search")).text)
    assert "non risponde" in admin.text and "EngineUnavailable: connection refused" in admin.text

    engine.down = False
    await drain_once(engine, {"faq": faq}, now=failed_at + timedelta(minutes=5))
    assert await IndexTask.all().count() == 0
    assert (await compare(engine, {"faq": faq})).matches
    back = Page((await client.get("/search", params={"q": "cedolino"})).text)
    assert "Cedolino di dicembre" in back.text and "Cedolino non visibile" not in back.text
