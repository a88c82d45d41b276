import httpx

from app.accounts.models import UserStatus
from app.kb.models import Article, ArticleFeedback, ArticleVersion
from tests.kb.support import make_article, make_categories, outbox
from tests.support import Page, SmtpServer, link_in, log_in, make_company, make_user, text_of

FORM = {"title": "Come cambiare la password", "slug": "cambiare-password", "language": "it",
        "category": "accesso-credenziali", "audience": "public", "tags": "password, login, password",
        "body": "Apri **Preferenze**.\n", "action": "draft"}


async def editor(client: httpx.AsyncClient) -> None:
    await make_user("redattrice@sportello.it", is_editor=True, full_name="Rita Redattrice")
    await log_in(client, "redattrice@sportello.it")


async def test_draft_publish_unpublish_cycle(client: httpx.AsyncClient) -> None:
    await make_categories()
    await editor(client)
    saved = await client.post("/kb/editor/new", data=FORM)
    article = await Article.get(slug="cambiare-password")
    assert saved.headers["location"] == f"/kb/editor/{article.id}"
    assert not article.is_published and article.current_number == 1
    version = await ArticleVersion.get(article_id=article.id, number=1)
    assert version.tags == ["password", "login"] and version.title == "Come cambiare la password"
    await client.post(f"/kb/editor/{article.id}/publish")
    await client.post("/logout")
    assert "Come cambiare la password" in Page((await client.get("/kb/cambiare-password")).text).headings
    await editor_again(client)
    await client.post(f"/kb/editor/{article.id}/publish", data={"unpublish": "on"})
    await client.post("/logout")
    assert (await client.get("/kb/cambiare-password")).status_code == 404
    assert await outbox("faq") == [str(article.id)] * 3


async def editor_again(client: httpx.AsyncClient) -> None:
    await log_in(client, "redattrice@sportello.it")


async def test_bad_input_is_refused_with_the_values_kept_and_nothing_written(client: httpx.AsyncClient) -> None:
    await make_categories()
    await make_article("gia-usato", "Già usato")
    await editor(client)
    cases = [({"title": ""}, "Inserisci un titolo."), ({"slug": "Con Spazi"}, "L'indirizzo deve contenere"),
             ({"slug": "gia-usato"}, "Un altro articolo usa già questo indirizzo."),
             ({"category": "nessuna"}, "Scegli una categoria."), ({"audience": "tutti"}, "Scegli chi può leggere"),
             ({"body": "  "}, "Scrivi il testo dell'articolo."), ({"slug": "editor"}, "L'indirizzo deve contenere")]
    for change, message in cases:
        response = await client.post("/kb/editor/new", data={**FORM, **change})
        page = Page(response.text)
        assert response.status_code == 400 and any(message in alert for alert in page.alerts), (change, page.alerts)
        assert page.inputs["tags"] == "password, login"
    assert await Article.all().count() == 1


async def test_versions_diff_and_restore(client: httpx.AsyncClient) -> None:
    await make_categories()
    await editor(client)
    await client.post("/kb/editor/new", data={**FORM, "body": "Riga uno.\nRiga due.\n", "action": "publish"})
    article = await Article.get(slug="cambiare-password")
    await client.post(f"/kb/editor/{article.id}", data={**FORM, "body": "Riga uno.\nRiga <b>nuova</b>.\n"})
    await client.post(f"/kb/editor/{article.id}", data={**FORM, "body": "Riga uno.\nRiga <b>nuova</b>.\n"})
    await article.refresh_from_db()
    assert (article.current_number, article.published_number) == (2, 1)

    history = Page((await client.get(f"/kb/editor/{article.id}/history")).text)
    assert "Ripristina la versione 1" in history.text and f"/kb/editor/{article.id}/diff?from=1&to=2" in history.links
    diff = (await client.get(f"/kb/editor/{article.id}/diff?from=1&to=2")).text
    assert "<del>Riga due.</del>" in diff and "<ins>Riga &lt;b&gt;nuova&lt;/b&gt;.</ins>" in diff
    assert (await client.get(f"/kb/editor/{article.id}/diff?from=1&to=9")).status_code == 404

    restored = await client.post(f"/kb/editor/{article.id}/restore", data={"number": "1"}, follow_redirects=True)
    assert "Versione 1 ripristinata come bozza" in " ".join(Page(restored.text).alerts)
    await article.refresh_from_db()
    latest = await ArticleVersion.get(article_id=article.id, number=3)
    assert latest.body == "Riga uno.\nRiga due.\n" and article.published_number == 1
    assert (await client.post(f"/kb/editor/{article.id}/restore", data={"number": "42"})).status_code == 404


