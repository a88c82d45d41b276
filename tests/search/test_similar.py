"""Similar cases are alike in what is particular to them, not in the words every case has."""

from __future__ import annotations

from pathlib import Path

from search.embedded import WEAK_FLOOR, EmbeddedEngine
from search.service import similar_to
from search.types import Principal, SearchQuery
from tests.search.conftest import make_doc

STAFF = Principal.staff(1)


async def test_similar_cases_ignore_stop_words_and_words_most_cases_have(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    everyday = [make_doc(f"ticket:{n}", f"Problema segnalato {n}", f"Buongiorno, ho un problema con la pratica {n}.")
                for n in range(10, 10 + WEAK_FLOOR + 5)]
    await engine.upsert([
        *everyday,
        make_doc("ticket:1", "Problema con il plotter", "Buongiorno, il plotter stampa righe sbiadite."),
        make_doc("ticket:2", "Plotter e righe", "Le righe del plotter sono sbiadite dopo il cambio testina."),
    ])
    found = await similar_to(engine, "ticket:1", SearchQuery("", STAFF))
    assert [hit.id for hit in found.hits] == ["ticket:2"]
    by_text = await similar_to(engine, "buongiorno, ho un problema con il plotter", SearchQuery("", STAFF))
    assert [hit.id for hit in by_text.hits][:2] == ["ticket:1", "ticket:2"] and len(by_text.hits) == 2
    await engine.close()
