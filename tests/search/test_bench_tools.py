"""The benchmark tools themselves: a deterministic corpus, correct metrics, comparable baselines."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import corpus
from benchmarks.portal_server import KeepAliveClient
from benchmarks.relevance_metrics import evaluate
from benchmarks.sqlite_baselines import build, fts_search, like_search
from benchmarks.stats import percentile
from search.access import visibility_filter
from search.embedded import EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchQuery


def test_corpus_is_deterministic_unique_and_spread_for_access_filters() -> None:
    docs = list(corpus.generate(3000, seed=5))
    assert docs == list(corpus.generate(3000, seed=5)) and docs != list(corpus.generate(3000, seed=6))
    assert len({d.id for d in docs}) == len(docs)
    kinds = {kind: sum(d.kind == kind for d in docs) for kind in ("faq", "manual_page", "ticket")}
    assert kinds["ticket"] > 2000 and kinds["faq"] > 50 and kinds["manual_page"] > 150
    tickets = [d for d in docs if d.kind == "ticket"]
    assert all(d.company_id == corpus.company_of(d.requester_id) for d in tickets)  # type: ignore[arg-type]
    assert len({d.company_id for d in tickets}) > 150
    assert {d.language for d in docs} == {"it", "en"}
    assert any("SPID" in d.title for d in docs) and any("cedolino" in d.body.lower() for d in docs)


def test_query_mix_has_every_shape_and_both_purposes() -> None:
    mix = corpus.query_mix(200)
    assert {q.shape for q in mix} == {"word", "typo", "prefix", "phrase", "question"}
    assert {q.purpose for q in mix} == {"search", "suggest"}
    assert mix == corpus.query_mix(200)


def test_metrics_on_a_hand_computed_example() -> None:
    judgments = {"1": {"a"}, "2": {"b", "c"}, "3": {"d"}, "4": {"e"}}
    runs = {"1": ["a", "x"], "2": ["x", "b", "y", "c"], "3": [], "4": ["x"]}
    scores = evaluate(runs, judgments)
    assert scores["success@1"] == pytest.approx(1 / 4)
    assert scores["c@1"] == pytest.approx((1 + 1 * 1 / 4) / 4)  # one unanswered question
    assert scores["MRR"] == pytest.approx((1 + 1 / 2) / 4)
    assert scores["MAP"] == pytest.approx((1 + (1 / 2 + 2 / 4) / 2) / 4)
    assert scores["R@5"] == pytest.approx((1 + 1) / 4)


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (50.0, 99.0, 100.0)


async def test_sqlite_baselines_honour_the_same_access_rules_as_the_engine(tmp_path: Path) -> None:
    docs = list(corpus.generate(1500, seed=2))
    connection = build(tmp_path / "baseline.sqlite3", docs)
    engine = EmbeddedEngine(tmp_path / "index")
    await engine.rebuild(docs)
    for principal in corpus.principals():
        filter_text = repr(visibility_filter(principal))
        like_total, like_page = like_search(connection, "cedolino ", principal, limit=2000)
        fts_total, fts_page = fts_search(connection, "cedolino ", principal, prefix_last=False, limit=2000)
        engine_result = await run_search(engine, SearchQuery("cedolino ", principal, limit=100))
        visible = {d.id for d in docs if _may_see(principal, d)}
        assert set(like_page) <= visible and set(fts_page) <= visible, filter_text
        assert {hit.id for hit in engine_result.hits} <= visible
        assert fts_total <= like_total  # LIKE also matches inside longer words
    connection.close()
    await engine.close()


def _may_see(principal: Principal, doc: corpus.SearchDocument) -> bool:
    if principal.is_staff:
        return True
    if doc.kind != "ticket":
        if principal.user_id is None:
            return doc.audience == "public"
        return doc.audience in ("public", "customers") or (doc.audience == "company" and doc.company_id == principal.company_id)
    if principal.user_id is None:
        return False
    return doc.requester_id == principal.user_id or (principal.sees_company_tickets and doc.company_id == principal.company_id)


def test_the_benchmark_client_keeps_and_forgets_the_session_cookie_as_a_browser_does() -> None:
    client = KeepAliveClient("http://127.0.0.1:9")  # nothing is sent
    client.remember_cookies(["sportello_session=eyJ1aWQiOiAxfQ==.aGk.c2ln; path=/; Max-Age=2592000; httponly; samesite=lax"])
    assert client.cookies == {"sportello_session": "eyJ1aWQiOiAxfQ==.aGk.c2ln"}
    client.remember_cookies(["sportello_session=null; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly"])
    assert client.cookies == {}
