from datetime import UTC, datetime

import httpx

from app.insights import dashboards
from app.insights.models import SearchEvent
from app.kb.models import ArticleFeedback, ArticleVersion
from app.settings import Settings
from tests.insights.support import browser_session, parse_csv, searched, session_of
from tests.kb.support import make_article
from tests.support import Page, log_in, make_company, make_user


async def _editor(client: httpx.AsyncClient) -> None:
    await make_user("editor@example.it", is_editor=True)
    await log_in(client, "editor@example.it")


def _rows(page: Page, first: str) -> str:
    """The visible text from `first` on, for asserting a table row's numbers in order."""
    return page.text[page.text.index(first):]


async def test_editors_see_top_no_result_and_failed_queries_with_counts(client: httpx.AsyncClient) -> None:
    await searched("stampa cedolini", 4, times=3)
    await searched("Stampa  Cedolini", 4, times=2, ticket_followed=True)
    await searched("vpn aziendale", 0, times=3)
    await searched("orari sportello", 2, deflected=True)
    await searched("vecchia domanda", 0, days_ago=40)
    await searched("log del server", 0, role="technician", times=2)
    await _editor(client)
    page = Page((await client.get("/insights/search")).text)
    assert "Cosa cercano le persone" in page.headings
    assert "Ricerche più frequenti" in page.headings and "Ricerche senza risultati" in page.headings
    top = _rows(page, "Ricerche più frequenti")
    assert "stampa cedolini 5 0 0 2 0" in top and "vpn aziendale 3 3 0 0 0" in top
    assert "vecchia domanda" not in page.text
    no_results = _rows(page, "Ricerche senza risultati")
    assert no_results.index("vpn aziendale 3 3") < no_results.index("log del server 2 2")
    failed = _rows(page, "Ricerche seguite da un ticket")
    assert "stampa cedolini 2 5" in failed
    assert "/kb/editor/new?title=vpn+aziendale" in page.links

    customers = Page((await client.get("/insights/search?days=90&who=customers")).text)
    assert "vecchia domanda" in customers.text and "log del server" not in customers.text


async def test_least_helpful_articles_link_to_their_editor(client: httpx.AsyncClient) -> None:
    good = await make_article("firma-digitale", "Firma digitale")
    bad = await make_article("stampa-cedolini", "Stampa dei cedolini")
    for article, answers in ((good, [True, True, True, False]), (bad, [False, False, True])):
        version = await ArticleVersion.get(article_id=article.id, number=article.current_number)
        for helpful in answers:
            await ArticleFeedback.create(article=article, version=version, helpful=helpful)
    await _editor(client)
    page = Page((await client.get("/insights/search")).text)
    articles = _rows(page, "Articoli meno utili")
    assert articles.index("Stampa dei cedolini 1 2 33,3") < articles.index("Firma digitale 3 1 75")
    assert f"/kb/editor/{bad.id}" in page.links and f"/kb/editor/{good.id}" in page.links


async def test_every_report_table_exports_as_csv_for_excel(client: httpx.AsyncClient) -> None:
    await searched("=HYPERLINK(\"x\")", 0, times=2)
    await searched("modulo f24; ravvedimento", 1)
    await _editor(client)
    response = await client.get("/insights/search?days=7&format=csv&table=no_results")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="sportello-no_results-7d-')
    assert parse_csv(response.content) == [
        ["Ricerca", "Ricerche senza risultati", "Ricerche"], ["'=hyperlink(\"x\")", "2", "2"]]
    top = parse_csv((await client.get("/insights/search?format=csv&table=top")).content)
    assert ["modulo f24; ravvedimento", "1", "0", "0", "0", "0"] in top
    for name in ("failed", "articles"):
        assert len(parse_csv((await client.get(f"/insights/search?format=csv&table={name}")).content)) == 1
    assert (await client.get("/insights/search?format=csv&table=nope")).status_code == 404


async def test_a_bad_period_falls_back_to_thirty_days(client: httpx.AsyncClient) -> None:
    await searched("vecchia domanda", 0, days_ago=40)
    await _editor(client)
    page = Page((await client.get("/insights/search?days=1000&who=x")).text)
    assert "Cosa cercano le persone" in page.headings and "vecchia domanda" not in page.text


async def test_requesters_and_technicians_get_404_on_the_editors_report(client: httpx.AsyncClient) -> None:
    await make_user("mario@valdora.example", await make_company(), full_name="Mario Rossi")
    await make_user("tech@example.it", is_technician=True)
    for email in ("mario@valdora.example", "tech@example.it"):
        await log_in(client, email)
        refused = await client.get("/insights/search")
        assert refused.status_code == 404 and "Pagina non trovata" in Page(refused.text).text
        assert (await client.get("/insights/search?format=csv&table=top")).status_code == 404
    anonymous = httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url))
    assert (await anonymous.get("/insights/search")).headers["location"].startswith("/login")


