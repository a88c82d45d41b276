import dataclasses
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.kb import service
from app.kb.content import FAQ_DIR
from app.kb.models import Article
from tests.kb.support import make_article
from tests.support import Page, log_in, make_company, make_user

HOSTILE = """Prima riga.

<script>alert('x')</script>

<img src="x" onerror="alert(1)">

[clicca](javascript:alert(1)) e [altro](JAVASCRIPT:alert(2))

[vedi anche](slug:altro-articolo)
"""


async def test_hostile_markdown_comes_out_inert_in_the_page(client: httpx.AsyncClient) -> None:
    await make_article("altro-articolo", "Altro articolo")
    await make_article("pericoloso", "Articolo pericoloso", HOSTILE)
    response = await client.get("/kb/pericoloso")
    html = response.text
    body = html[html.index('class="kb-article-body"'):html.index("</article>")]
    assert "<script" not in body and "onerror=" not in body.replace("onerror=&quot;", "")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body or "&lt;script&gt;" in body
    page = Page(html)
    assert not any(link.lower().startswith("javascript") for link in page.links)
    assert "/kb/altro-articolo" in page.links and "clicca" in page.text


async def test_anonymous_reads_public_articles_but_not_customer_or_staff_ones(client: httpx.AsyncClient) -> None:
    await make_article("pubblico", "Articolo pubblico", "Per tutti.")
    await make_article("clienti", "Solo clienti", "Riservato.", audience="customers")
    await make_article("interno", "Nota interna", "Solo staff.", audience="staff")
    page = Page((await client.get("/kb/pubblico")).text)
    assert "Articolo pubblico" in page.headings and "Per tutti." in page.text
    for slug in ("clienti", "interno"):
        assert (await client.get(f"/kb/{slug}")).status_code == 404
        assert (await client.get(f"/kb/{slug}/print")).status_code == 404
        hidden = await client.post(f"/kb/{slug}/feedback", data={"helpful": "yes"})
        assert hidden.status_code == 404
    listing = Page((await client.get("/kb/category/accesso")).text)
    assert "Articolo pubblico" in listing.text and "Solo clienti" not in listing.text
    assert "Nota interna" not in listing.text


async def test_requester_reads_customer_articles_but_not_staff_ones(client: httpx.AsyncClient) -> None:
    await make_article("clienti", "Solo clienti", "Riservato.", audience="customers")
    await make_article("interno", "Nota interna", "Solo staff.", audience="staff")
    await make_user("anna@valdora.it", await make_company())
    await log_in(client, "anna@valdora.it")
    assert "Solo clienti" in Page((await client.get("/kb/clienti")).text).headings
    assert (await client.get("/kb/interno")).status_code == 404
    index = Page((await client.get("/kb")).text)
    assert "Accesso al portale" in index.text


async def test_technician_reads_staff_articles_and_drafts_stay_with_editors(client: httpx.AsyncClient) -> None:
    await make_article("interno", "Nota interna", "Solo staff.", audience="staff")
    await make_article("bozza", "Bozza segreta", published=False)
    await make_user("tecnico@sportello.it", is_technician=True)
    await log_in(client, "tecnico@sportello.it")
    assert "Nota interna" in Page((await client.get("/kb/interno")).text).headings
    assert (await client.get("/kb/bozza")).status_code == 404
    await make_user("editor@sportello.it", is_editor=True)
    await log_in(client, "editor@sportello.it")
    draft = Page((await client.get("/kb/bozza")).text)
    assert "Bozza segreta" in draft.headings and "Bozza: non pubblicata" in draft.text


async def test_print_view_has_the_article_without_the_portal_chrome(client: httpx.AsyncClient) -> None:
    await make_article("stampa", "Da stampare", "## Passo uno\n\nFai questo.")
    page = Page((await client.get("/kb/stampa/print")).text)
    assert page.headings[:2] == ["Da stampare", "Passo uno"] and "Fai questo." in page.text
    assert "Esci" not in page.text and "Torna all'articolo" in page.text


async def test_translation_in_the_readers_language_is_offered_first(client: httpx.AsyncClient) -> None:
    await make_article("reimpostare-password", "Reimpostare la password", translation="reset-password")
    await make_article("reset-password", "Reset the password", language="en")
    english = Page((await client.get("/kb/reset-password")).text)
    assert "Questo articolo è disponibile anche nella tua lingua:" in english.text
    assert "/kb/reimpostare-password" in english.links
    italian = Page((await client.get("/kb/reimpostare-password")).text)
    assert "/kb/reset-password" in italian.links and "English: Reset the password" in italian.text
    listing = Page((await client.get("/kb/category/accesso-credenziali")).text)
    assert listing.text.index("Reimpostare la password") < listing.text.index("Reset the password")


