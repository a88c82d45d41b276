"""Relevance on public FAQ-retrieval collections, through the portal's real path.

    .venv/bin/python -m benchmarks.relevance --faqs /work/shared/bench/qa4faq/faqs.jsonl \\
        --queries /work/shared/bench/qa4faq/queries_dev.tsv --qrels /work/shared/bench/qa4faq/qrels_dev.tsv \\
        --out /tmp/qa4faq.run --language it

A fresh portal (temporary DATA_DIR, SQLite migrated the way `sportello migrate` does) imports
every FAQ as a Markdown article through the knowledge-base importer (app/kb/importer.py), the
search outbox is drained into the embedded engine, then every question is asked anonymously
through app.searching.service.search_for, as the new-ticket suggestions (purpose "suggest") and as
the search page ("search") ask. Beside it, on the same questions, the naive reference
(benchmarks/naive_bm25.py: one plain tantivy BM25 query over question + answer + tags), and each
figure again on the first and the second half of the questions.
`--direct` is the fallback that skips the portal and indexes SearchDocuments straight into an
engine (for when the importer is broken): its numbers say nothing about the import path.
The collections stay outside the repository (see their licences); nothing is copied here.

`--mode` picks lexical search, hybrid search (lexical fused with e5 vectors) or both (default),
`--purpose` suggestions, the search page or both (default): every pair is asked on the same index.
Document vectors are cached by content hash in `--vector-cache`, so only the first run embeds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from benchmarks.naive_bm25 import rank
from benchmarks.relevance_metrics import evaluate
from benchmarks.stats import table
from search.embedded import EmbeddedEngine
from search.semantic import Semantic
from search.service import run_search
from search.types import Principal, SearchDocument, SearchQuery

RUN_DEPTH = 25
CATEGORY = "faq-benchmark"
MODES = ("lexical", "hybrid")
PURPOSES = ("suggest", "search")
VECTOR_CACHE = Path.home() / ".cache" / "sportello" / "vectors"

Runs = dict[str, list[tuple[str, float]]]
Variant = tuple[str, str]  # (purpose, mode)


@dataclass(frozen=True)
class Faq:
    id: str
    question: str
    answer: str
    tags: list[str]

    @property
    def slug(self) -> str:
        return "faq-" + re.sub(r"[^a-z0-9]+", "-", self.id.lower()).strip("-")


def load_faqs(path: Path) -> list[Faq]:
    with path.open(encoding="utf-8") as lines:
        return [Faq(str(d["id"]), d["question"], d["answer"], [str(t) for t in d.get("tags") or []])
                for d in map(json.loads, lines) if d]


def load_pairs(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in lines if "\t" in line]  # type: ignore[misc]


def load_judgments(path: Path) -> dict[str, set[str]]:
    judged: dict[str, set[str]] = {}
    for qid, faq_id in load_pairs(path):
        judged.setdefault(qid, set()).add(faq_id.strip())
    return judged


def write_kb_folder(root: Path, faqs: list[Faq], language: str) -> None:
    """kb_content layout: categories.yml and one faq/<lang>/<slug>.md with front matter per FAQ."""
    (root / "faq" / language).mkdir(parents=True)
    categories = [{"key": CATEGORY, "name_it": "FAQ di prova", "name_en": "Benchmark FAQ"}]
    (root / "categories.yml").write_text(yaml.safe_dump(categories, allow_unicode=True), encoding="utf-8")
    for faq in faqs:
        front = {"title": " ".join(faq.question.split()) or faq.id, "slug": faq.slug, "category": CATEGORY,
                 "language": language, "audience": "public", "tags": faq.tags}
        text = f"---\n{yaml.safe_dump(front, allow_unicode=True, sort_keys=False)}---\n{faq.answer}\n"
        (root / "faq" / language / f"{faq.slug}.md").write_text(text, encoding="utf-8")


def engines(index: Path, vector_cache: Path) -> dict[str, EmbeddedEngine]:
    """One index, read lexically or hybrid: the hybrid engine writes it (vectors included)."""
    return {"hybrid": EmbeddedEngine(index, semantic=Semantic(cache_dir=vector_cache)), "lexical": EmbeddedEngine(index)}


async def ask_portal(faqs: list[Faq], questions: list[tuple[str, str]], language: str, variants: list[Variant],
                     vector_cache: Path) -> dict[Variant, Runs]:
    """The real path: migrate, import the Markdown folder, drain the outbox, search_for(anonymous)."""
    with tempfile.TemporaryDirectory(prefix="sportello-relevance-") as scratch:
        os.environ.update({"DATA_DIR": str(Path(scratch) / "data"), "DATABASE_URL": "", "SEARCH_ENGINE": "embedded",
                           "DEFAULT_LOCALE": language})
        from tortoise import Tortoise

        from app.cli import migrate_database
        from app.db import tortoise_config
        from app.kb.importer import import_kb
        from app.searching.engine import close_engines, use_engine
        from app.searching.indexer import drain_all
        from app.searching.service import ready_engine, search_for
        from app.searching.sources import document_sources
        from app.settings import get_settings

        settings = get_settings()
        by_mode = engines(settings.data_dir / "index", vector_cache)
        await migrate_database()
        await Tortoise.init(config=tortoise_config(settings))
        try:
            root = Path(scratch) / "kb_content"
            write_kb_folder(root, faqs, language)
            report = await import_kb(settings, root)
            if report.errors:
                raise SystemExit("import failed:\n" + "\n".join(report.errors[:10]))
            use_engine(settings, by_mode["hybrid"])
            drained = await drain_all(await ready_engine(settings), document_sources())
            print(f"imported: {report.summary()}; indexed {drained.upserted} documents")
            by_slug = {faq.slug: faq.id for faq in faqs}
            results: dict[Variant, Runs] = {}
            for purpose, mode in variants:
                use_engine(settings, by_mode[mode])
                runs: Runs = {}
                for qid, text in questions:
                    result = await search_for(settings, None, text, purpose=purpose, per_page=RUN_DEPTH)
                    runs[qid] = [(by_slug[hit.url.rstrip("/").rsplit("/", 1)[-1]], hit.score) for hit in result.hits]
                results[(purpose, mode)] = runs
            return results
        finally:
            for engine in by_mode.values():
                await engine.close()
            await close_engines()
            await Tortoise.close_connections()


async def ask_direct(faqs: list[Faq], questions: list[tuple[str, str]], language: str, variants: list[Variant],
                     vector_cache: Path) -> dict[Variant, Runs]:
    """Fallback without the portal: the FAQ as SearchDocuments in a bare engine."""
    with tempfile.TemporaryDirectory(prefix="sportello-relevance-") as scratch:
        by_mode = engines(Path(scratch) / "index", vector_cache)
        now = datetime.now(timezone.utc)
        await by_mode["hybrid"].rebuild(
            SearchDocument(id=f"faq:{faq.slug}", kind="faq", title=faq.question, body=faq.answer, tags=faq.tags,
                           category=CATEGORY, product="", language=language, audience="public", company_id=None,
                           requester_id=None, status="published", url=f"/kb/{faq.slug}", updated_at=now)
            for faq in faqs
        )
        by_slug = {faq.slug: faq.id for faq in faqs}
        results: dict[Variant, Runs] = {}
        for purpose, mode in variants:
            runs: Runs = {}
            for qid, text in questions:
                query = SearchQuery(text, Principal.anonymous(language), purpose=purpose, limit=RUN_DEPTH)
                result = await run_search(by_mode[mode], query)
                runs[qid] = [(by_slug[hit.id.split(":", 1)[1]], hit.score) for hit in result.hits]
            results[(purpose, mode)] = runs
        for engine in by_mode.values():
            await engine.close()
        return results


def write_run(path: Path, runs: Runs) -> None:
    with path.open("w", encoding="utf-8") as out:
        for qid, ranked in runs.items():
            for faq_id, score in ranked[:RUN_DEPTH]:
                out.write(f"{qid}\t{faq_id}\t{score:.4f}\n")


def halves(questions: list[tuple[str, str]]) -> dict[str, set[str]]:
    """All questions, and the first and second half of the file: a change that helps only one half is noise."""
    qids = [qid for qid, _ in questions]
    middle = len(qids) // 2
    return {"all": set(qids), "1st half": set(qids[:middle]), "2nd half": set(qids[middle:])}


def score_rows(system: str, purpose: str, runs: Runs, judgments: dict[str, set[str]],
               parts: dict[str, set[str]]) -> list[list[str]]:
    rows = []
    for part, qids in parts.items():
        judged = {qid: judgments[qid] for qid in qids if qid in judgments}
        scores = evaluate({qid: [faq_id for faq_id, _ in runs.get(qid, [])] for qid in judged}, judged)
        rows.append([system, purpose, part, *(f"{value:.4f}" for value in scores.values())])
    return rows


async def main(arguments: argparse.Namespace) -> None:
    faqs = load_faqs(arguments.faqs)
    questions = load_pairs(arguments.queries)
    judgments = load_judgments(arguments.qrels)
    ask = ask_direct if arguments.direct else ask_portal
    purposes = PURPOSES if arguments.purpose == "both" else (arguments.purpose,)
    modes = MODES if arguments.mode == "both" else (arguments.mode,)
    variants = [(purpose, mode) for purpose in purposes for mode in modes]
    portal = await ask(faqs, questions, arguments.language, variants, arguments.vector_cache)
    naive = rank(faqs, questions, arguments.language, RUN_DEPTH)
    for (purpose, mode), runs in portal.items():
        write_run(run_path(arguments.out, purpose, mode, len(variants)), runs)
    write_run(arguments.out.with_suffix(f".naive{arguments.out.suffix}"), naive)
    parts = halves(questions)
    rows = [row for (purpose, mode), runs in portal.items()
            for row in score_rows(f"portal {mode}", purpose, runs, judgments, parts)]
    rows += score_rows("naive BM25", "(any)", naive, judgments, parts)
    path = "direct engine (fallback)" if arguments.direct else "portal: KB importer + outbox + search_for"
    print(f"{len(faqs)} FAQ, {len(questions)} questions, {len(judgments)} judged; path: {path}")
    metrics = list(evaluate({}, {"-": {"-"}}))
    print(table(["system", "purpose", "questions", *metrics], rows))


def run_path(out: Path, purpose: str, mode: str, variants: int) -> Path:
    """`--out` itself for one variant; `name.<purpose>-<mode>.run` beside it for several."""
    return out if variants == 1 else out.with_name(f"{out.stem}.{purpose}-{mode}{out.suffix}")


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--faqs", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="run file: qid<TAB>faq id<TAB>score")
    parser.add_argument("--language", choices=("it", "en"), default="it", help="language of the collection")
    parser.add_argument("--purpose", choices=(*PURPOSES, "both"), default="both")
    parser.add_argument("--mode", choices=(*MODES, "both"), default="both", help="lexical, hybrid (with e5) or both")
    parser.add_argument("--vector-cache", type=Path, default=VECTOR_CACHE, help="document vectors by content hash")
    parser.add_argument("--direct", action="store_true", help="fallback: skip the portal, index documents directly")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