async def test_the_click_redirect_records_the_hit_of_my_own_search(client: httpx.AsyncClient,
                                                                   settings: Settings) -> None:
    [mine] = await searched("password scaduta", 5)
    [theirs] = await searched("password dimenticata", 5)
    browser_session(client, settings, {"search_trail": [mine]})
    response = await client.get(f"/insights/open/{mine}", params={"hit": "faq:12", "rank": "2",
                                                                    "to": "/kb/password-scaduta?x=1#passi"})
    assert response.status_code == 303 and response.headers["location"] == "/kb/password-scaduta?x=1#passi"
    foreign = await client.get(f"/insights/open/{theirs}", params={"hit": "faq:3", "rank": "1", "to": "/kb"})
    assert foreign.status_code == 303
    events = {e.id: e for e in await SearchEvent.all()}
    assert (events[mine].opened_hit_id, events[mine].opened_rank) == ("faq:12", 2)
    assert events[theirs].opened_hit_id is None


async def test_the_click_redirect_refuses_off_site_targets(client: httpx.AsyncClient, settings: Settings) -> None:
    [mine] = await searched("password scaduta", 5)
    browser_session(client, settings, {"search_trail": [mine]})
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                   "evil.example", "", "/ok\r\nSet-Cookie: x=1"):
        response = await client.get(f"/insights/open/{mine}", params={"hit": "faq:1", "rank": "1", "to": target})
        assert response.status_code == 400, target
        assert "location" not in response.headers
        assert "Questo collegamento non porta a una pagina del portale." in Page(response.text).text
    assert (await SearchEvent.get(id=mine)).opened_hit_id is None


async def test_this_solved_my_problem_marks_the_search_and_ends_the_trail(client: httpx.AsyncClient,
                                                                          settings: Settings) -> None:
    [mine] = await searched("orari sportello", 2)
    browser_session(client, settings, {"search_trail": [mine]})
    response = await client.post("/insights/solved", data={"event": str(mine), "hit": "faq:4", "next": "/kb/orari"})
    assert response.status_code == 303 and response.headers["location"] == "/kb/orari"
    event = await SearchEvent.get(id=mine)
    assert (event.deflected, event.opened_hit_id) == (True, "faq:4")
    assert "search_trail" not in session_of(client)
    thanks = await client.post("/insights/solved", data={"next": "https://evil.example"},
                               headers={"HX-Request": "true"})
    assert "Siamo contenti che sia stato utile." in Page(thanks.text).text
    away = await client.post("/insights/solved", data={"next": "https://evil.example"})
    assert away.headers["location"] == "/"


async def test_open_link_round_trips_through_the_redirect(client: httpx.AsyncClient, settings: Settings) -> None:
    from app.insights.service import open_link

    [mine] = await searched("modulo ferie", 3)
    browser_session(client, settings, {"search_trail": [mine]})
    assert open_link(None, "faq:1", 1, "/kb/ferie") == "/kb/ferie"
    response = await client.get(open_link(mine, "document:4:p2", 3, "/documents/4#page=2"))
    assert response.headers["location"] == "/documents/4#page=2"
    assert (await SearchEvent.get(id=mine)).opened_rank == 3


async def _deflection_this_week(client: httpx.AsyncClient) -> list[str]:
    await make_user("tech@example.it", is_technician=True)
    await log_in(client, "tech@example.it")
    rows = parse_csv((await client.get("/insights/dashboard?format=csv&table=deflection")).content)
    [this_week] = [r for r in rows if r[0] == dashboards.week_of(datetime.now(UTC))]
    return this_week[1:]


async def test_solved_counts_the_one_search_that_showed_the_answer(client: httpx.AsyncClient,
                                                                   settings: Settings) -> None:
    searches = [(await searched(text, 3))[0] for text in ("orari", "ferie", "cedolini", "vpn", "spid", "f24")]
    [foreign] = await searched("password", 3)
    await searched("stampante", 2, ticket_followed=True)
    await searched("badge", 2, ticket_followed=True)
    browser_session(client, settings, {"search_trail": searches})
    answered = searches[-1]
    for _ in range(6):  # six clicks on the answer of one search
        await client.post("/insights/solved", data={"event": str(answered), "hit": "faq:4", "next": "/"})
    for event in (str(foreign), "x", "", "99999999"):
        await client.post("/insights/solved", data={"event": event, "hit": "faq:4", "next": "/"})
    deflected = await SearchEvent.filter(deflected=True).values_list("id", flat=True)
    assert list(deflected) == [answered]
    assert session_of(client)["search_trail"] == searches[:-1]
    assert await _deflection_this_week(client) == ["1", "2", "33,3"]


async def test_an_article_opened_from_a_search_offers_solved_for_that_search(client: httpx.AsyncClient,
                                                                             settings: Settings) -> None:
    from app.insights.service import open_link

    article = await make_article("orari", "Orari dello sportello")
    [first, second] = [(await searched(text, 3))[0] for text in ("orari", "apertura")]
    browser_session(client, settings, {"search_trail": [first, second]})
    assert "Questo ha risolto il mio problema" not in Page((await client.get("/kb/orari")).text).text
    opened = await client.get(open_link(first, f"faq:{article.id}", 1, "/kb/orari"), follow_redirects=True)
    page = Page(opened.text)
    assert "Questo ha risolto il mio problema" in page.text
    assert page.inputs["event"] == str(first) and page.inputs["hit"] == f"faq:{article.id}"
    await client.post("/insights/solved", data={"event": page.inputs["event"], "hit": page.inputs["hit"],
                                                "next": "/kb/orari"})
    assert [e.id for e in await SearchEvent.filter(deflected=True)] == [first]
    assert "Questo ha risolto il mio problema" not in Page((await client.get("/kb/orari")).text).text
