"""Pure pieces: query plans, highlighting, filter translation, normalisation, storage layout."""

from __future__ import annotations

from pathlib import Path

from search.access import visibility_filter
from search.embedded import EmbeddedEngine
from search.embedded_schema import SCHEMA_VERSION, pair_terms, tokenize_plain, word_pairs
from search.highlight import damerau_levenshtein
from search.lexicon import Lexicon
from search.meili import filter_expression, primary_key
from search.plan import build_plan, typo_budget
from search.service import make_engine, normalise_query, run_search
from search.types import Principal, SearchQuery
from tests.search.conftest import make_doc

SYNONYMS = {"busta paga": ("busta paga", "cedolino"), "cedolino": ("cedolino", "busta paga")}
STOP = frozenset({"la", "di"})


def test_typo_budget_matches_meilisearch_defaults() -> None:
    assert [typo_budget(w) for w in ("vpn", "modem", "stampant", "stampante")] == [0, 1, 1, 2]


def test_plan_drops_stop_words_groups_synonyms_and_marks_the_last_prefix() -> None:
    plan = build_plan("la busta paga di marzo", tokenize_plain, SYNONYMS, STOP, prefix_last=True)
    assert [[alt.words for alt in g.alternatives] for g in plan.groups] == [
        [("busta", "paga"), ("cedolino",)], [("marzo",)],
    ]
    assert plan.groups[-1].alternatives[0].prefix and not plan.groups[0].alternatives[0].prefix
    finished = build_plan("marzo ", tokenize_plain, {}, STOP, prefix_last=True)
    assert not finished.groups[0].alternatives[0].prefix


def test_plan_of_only_stop_words_keeps_them() -> None:
    plan = build_plan("la di", tokenize_plain, {}, STOP, prefix_last=False)
    assert [g.alternatives[0].words for g in plan.groups] == [("la",), ("di",)]


def test_word_pairs_join_neighbouring_plain_words_as_phrases_are_looked_up() -> None:
    assert word_pairs("Busta-paga, di Marzo!") == "busta_paga paga_di di_marzo"
    assert word_pairs("Cedolino") == ""
    assert pair_terms(("posta", "elettronica", "certificata")) == ["posta_elettronica", "elettronica_certificata"]


def test_damerau_levenshtein_counts_transpositions_as_one() -> None:
    assert damerau_levenshtein("modme", "modem", 2) == 1
    assert damerau_levenshtein("stmpnte", "stampante", 1) == 2


def test_lexicon_synonyms_are_symmetric() -> None:
    table = Lexicon(synonyms={"pec": ["posta certificata"]}, stop_words=set()).equivalents()
    assert table["posta certificata"] == ("posta certificata", "pec")
    assert table["pec"] == ("pec", "posta certificata")


def test_meilisearch_filter_translation() -> None:
    assert filter_expression(visibility_filter(Principal.staff(1))) is None
    anonymous = filter_expression(visibility_filter(Principal.anonymous()))
    assert anonymous == '(kind IN ["faq", "manual_page", "document"]) AND (audience = "public")'
    requester = filter_expression(visibility_filter(Principal.requester(5, 7, sees_company_tickets=False)))
    assert requester is not None and "requester_id = 5" in requester and "company_id = 7" in requester
    assert requester.count("company_id") == 1  # company tickets not granted
    assert primary_key("manual:3:p12") == "manual:3:p12".encode().hex()


def test_normalise_query_clamps_and_cleans() -> None:
    query = normalise_query(SearchQuery("  stampante\x00  rotta ", Principal.anonymous(), offset=-4, limit=10_000, purpose="x"))
    assert (query.text, query.offset, query.limit, query.purpose) == ("stampante rotta ", 0, 100, "search")


async def test_stop_word_only_query_still_searches(tmp_path: Path) -> None:
    engine = make_engine("embedded", tmp_path, None, None)
    await engine.upsert([make_doc("faq:1", "Il piano B", "Da usare se tutto fallisce."), make_doc("faq:2", "Altro", "niente")])
    result = await run_search(engine, SearchQuery("il", Principal.anonymous()))
    assert [hit.id for hit in result.hits] == ["faq:1"]
    await engine.close()


async def test_index_survives_reopen_and_rebuild_leaves_one_generation(tmp_path: Path) -> None:
    first = EmbeddedEngine(tmp_path / "index")
    await first.upsert([make_doc("faq:1", "Persistente", "resta dopo il riavvio")])
    await first.close()
    reopened = EmbeddedEngine(tmp_path / "index")
    assert await reopened.all_ids() == {"faq:1"}
    await reopened.rebuild([make_doc("faq:2", "Nuovo", "dopo")])
    generations = sorted(p.name for p in (tmp_path / "index").iterdir() if p.is_dir())
    assert generations == [f"{SCHEMA_VERSION}-000002"]
    assert (tmp_path / "index" / "CURRENT").read_text().strip() == f"{SCHEMA_VERSION}-000002"
    other_process_view = EmbeddedEngine(tmp_path / "index")
    assert await other_process_view.all_ids() == {"faq:2"}
    await reopened.close()
