import re

import httpx
from starlette.datastructures import QueryParams

from app.kb import service
from app.kb.listing import ArticleFilters, editor_articles
from tests.kb.support import make_article
from tests.support import Page, log_in, make_user


async def _titles(**values: str) -> list[str]:
    page = await editor_articles(ArticleFilters.from_query(QueryParams(values)))
    return [row.latest.title for row in page.rows]


async def test_the_list_filters_on_each_articles_latest_version(db: None) -> None:
    published = await make_article("password", "Cambiare la password")
    await make_article("bozza", "Bozza sulla stampa", published=False)
    await make_article("interna", "Procedura interna", audience="staff")
    await make_article("english", "Change the password", language="en")
    await service.save_article(service.ArticleDraft(
        title="Cambiare la password (nuova)", slug="password", language="it", category_key="accesso-credenziali",
        audience="public", body="Nuovo testo.", tags=[]), None, published)  # saved, not published
    assert sorted(await _titles()) == ["Bozza sulla stampa", "Cambiare la password (nuova)", "Change the password",
                                       "Procedura interna"]
    assert await _titles(status="draft") == ["Bozza sulla stampa"]
    assert await _titles(status="changed") == ["Cambiare la password (nuova)"]
    assert sorted(await _titles(status="published")) == ["Change the password", "Procedura interna"]
    assert await _titles(language="en") == ["Change the password"]
    assert await _titles(audience="staff") == ["Procedura interna"]
    assert sorted(await _titles(q="PASSWORD")) == ["Cambiare la password (nuova)", "Change the password"]
    assert await _titles(q="interna") == ["Procedura interna"]  # the slug counts too
    assert await _titles(sort="title") == sorted(await _titles())
    assert len(await _titles(category="accesso-credenziali")) == 4 and await _titles(category="nessuna") == []
    assert len(await _titles(status="nonsense", page="x", sort="drop table")) == 4


async def test_editors_page_through_every_article_and_open_the_editor(client: httpx.AsyncClient) -> None:
    await make_user("editor@example.it", is_editor=True)
    for n in range(1, 31):
        await make_article(f"articolo-{n:02d}", f"Articolo {n:02d}", published=n % 3 != 0)
    await log_in(client, "editor@example.it")
    first = await client.get("/kb/editor/articles", params={"sort": "title"})
    page = Page(first.text)
    assert "Articoli: 30" in page.text and "Pagina 1 di 2" in page.text
    assert len(re.findall(r'<a href="/kb/editor/\d+">Articolo', first.text)) == 25
    assert "Articolo 01" in page.text and "Articolo 26" not in page.text
    assert "/kb/editor/articles?sort=title&page=2" in first.text.replace("&amp;", "&")
    second = Page((await client.get("/kb/editor/articles", params={"sort": "title", "page": "2"})).text)
    assert "Articolo 26" in second.text and "Articolo 30" in second.text
    drafts = Page((await client.get("/kb/editor/articles", params={"status": "draft"})).text)
    assert "Articoli: 10" in drafts.text and "Non pubblicato" in drafts.text and "Articolo 01" not in drafts.text


async def test_the_article_list_is_for_editors_only(client: httpx.AsyncClient) -> None:
    await make_user("tecnico@example.it", is_technician=True)
    await log_in(client, "tecnico@example.it")
    assert (await client.get("/kb/editor/articles")).status_code == 404
