"""A saved draft changes nothing readers see: audience, address and category wait for publishing."""

from pathlib import Path

import httpx

from app.kb.models import Article
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from search.embedded import EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchQuery
from tests.kb.support import make_article
from tests.support import Page, log_in, make_user

FORM = {"title": "Procedura interna VPN", "slug": "procedura-vpn", "language": "it", "category": "assistenza",
        "audience": "public", "tags": "vpn", "body": "Configura la VPN aziendale.\n", "action": "draft"}


async def _anonymous_finds(tmp_path: Path, text: str) -> list[str]:
    engine = EmbeddedEngine(tmp_path / "index")
    await drain_all(engine, document_sources())
    found = await run_search(engine, SearchQuery(text=text, principal=Principal.anonymous(), kinds=("faq",)))
    return [hit.url for hit in found.hits]


async def test_a_staff_article_drafted_public_stays_staff_until_published(client: httpx.AsyncClient,
                                                                         settings: Settings, tmp_path: Path) -> None:
    article = await make_article("vpn-interna", "Procedura interna VPN", "Configura la VPN aziendale.\n",
                                 audience="staff")
    await make_user("redattrice@sportello.it", is_editor=True)
    await log_in(client, "redattrice@sportello.it")
    saved = await client.post(f"/kb/editor/{article.id}", data=FORM)
    assert saved.status_code == 303
    editor = Page((await client.get(f"/kb/editor/{article.id}")).text)
    assert editor.inputs["slug"] == "procedura-vpn" and "Pubblica la versione 2" in editor.text
    history = Page((await client.get(f"/kb/editor/{article.id}/history")).text)
    assert "procedura-vpn" in history.text and "vpn-interna" in history.text
    assert "Solo personale interno" in history.text and "Tutti" in history.text
    assert "Ticket e assistenza" in history.text

    anonymous = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    for slug in ("vpn-interna", "procedura-vpn"):
        assert (await anonymous.get(f"/kb/{slug}")).status_code == 404
    stored = await Article.get(id=article.id).select_related("category")
    assert (stored.slug, stored.audience.value, stored.category.key) == ("vpn-interna", "staff", "accesso-credenziali")
    assert await _anonymous_finds(tmp_path / "draft", "vpn aziendale") == []

    await client.post(f"/kb/editor/{article.id}/publish")
    page = Page((await anonymous.get("/kb/procedura-vpn")).text)
    assert "Procedura interna VPN" in page.headings and "Configura la VPN aziendale." in page.text
    moved = await anonymous.get("/kb/vpn-interna")
    assert moved.status_code == 301 and moved.headers["location"] == "/kb/procedura-vpn"
    assert await _anonymous_finds(tmp_path / "published", "vpn aziendale") == ["/kb/procedura-vpn"]


async def test_a_draft_cannot_claim_an_address_another_draft_waits_for(client: httpx.AsyncClient) -> None:
    first = await make_article("primo", "Primo")
    second = await make_article("secondo", "Secondo")
    await make_user("redattrice@sportello.it", is_editor=True)
    await log_in(client, "redattrice@sportello.it")
    await client.post(f"/kb/editor/{first.id}", data={**FORM, "slug": "nuovo-indirizzo"})
    refused = await client.post(f"/kb/editor/{second.id}", data={**FORM, "slug": "nuovo-indirizzo"})
    assert refused.status_code == 400
    assert any("Un altro articolo usa già questo indirizzo." in alert for alert in Page(refused.text).alerts)
    assert (await Article.get(id=second.id)).current_number == 1