async def test_live_preview_renders_markdown_safely(client: httpx.AsyncClient) -> None:
    await make_article("altro", "Altro")
    await editor(client)
    response = await client.post("/kb/editor/preview", data={"body": "## Titolo\n\n[a](slug:altro) <script>x</script>",
                                                              "slug": "nuovo", "language": "it"},
                                 headers={"HX-Request": "true"})
    assert '<h2 id="titolo">' in response.text and 'href="/kb/altro"' in response.text
    assert "<script>" not in response.text and "&lt;script&gt;" in response.text
    assert "<html" not in response.text


def another_reader(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """A second browser: its own cookies, so its own session."""
    return httpx.AsyncClient(transport=client._transport, base_url=str(client.base_url),
                             headers={"Origin": str(client.base_url)})


async def test_feedback_is_counted_per_version_and_shown_to_editors(client: httpx.AsyncClient) -> None:
    article = await make_article("utile", "Articolo utile", "Prima versione.")
    for helpful in ("yes", "yes", "no"):
        async with another_reader(client) as reader:
            await reader.post("/kb/utile/feedback", data={"helpful": helpful})
    thanks = await client.post("/kb/utile/feedback", data={"helpful": "no", "comment": "Manca un passo"},
                               headers={"HX-Request": "true"})
    assert "Grazie per la tua valutazione." in Page(thanks.text).text and "<html" not in thanks.text
    assert (await client.post("/kb/utile/feedback", data={"helpful": "forse"})).status_code == 400
    await editor(client)
    await client.post(f"/kb/editor/{article.id}", data={**FORM, "slug": "utile", "body": "Seconda.",
                                                        "action": "publish"})
    await client.post("/logout")
    await client.post("/kb/utile/feedback", data={"helpful": "yes"})
    rows = await ArticleFeedback.filter(article_id=article.id).select_related("version")
    assert sorted((r.version.number, r.helpful) for r in rows) == [
        (1, False), (1, False), (1, True), (1, True), (2, True)]
    await editor_again(client)
    page = Page((await client.get(f"/kb/editor/{article.id}/history")).text)
    assert "Manca un passo" in page.text
    article_page = Page((await client.get("/kb/utile")).text)
    assert "1 sì, 0 no" in article_page.text


async def test_requester_suggestion_lands_as_a_draft_in_the_queue(client: httpx.AsyncClient) -> None:
    await make_user("anna@valdora.it", await make_company(), full_name="Anna Valdora")
    await log_in(client, "anna@valdora.it")
    assert (await client.post("/kb/suggest", data={"title": "", "question": "x"})).status_code == 400
    sent = await client.post("/kb/suggest", data={"title": "Come stampo il cedolino?",
                                                  "question": "Non trovo il pulsante."}, follow_redirects=True)
    assert "Grazie: i redattori valuteranno il tuo suggerimento." in Page(sent.text).alerts
    article = await Article.get(slug="come-stampo-il-cedolino")
    assert not article.is_published and article.suggested_by_id is not None
    assert (await client.get("/kb/come-stampo-il-cedolino")).status_code == 404
    assert (await client.get("/kb/editor")).status_code == 404
    await editor(client)
    queue = Page((await client.get("/kb/editor")).text)
    assert "Come stampo il cedolino?" in queue.text and "Anna Valdora" in queue.text


async def test_a_suggestion_mails_every_editor_a_link_to_it(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("rita@sportello.it", is_editor=True)
    await make_user("ugo@sportello.it", is_editor=True, locale="en")
    await make_user("admin@sportello.it", is_admin=True)
    await make_user("ex@sportello.it", is_editor=True, status=UserStatus.DISABLED)
    await make_user("anna@valdora.it", await make_company("Comune di Valdora"), full_name="Anna Valdora")
    await log_in(client, "anna@valdora.it")
    await client.post("/kb/suggest", data={"title": "Come stampo il cedolino?", "question": "Non trovo il pulsante."})
    assert await smtp.deliver() == 2
    article = await Article.get(slug="come-stampo-il-cedolino")
    mail = smtp.mailbox.last_to("rita@sportello.it")
    assert mail["Subject"] == "Suggerimento per le FAQ: Come stampo il cedolino?"
    assert "Anna Valdora (Comune di Valdora) suggerisce" in text_of(mail) and "Non trovo il pulsante." in text_of(mail)
    assert link_in(mail, "/kb/editor/").endswith(f"/kb/editor/{article.id}")
    assert smtp.mailbox.last_to("ugo@sportello.it")["Subject"] == "FAQ suggestion: Come stampo il cedolino?"


async def test_without_editors_the_admins_get_the_suggestion(client: httpx.AsyncClient, smtp: SmtpServer) -> None:
    await make_user("admin@sportello.it", is_admin=True)
    await make_user("anna@valdora.it", await make_company(), full_name="Anna Valdora")
    await log_in(client, "anna@valdora.it")
    await client.post("/kb/suggest", data={"title": "Ferie", "question": "Come chiedo le ferie?"})
    assert await smtp.deliver() == 1
    assert [message["To"] for message in smtp.mailbox.messages] == ["admin@sportello.it"]


async def test_only_editors_and_admins_reach_the_editor(client: httpx.AsyncClient) -> None:
    article = await make_article("pubblico", "Pubblico")
    await make_user("tecnico@sportello.it", is_technician=True)
    await log_in(client, "tecnico@sportello.it")
    for path in ("/kb/editor", "/kb/editor/new", f"/kb/editor/{article.id}", f"/kb/editor/{article.id}/history"):
        assert (await client.get(path)).status_code == 404, path
    assert (await client.post(f"/kb/editor/{article.id}/publish", data={"unpublish": "on"})).status_code == 404
    assert (await Article.get(id=article.id)).is_published
    await make_user("capo@sportello.it", is_admin=True)
    await log_in(client, "capo@sportello.it")
    assert "Coda di redazione" in Page((await client.get("/kb/editor")).text).headings


async def test_one_vote_per_reader_and_version_and_a_second_vote_changes_the_first(client: httpx.AsyncClient) -> None:
    article = await make_article("voto", "Articolo da votare", "Prima versione.")
    for helpful in ("yes", "yes", "yes", "no"):
        await client.post("/kb/voto/feedback", data={"helpful": helpful})
    await client.post("/kb/voto/feedback", data={"helpful": "no", "comment": "Manca un passo"})
    async with another_reader(client) as reader:
        await reader.post("/kb/voto/feedback", data={"helpful": "yes"})
    rows = await ArticleFeedback.filter(article_id=article.id).order_by("id")
    assert [(r.helpful, r.comment) for r in rows] == [(False, "Manca un passo"), (True, "")]

    await make_user("anna@valdora.it", await make_company())
    await log_in(client, "anna@valdora.it")
    for helpful in ("no", "yes"):
        await client.post("/kb/voto/feedback", data={"helpful": helpful})
    anna = await ArticleFeedback.filter(article_id=article.id, user__email="anna@valdora.it")
    assert [r.helpful for r in anna] == [True]

    await editor(client)
    await client.post(f"/kb/editor/{article.id}", data={**FORM, "slug": "voto", "body": "Seconda.",
                                                        "action": "publish"})
    await client.post("/logout")
    await log_in(client, "anna@valdora.it")
    await client.post("/kb/voto/feedback", data={"helpful": "no"})  # the new version is a new question
    counts = await ArticleFeedback.filter(article_id=article.id).select_related("version")
    assert sorted((r.version.number, r.helpful) for r in counts) == [(1, False), (1, True), (1, True), (2, False)]
