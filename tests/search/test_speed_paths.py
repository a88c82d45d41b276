"""The shortcuts taken for speed give the same answers as the long way."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from search.embedded import BATCH, SNIPPET_SCAN_CHARS, EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchQuery
from tests.search.conftest import make_doc

STAFF = Principal.staff(1)


async def test_facets_and_totals_are_the_same_on_every_page(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([
        make_doc(f"faq:{n}", f"Stampante {n}", "toner esaurito", category=("rete", "uffici", "")[n % 3],
                 product=("laser", "inkjet")[n % 2], status=("published", "draft")[n % 2])
        for n in range(9)
    ] + [make_doc("document:1", "Manuale stampnte", "la stampante di rete", kind="document", category="rete")])
    for text in ("stampante ", "stampa", "toner rete "):
        everything = await run_search(engine, SearchQuery(text, STAFF, limit=100))  # every match in hand
        paged = await run_search(engine, SearchQuery(text, STAFF, limit=2))
        assert everything.total == paged.total == len(everything.hits) > 2
        for name in ("kind", "category", "product", "status"):
            assert everything.facets[name] == dict(Counter(v for h in everything.hits if (v := h.fields.get(name))))
        assert paged.facets == everything.facets
        second_page = await run_search(engine, SearchQuery(text, STAFF, limit=2, offset=2))
        assert second_page.facets == everything.facets and second_page.total == everything.total
    await engine.close()


async def test_facet_counts_cover_exactly_the_ranked_matches(tmp_path: Path) -> None:
    """Facets count a cheaper query than the ranked one: both must match the same documents, for
    typos, prefixes, stems, synonyms (words and phrases) and staff notes alike."""
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([
        make_doc("faq:1", "Stampante di rete", "La stampante non stampa: toner esaurito."),
        make_doc("faq:2", "Cedolino di marzo", "Dove trovo la busta paga?", kind="document"),
        make_doc("ticket:3", "Richiesta", "Nessun dettaglio.", staff_body="Inviata la busta paga e la fattura.",
                 audience="company", company_id=7),
        make_doc("faq:4", "Fatture elettroniche", "Invio allo SDI della fatturazione.", kind="document"),
        make_doc("faq:5", "Posta certificata", "Configurare la posta elettronica certificata.", kind="document"),
        make_doc("ticket:6", "Stampanti in ufficio", "Stampa lenta", staff_body="Protocollazione sospesa.",
                 audience="company", company_id=7),
    ])
    texts = ("stampante ", "stampnte ", "stamp", "cedolino ", "busta paga ", "fattura", "fatturazone ", "pec ",
             "protocollo ", "stampa uff", "toner rete ", "posta cert", "inviatta ")
    for principal in (STAFF, Principal.anonymous(), Principal.requester(3, 7, True)):
        for text in texts:
            result = await run_search(engine, SearchQuery(text, principal))
            assert sum(result.facets["kind"].values()) == result.total, (text, principal)
    await engine.close()


async def test_suggestions_return_hits_and_totals_without_facets(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([make_doc(f"faq:{n}", f"Cedolino di {m}", "busta paga") for n, m in enumerate(("marzo", "aprile", "maggio"))])
    result = await run_search(engine, SearchQuery("cedol", STAFF, purpose="suggest", limit=2))
    assert len(result.hits) == 2 and result.total == 3
    assert all(counts == {} for counts in result.facets.values())
    await engine.close()


async def test_a_body_longer_than_the_scan_window_still_gets_a_cropped_snippet(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    before = " ".join(f"riga{n}" for n in range(300))
    after = " ".join(f"riga{n}" for n in range(SNIPPET_SCAN_CHARS // 4))
    await engine.upsert([make_doc("faq:1", "Manuale lungo", f"{before} il modem lampeggia {after} modem finale")])
    hit = (await run_search(engine, SearchQuery("lampeggia ", STAFF))).hits[0]
    text = re.sub(r"<[^>]+>", "", hit.snippet_html)
    assert "<mark>lampeggia</mark>" in hit.snippet_html
    assert text.startswith("…") and text.endswith("…") and len(text.split()) <= 40
    tail = (await run_search(engine, SearchQuery("finale ", STAFF))).hits[0]
    assert tail.id == "faq:1" and "finale" not in tail.snippet_html  # found by the index, shown from the window
    await engine.close()


async def test_typo_and_prefix_matches_in_every_public_field_are_found(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([
        make_doc("faq:1", "Titolo", "corpo", tags=["timbrature"]),
        make_doc("ticket:2", "Altro", "niente", audience="public", resolution="Reinstallato il certificato"),
    ])
    assert [h.id for h in (await run_search(engine, SearchQuery("timbrture ", STAFF))).hits] == ["faq:1"]
    assert [h.id for h in (await run_search(engine, SearchQuery("certific", STAFF))).hits] == ["ticket:2"]
    assert [h.id for h in (await run_search(engine, SearchQuery("certifcato ", STAFF))).hits] == ["ticket:2"]
    await engine.close()


async def test_a_rebuild_of_several_batches_indexes_every_document_with_its_word_pairs(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "index")
    docs = [make_doc(f"faq:{n}", f"Voce {n}", f"La busta paga del mese numero{n}.") for n in range(BATCH * 2 + 5)]
    assert await engine.rebuild(docs) == len(docs)
    assert await engine.count() == len(docs)
    last = await run_search(engine, SearchQuery(f"numero{len(docs) - 1} ", STAFF))
    assert last.hits[0].id == f"faq:{len(docs) - 1}"  # the exact match before its typo neighbours
    assert (await run_search(engine, SearchQuery("cedolino ", STAFF, limit=1))).total == len(docs)  # "busta paga"
    await engine.close()


async def test_removing_what_the_index_does_not_hold_commits_nothing(tmp_path: Path) -> None:
    """A comment on an open ticket asks to remove "ticket:N", which only solved tickets are: no commit, which
    every reading process would reload; a document the index holds still goes."""
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.upsert([make_doc("faq:1", "Stampante di rete"), make_doc("ticket:7", "Stampante bloccata")])
    files = {path: path.stat().st_mtime_ns for path in (tmp_path / "index").rglob("*") if path.is_file()}
    await engine.delete(["ticket:99"])
    assert {path: path.stat().st_mtime_ns for path in (tmp_path / "index").rglob("*") if path.is_file()} == files
    await engine.delete(["ticket:99", "ticket:7"])
    found = await run_search(engine, SearchQuery("stampante", STAFF))
    assert [hit.id for hit in found.hits] == ["faq:1"]
    await engine.close()