async def test_browse_by_tag(client: httpx.AsyncClient) -> None:
    await make_article("spid", "Accesso con SPID", tags=["spid", "login"])
    await make_article("cedolino", "Scaricare il cedolino", tags=["cedolino"])
    await make_article("privato", "Privato con SPID", tags=["spid"], audience="staff")
    page = Page((await client.get("/kb/tag/spid")).text)
    assert "Accesso con SPID" in page.text and "Scaricare il cedolino" not in page.text
    assert "Privato con SPID" not in page.text
    index = Page((await client.get("/kb")).text)
    assert "/kb/tag/spid" in index.links


async def test_article_images_are_served_only_from_the_faq_folder(client: httpx.AsyncClient) -> None:
    await make_article("stati", "Stati", "![Diagramma](media/flusso-stati-ticket.png) ![Manca](media/nessuna.png)")
    page = (await client.get("/kb/stati")).text
    assert 'src="/kb-files/media/flusso-stati-ticket.png"' in page and "Manca" in page
    image = await client.get("/kb-files/media/flusso-stati-ticket.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    for path in ("/kb-files/../categories.yml", "/kb-files/it/reimpostare-password.md",
                 "/kb-files/%2e%2e/%2e%2e/pyproject.toml", "/kb-files/media/src/flusso-stati-ticket.html"):
        assert (await client.get(path)).status_code == 404, path


SHARED_IMAGE = "/kb-files/media/flusso-stati-ticket.png"


@pytest.fixture
def own_image_slug() -> Iterator[str]:
    """An article folder under kb_content/faq/it holding one image, removed afterwards."""
    slug = f"prova-immagine-{uuid.uuid4().hex[:8]}"
    folder = FAQ_DIR / "it" / slug
    folder.mkdir()
    shutil.copy(FAQ_DIR / "media" / "flusso-stati-ticket.png", folder / "schermata.png")
    yield slug
    shutil.rmtree(folder)


async def _image_status(client: httpx.AsyncClient, path: str) -> int:
    return (await client.get(path)).status_code


async def test_an_articles_own_image_follows_the_articles_audience(client: httpx.AsyncClient,
                                                                  own_image_slug: str) -> None:
    await make_article(own_image_slug, "Schermata interna", "![Schermata](schermata.png)", audience="staff")
    image = f"/kb-files/it/{own_image_slug}/schermata.png"
    assert await _image_status(client, image) == 404
    await make_user("anna@valdora.it", await make_company())
    await log_in(client, "anna@valdora.it")
    assert await _image_status(client, image) == 404
    await make_user("tecnico@sportello.it", is_technician=True)
    await log_in(client, "tecnico@sportello.it")
    page = (await client.get(f"/kb/{own_image_slug}")).text
    assert f'src="{image}"' in page
    response = await client.get(image)
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
    assert response.headers["cache-control"].startswith("private")


async def test_an_image_folder_without_its_article_is_not_served(client: httpx.AsyncClient,
                                                                 own_image_slug: str) -> None:
    assert await _image_status(client, f"/kb-files/it/{own_image_slug}/schermata.png") == 404
    await make_article(own_image_slug, "In inglese?", "![Schermata](schermata.png)", language="en")
    assert await _image_status(client, f"/kb-files/it/{own_image_slug}/schermata.png") == 404


async def test_a_shared_image_is_served_to_readers_of_an_article_showing_it(client: httpx.AsyncClient) -> None:
    await make_article("interno", "Nota interna", "![Diagramma](media/flusso-stati-ticket.png)", audience="staff")
    public = await make_article("pubblico", "Pubblico", "Ancora senza diagramma.")
    assert await _image_status(client, SHARED_IMAGE) == 404
    draft = service.ArticleDraft(title="Pubblico", slug="pubblico", language="it", category_key="accesso-credenziali",
                                 audience="public", body="![Diagramma](media/flusso-stati-ticket.png)", tags=[])
    await service.save_article(draft, None, public)
    assert await _image_status(client, SHARED_IMAGE) == 404  # only the unpublished version shows it
    await service.save_article(dataclasses.replace(draft, body=draft.body + "\n\nPubblicato."), None, public,
                               publish=True)
    assert await _image_status(client, SHARED_IMAGE) == 200
    await make_user("editore@sportello.it", is_editor=True)
    await log_in(client, "editore@sportello.it")
    assert await _image_status(client, SHARED_IMAGE) == 200


async def test_unknown_article_and_category_are_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/kb/non-esiste")).status_code == 404
    assert (await client.get("/kb/category/non-esiste")).status_code == 404
    assert await Article.all().count() == 0
