from datetime import UTC, datetime, timedelta

import httpx
import pytest

from app.searching.lexicon import LexiconError, parse_stop_words, parse_synonyms
from app.searching.models import IndexTask, SearchLexicon
from app.searching.outbox import enqueue
from app.settings import Settings
from tests.searching.support import document, index, ticket
from tests.support import Page, log_in, make_company, make_user


async def admin_logged_in(client: httpx.AsyncClient) -> None:
    await make_user("admin@sportello.it", is_admin=True, full_name="Ada Admin")
    await log_in(client, "admin@sportello.it")


async def test_admin_page_shows_documents_per_kind_and_the_queue(client: httpx.AsyncClient,
                                                                 settings: Settings) -> None:
    await admin_logged_in(client)
    company = await make_company("Studio Bellini")
    await index(settings, document("faq:1", "Uno"), document("faq:2", "Due"), ticket(9, "Riservato", company.id, 1))
    await enqueue("faq", 3)
    await enqueue("ticket", 4)
    await IndexTask.filter(object_id="4").update(created_at=datetime.now(UTC) - timedelta(minutes=7), attempts=3,
                                                 last_error="LookupError: no document source named 'ticket'")
    page = Page((await client.get("/admin/search")).text)
    assert "funzionante" in page.text and "Documenti nell'indice 3" in page.text
    assert "FAQ 2" in page.text and "Ticket 1" in page.text and "Pagine dei manuali 0" in page.text
    assert "Modifiche in attesa 2" in page.text and "In nuovo tentativo dopo un errore 1" in page.text
    assert "7 minuti" in page.text and "no document source named 'ticket'" in page.text


async def test_search_admin_is_for_admins_only(client: httpx.AsyncClient) -> None:
    await make_user("tecnico@sportello.it", is_technician=True)
    await log_in(client, "tecnico@sportello.it")
    assert (await client.get("/admin/search")).status_code == 404
    refused = await client.post("/admin/search/lexicon", data={"synonyms": "a, b"})
    assert refused.status_code == 404 and await SearchLexicon.all().count() == 0


async def test_edited_synonyms_apply_to_searches_at_once(client: httpx.AsyncClient, settings: Settings) -> None:
    await admin_logged_in(client)
    await index(settings, document("faq:1", "Scanner del protocollo", "Digitalizzare la posta in arrivo"))
    editor = Page((await client.get("/admin/search")).text)
    assert "busta paga, cedolino, cedolini, payslip" in editor.text and "Sono in uso le impostazioni" in editor.text
    assert "Scanner del protocollo" not in Page((await client.get("/search", params={"q": "zzscansione"})).text).text

    saved = await client.post("/admin/search/lexicon", data={
        "action": "save", "synonyms": "zzscansione, scanner\n\nbusta paga, cedolino",
        "stop_words_it": "il lo la", "stop_words_en": "the, a"}, follow_redirects=True)
    assert "Sinonimi e parole vuote salvati: le ricerche li usano da subito." in Page(saved.text).alerts
    row = await SearchLexicon.get(id=1)
    assert row.synonyms == [["zzscansione", "scanner"], ["busta paga", "cedolino"]]
    assert row.stop_words == {"it": ["il", "la", "lo"], "en": ["a", "the"]}
    found = Page((await client.get("/search", params={"q": "zzscansione"})).text)
    assert "Scanner del protocollo" in found.text
    assert "Ultimo salvataggio di Ada Admin." in Page((await client.get("/admin/search")).text).text

    await client.post("/admin/search/lexicon", data={"action": "reset"})
    assert (await SearchLexicon.get(id=1)).version == 2
    assert "Scanner del protocollo" not in Page((await client.get("/search", params={"q": "zzscansione"})).text).text


async def test_a_bad_synonym_line_is_refused_with_the_text_kept(client: httpx.AsyncClient) -> None:
    await admin_logged_in(client)
    refused = await client.post("/admin/search/lexicon", data={
        "action": "save", "synonyms": "login, accesso\nsolitario", "stop_words_it": "il", "stop_words_en": ""})
    page = Page(refused.text)
    assert refused.status_code == 400
    assert "Riga 2: un gruppo di sinonimi richiede almeno due parole separate da virgole." in page.alerts
    assert "solitario" in page.text and await SearchLexicon.all().count() == 0


def test_lexicon_text_parsing() -> None:
    assert parse_synonyms(" Login ,accesso,  sign   in \n\nPEC, posta certificata, pec") == [
        ["login", "accesso", "sign in"], ["pec", "posta certificata"]]
    assert parse_stop_words("Il, lo\nla  la") == ["il", "la", "lo"]
    for bad in ("uno", "a, " + "b" * 81):
        with pytest.raises(LexiconError):
            parse_synonyms(bad)
