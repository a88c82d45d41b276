"""The knowledge base through the real search layer: outbox → indexer → embedded engine → one search function."""

from pathlib import Path

from app.accounts.models import Company
from app.kb.content import KB_CONTENT
from app.kb.importer import import_kb
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from search.embedded import EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchQuery


async def test_manual_pages_and_faq_are_found_with_audience_applied(db: None, settings: Settings,
                                                                    tmp_path: Path) -> None:
    await import_kb(settings, KB_CONTENT)
    engine = EmbeddedEngine(tmp_path / "index")
    await drain_all(engine, document_sources())
    company = await Company.create(name="Comune di Valdora")

    requester = Principal.requester(1, company.id)
    found = await run_search(engine, SearchQuery(text="manuale portale clienti", principal=requester,
                                                 kinds=("manual_page",), limit=5))
    assert found.hits and all(hit.url.startswith("/documents/") and "#page=" in hit.url for hit in found.hits)
    assert all(hit.page is not None and hit.title.endswith(f"p. {hit.page}") for hit in found.hits)

    anonymous = await run_search(engine, SearchQuery(text="manuale portale clienti", principal=Principal.anonymous(),
                                                     kinds=("manual_page",), limit=50))
    assert all("Manuale del portale clienti" not in hit.title for hit in anonymous.hits)

    faq = await run_search(engine, SearchQuery(text="password", principal=Principal.anonymous(), kinds=("faq",)))
    assert any(hit.url == "/kb/reimpostare-password" for hit in faq.hits)
