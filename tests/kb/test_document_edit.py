"""Staff edit a document after upload: its details, and optionally its file, keeping its id and links."""

from html.parser import HTMLParser
from typing import Any

import httpx

from app.accounts.models import User
from app.kb.documents import DocumentMeta, extract_pending, extract_text, update_document
from app.kb.models import Document, DocumentPage, TextStatus
from app.settings import Settings
from tests.kb.pdfs import BROKEN_PDF, text_pdf
from tests.kb.support import PDF, make_categories, outbox, staff, stored_files, upload
from tests.support import Page, log_in, make_company, make_user

NO_FILE = ("", b"", "application/octet-stream")  # what a browser sends when the file input is left empty


class FormValues(HTMLParser):
    """What a browser would post back from the document form: input values, textarea text, the selected options."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._in_form = False
        self._select = self._textarea = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_form = found.get("id") == "upload-form"
        elif not self._in_form:
            return
        elif tag == "input" and found.get("type") != "file" and "name" in found:
            self.values[found["name"]] = found.get("value", "")
        elif tag == "select":
            self._select = found["name"]
            self.values[self._select] = ""
        elif tag == "option" and "selected" in found:
            self.values[self._select] = found["value"]
        elif tag == "textarea":
            self._textarea = found["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = ""
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


async def edit(client: httpx.AsyncClient, document: Document, file: tuple[str, bytes, str] = NO_FILE,
               **changes: str) -> httpx.Response:
    """Open the edit page, change some fields, post the form back as a browser would."""
    page = await client.get(f"/documents/{document.id}/edit")
    assert page.status_code == 200
    return await client.post(f"/documents/{document.id}/edit", data={**FormValues(page.text).values, **changes},
                             files={"file": file})


async def row(document: Document) -> dict[str, Any]:
    return (await Document.filter(id=document.id).values())[0]


async def uploaded_pdf(client: httpx.AsyncClient, settings: Settings, pages: list[str], title: str) -> Document:
    await upload(client, text_pdf(pages), title=title)
    await extract_pending(settings)
    return await Document.get(title=title)


async def page_texts(document: Document) -> list[str]:
    return list(await DocumentPage.filter(document_id=document.id).order_by("number").values_list("text", flat=True))


async def test_staff_edit_the_details_and_every_page_shows_them(client: httpx.AsyncClient) -> None:
    valdora = await make_company("Comune di Valdora")
    await make_user("anna@valdora.it", valdora)
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Manuale del portlae", description="Guida")
    document = await Document.get(title="Manuale del portlae")
    form = FormValues((await client.get(f"/documents/{document.id}/edit")).text).values
    assert form == {"title": "Manuale del portlae", "description": "Guida", "kind": "manual", "category": "",
                    "audience": "public", "company": "", "language": "it"}

    await make_categories()
    response = await edit(client, document, title="Manuale del portale per Valdora", audience="company",
                          company=str(valdora.id), category="assistenza")
    assert response.status_code == 303 and response.headers["location"] == f"/documents/{document.id}"
    await document.refresh_from_db()
    assert (document.title, document.audience.value, document.company_id) == (
        "Manuale del portale per Valdora", "company", valdora.id)
    assert (await document.category).key == "assistenza"
    assert await outbox("document") == [str(document.id)] * 2
    detail = Page((await client.get(f"/documents/{document.id}")).text)
    assert "Manuale del portale per Valdora" in detail.headings and "Una sola azienda: Comune di Valdora" in detail.text
    assert "Documento salvato." in detail.alerts
    listing = Page((await client.get("/documents")).text)
    assert "Manuale del portale per Valdora" in listing.text and "portlae" not in listing.text

    await client.post("/logout")
    assert (await client.get(f"/documents/{document.id}")).status_code == 404
    await log_in(client, "anna@valdora.it")
    assert "Manuale del portale per Valdora" in Page((await client.get("/documents")).text).text


async def test_only_staff_see_the_edit_link_and_others_get_404(client: httpx.AsyncClient) -> None:
    valdora = await make_company("Comune di Valdora")
    await make_user("anna@valdora.it", valdora)
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Manuale pubblico")
    document = await Document.get(title="Manuale pubblico")
    edit_link = f"/documents/{document.id}/edit"
    assert edit_link in Page((await client.get(f"/documents/{document.id}")).text).links
    assert (await client.get("/documents/999999/edit")).status_code == 404
    before = await row(document)

    await log_in(client, "anna@valdora.it")
    assert edit_link not in Page((await client.get(f"/documents/{document.id}")).text).links
    for who, answer in (("requester", 404), ("anonymous", 303)):  # a visitor is sent to the login page
        assert (await client.get(edit_link)).status_code == answer, who
        posted = await client.post(edit_link, data={"title": "Preso", "audience": "public"}, files={"file": NO_FILE})
        assert posted.status_code == answer, who
        await client.post("/logout")
    assert edit_link not in Page((await client.get(f"/documents/{document.id}")).text).links
    assert await row(document) == before and await outbox("document") == [str(document.id)]


async def test_replacing_a_pdf_with_another_extracts_the_new_text(client: httpx.AsyncClient,
                                                                  settings: Settings) -> None:
    await staff(client)
    document = await uploaded_pdf(client, settings, ["Versione vecchia"], "Manuale")
    old_name = document.stored_name
    assert await page_texts(document) == ["Versione vecchia"]

    response = await edit(client, document, file=("manuale-2.pdf", text_pdf(["Nuova uno", "Nuova due"]), PDF))
    assert response.status_code == 303
    await document.refresh_from_db()
    assert (document.text_status, document.original_name, document.page_count) == (
        TextStatus.PENDING, "manuale-2.pdf", 0)
    assert stored_files(settings) == [document.stored_name] and document.stored_name != old_name
    assert "Estrazione del testo in corso" in Page((await client.get(f"/documents/{document.id}")).text).text

    assert await extract_pending(settings) == 1
    await document.refresh_from_db()
    assert await page_texts(document) == ["Nuova uno", "Nuova due"]
    assert (document.text_status, document.page_count) == (TextStatus.READY, 2)
    file = await client.get(f"/documents/{document.id}/file")
    assert file.content == text_pdf(["Nuova uno", "Nuova due"])


async def test_an_extraction_of_a_file_replaced_meanwhile_leaves_the_new_one_pending(client: httpx.AsyncClient,
                                                                                   settings: Settings) -> None:
    await staff(client)
    await upload(client, text_pdf(["Versione vecchia"]), title="Manuale")
    read_before_the_edit = await Document.get(title="Manuale")
    await edit(client, read_before_the_edit, file=("manuale-2.pdf", text_pdf(["Versione nuova"]), PDF))
    await extract_text(settings, read_before_the_edit)  # its file is gone: it would have failed, or found old text
    document = await Document.get(title="Manuale")
    assert (document.text_status, document.original_name, await page_texts(document)) == (
        TextStatus.PENDING, "manuale-2.pdf", [])
    assert await extract_pending(settings) == 1
    assert await page_texts(document) == ["Versione nuova"]


async def test_replacing_a_pdf_with_another_kind_of_file_clears_its_pages(client: httpx.AsyncClient,
                                                                          settings: Settings) -> None:
    await staff(client)
    document = await uploaded_pdf(client, settings, ["Uno", "Due"], "Modulo")
    response = await edit(client, document, file=("modulo.txt", b"Nome e cognome:\n", "text/plain"))
    assert response.status_code == 303
    await document.refresh_from_db()
    assert (document.text_status, document.content_type, document.page_count) == (
        TextStatus.NOT_PDF, "text/plain", 0)
    assert await page_texts(document) == [] and stored_files(settings) == [document.stored_name]
    assert await extract_pending(settings) == 0


async def test_an_edit_does_not_undo_a_text_extraction_that_finished_meanwhile(client: httpx.AsyncClient,
                                                                                 settings: Settings) -> None:
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Manuale")
    loaded_while_pending = await Document.get(title="Manuale")
    await extract_pending(settings)
    editor = await User.get(email="redattrice@sportello.it")
    meta = DocumentMeta(title="Manuale corretto", kind="manual", audience="public")
    await update_document(settings, editor, loaded_while_pending, meta, None)
    document = await Document.get(id=loaded_while_pending.id)
    assert (document.title, document.text_status, document.page_count) == ("Manuale corretto", TextStatus.READY, 1)


async def test_a_refused_edit_shows_the_error_and_what_was_typed_and_changes_nothing(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    await staff(client)
    document = await uploaded_pdf(client, settings, ["Originale"], "Manuale")
    before, outbox_before = await row(document), await outbox("document")
    too_large = b"%PDF-1.4\n" + b"x" * (settings.upload_max_mb * 1024 * 1024 + 10)
    cases = [
        ({"title": "  "}, NO_FILE, "Inserisci un titolo."),
        ({"title": "Nuovo titolo", "audience": "company"}, NO_FILE, "Scegli l'azienda che può leggere il documento."),
        ({"title": "Nuovo titolo"}, ("rotto.pdf", BROKEN_PDF, PDF), "Il file è danneggiato o non è un PDF valido."),
        ({"title": "Nuovo titolo"}, ("enorme.pdf", too_large, PDF), "Il file è troppo grande."),
    ]
    for changes, file, message in cases:
        response = await edit(client, document, file=file, description="Descrizione nuova", **changes)
        page = Page(response.text)
        assert response.status_code == 400 and message in page.alerts, (message, page.alerts)
        assert FormValues(response.text).values["description"] == "Descrizione nuova"
        assert await row(document) == before
        assert stored_files(settings) == [document.stored_name]
        assert (settings.data_dir / "documents" / document.stored_name).read_bytes() == text_pdf(["Originale"])
    htmx = await client.post(f"/documents/{document.id}/edit", data={"title": "Nuovo titolo"},
                             files={"file": ("rotto.pdf", BROKEN_PDF, PDF)}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and "<html" not in htmx.text and "danneggiato" in htmx.text
    assert f'hx-post="/documents/{document.id}/edit"' in htmx.text
    assert await row(document) == before and await outbox("document") == outbox_before
    assert await page_texts(document) == ["Originale"]


async def test_an_imported_document_says_what_the_next_import_puts_back(client: httpx.AsyncClient) -> None:
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Caricato")
    await upload(client, text_pdf(["Due"]), title="Importato")
    uploaded, imported = await Document.get(title="Caricato"), await Document.get(title="Importato")
    await Document.filter(id=imported.id).update(source="manuals/manuale-portale")
    notice = "il prossimo sportello kb import rimette"
    imported_page = Page((await client.get(f"/documents/{imported.id}/edit")).text)
    assert notice in imported_page.text and "manuals/manuale-portale" in imported_page.text
    assert notice not in Page((await client.get(f"/documents/{uploaded.id}/edit")).text).text
