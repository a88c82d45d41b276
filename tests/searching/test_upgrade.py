from pathlib import Path

from app.searching.engine import get_engine
from app.searching.jobs import index_pending
from app.settings import Settings
from search.embedded import EmbeddedEngine
from search.types import Principal, SearchQuery
from tests.searching.support import document


class Source:
    name = "faq"

    async def build(self, object_ids):  # type: ignore[no-untyped-def]
        return {oid: [document(f"faq:{oid}", "Stampante non stampa")] for oid in object_ids}

    async def all_object_ids(self):  # type: ignore[no-untyped-def]
        yield "1"


async def test_an_index_of_an_older_schema_is_rebuilt_by_the_indexer_job(settings: Settings, db: None) -> None:
    engine = get_engine(settings)
    assert isinstance(engine, EmbeddedEngine)
    assert not (await engine.health()).needs_rebuild
    (Path(engine.path) / "NEEDS_REBUILD").write_text("schema changed")  # as opening an older schema leaves it
    assert (await engine.health()).needs_rebuild
    await index_pending(settings, {"faq": Source()})
    assert not (await engine.health()).needs_rebuild
    found = await engine.search(SearchQuery(text="stampante", principal=Principal.staff(1)))
    assert [hit.id for hit in found.hits] == ["faq:1"]
