"""An index written by an older schema is never served as if it were merely empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from search.embedded import EmbeddedEngine
from search.embedded_schema import SCHEMA_VERSION
from search.service import run_search
from search.types import EngineUnavailable, Principal, SearchQuery
from tests.search.conftest import make_doc

STAFF = Principal.staff(1)


async def test_an_older_schema_asks_for_a_rebuild_until_one_runs(tmp_path: Path) -> None:
    index = tmp_path / "index"
    (index / "v1-000004").mkdir(parents=True)
    (index / "CURRENT").write_text("v1-000004\n")
    engine = EmbeddedEngine(index)
    health = await engine.health()
    assert health.needs_rebuild and engine.needs_rebuild and health.ok and health.documents == 0
    assert "reindex" in health.detail
    await engine.upsert([make_doc("faq:1", "Stampante di rete")])  # writes still land while it waits
    assert EmbeddedEngine(index).needs_rebuild  # another process sees it too
    await engine.rebuild([make_doc("faq:1", "Stampante di rete"), make_doc("faq:2", "Toner esaurito")])
    health = await engine.health()
    assert not health.needs_rebuild and not engine.needs_rebuild and health.documents == 2
    assert [p.name for p in index.iterdir() if p.is_dir()] == [f"{SCHEMA_VERSION}-000006"]
    assert [h.id for h in (await run_search(engine, SearchQuery("toner ", STAFF))).hits] == ["faq:2"]
    await engine.close()


async def test_a_new_index_or_a_current_one_needs_no_rebuild(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([make_doc("faq:1", "Stampante di rete")])
    assert not (await engine.health()).needs_rebuild
    await engine.close()
    reopened = EmbeddedEngine(tmp_path / "index")
    assert not reopened.needs_rebuild and await reopened.count() == 1
    await reopened.close()


async def test_an_index_of_a_newer_schema_is_left_alone_and_reported(tmp_path: Path) -> None:
    """During an upgrade the older process must neither serve, empty nor rebuild the newer version's index."""
    index = tmp_path / "index"
    newer = f"v{int(SCHEMA_VERSION[1:]) + 1}-000007"
    (index / newer).mkdir(parents=True)
    (index / newer / "meta.json").write_text("{}")
    (index / "CURRENT").write_text(newer + "\n")
    engine = EmbeddedEngine(index)
    health = await engine.health()
    assert not health.ok and "newer" in health.detail and not (index / "NEEDS_REBUILD").exists()
    with pytest.raises(EngineUnavailable):
        await run_search(engine, SearchQuery("stampante", STAFF))
    with pytest.raises(EngineUnavailable):
        await engine.upsert([make_doc("faq:1", "Stampante di rete")])
    assert (index / "CURRENT").read_text().strip() == newer
    assert sorted(p.name for p in index.iterdir()) == ["CURRENT", newer]
    assert (index / newer / "meta.json").read_text() == "{}"
    await engine.close()


async def test_a_rebuild_keeps_a_newer_schemas_generation(tmp_path: Path) -> None:
    index = tmp_path / "index"
    engine = EmbeddedEngine(index)
    newer = index / f"v{int(SCHEMA_VERSION[1:]) + 1}-000009"
    newer.mkdir(parents=True)
    (index / "v1-000002").mkdir()
    await engine.rebuild([make_doc("faq:1", "Stampante di rete")])
    assert sorted(p.name for p in index.iterdir() if p.is_dir()) == [f"{SCHEMA_VERSION}-000010", newer.name]
    await engine.close()
