import httpx

from app.kb.documents import extract_pending
from app.kb.models import Document, DocumentPage, TextStatus
from app.settings import Settings
from tests.kb.pdfs import BROKEN_PDF, encrypted_pdf, scanned_pdf, text_pdf
from tests.kb.support import PDF, outbox, staff, stored_files, upload
from tests.support import Page, log_in, make_company, make_user


async def test_pdf_upload_extracts_text_page_by_page_in_the_background(client: httpx.AsyncClient,
                                                                       settings: Settings) -> None:
    await staff(client)
    response = await upload(client, text_pdf(["Accesso al portale", "Apertura dei ticket", "Chiusura"]))
    document = await Document.get(title="Manuale del portale")
    assert response.headers["location"] == f"/documents/{document.id}"
    assert document.text_status is TextStatus.PENDING and await DocumentPage.all().count() == 0
    pending = Page((await client.get(f"/documents/{document.id}")).text)
    assert "Estrazione del testo in corso" in pending.text

    assert await extract_pending(settings) == 1
    await document.refresh_from_db()
    pages = await DocumentPage.filter(document_id=document.id).order_by("number").values_list("number", "text")
    assert pages == [(1, "Accesso al portale"), (2, "Apertura dei ticket"), (3, "Chiusura")]
    assert (document.text_status, document.page_count) == (TextStatus.READY, 3)
    assert await outbox("document") == [str(document.id)] * 2
    detail = Page((await client.get(f"/documents/{document.id}")).text)
    assert "Ricercabile pagina per pagina" in detail.text and "pagine: 3" in detail.text
    file = await client.get(f"/documents/{document.id}/file")
    assert file.content.startswith(b"%PDF") and file.headers["x-content-type-options"] == "nosniff"


async def test_pdf_without_text_is_accepted_and_flagged(client: httpx.AsyncClient, settings: Settings) -> None:
    await staff(client)
    await upload(client, scanned_pdf(2), title="Scansione")
    await extract_pending(settings)
    document = await Document.get(title="Scansione")
    assert (document.text_status, document.page_count) == (TextStatus.NO_TEXT, 2)
    page = Page((await client.get(f"/documents/{document.id}")).text)
    assert "Nessun testo ricercabile" in page.text and "si può aprire ma non cercare" in page.text


async def test_encrypted_or_broken_pdf_gets_a_clear_message_and_nothing_is_stored(client: httpx.AsyncClient,
                                                                                    settings: Settings) -> None:
    await staff(client)
    cases = [(encrypted_pdf(), "Il PDF è cifrato o protetto da password"),
             (BROKEN_PDF, "Il file è danneggiato o non è un PDF valido."),
             (b"MZ\x90\x00" + b"\x00" * 100, "Questo tipo di file non è accettato.")]
    for data, message in cases:
        response = await upload(client, data, title="Da rifiutare", description="Note mie")
        page = Page(response.text)
        assert response.status_code == 400 and any(message in alert for alert in page.alerts), page.alerts
        assert page.inputs["title"] == "Da rifiutare"
    htmx = await client.post("/documents/new", data={"title": "Da rifiutare"},
                             files={"file": ("x.pdf", BROKEN_PDF, PDF)}, headers={"HX-Request": "true"})
    assert htmx.status_code == 400 and "<html" not in htmx.text and "danneggiato" in htmx.text
    assert await Document.all().count() == 0 and await DocumentPage.all().count() == 0
    assert stored_files(settings) == [] and await outbox("document") == []


async def test_htmx_upload_redirects_through_a_header(client: httpx.AsyncClient) -> None:
    await staff(client)
    response = await client.post("/documents/new", data={"title": "Modulo", "kind": "form", "audience": "public"},
                                 files={"file": ("modulo.txt", "Nome e cognome:\n".encode(), "text/plain")},
                                 headers={"HX-Request": "true"})
    document = await Document.get(title="Modulo")
    assert response.headers["hx-redirect"] == f"/documents/{document.id}"
    assert document.text_status is TextStatus.NOT_PDF


async def test_company_only_documents_are_invisible_and_404_to_others(client: httpx.AsyncClient) -> None:
    mine, other = await make_company("Comune di Valdora"), await make_company("Altra Srl")
    await make_user("anna@valdora.it", mine)
    await make_user("carla@altra.it", other)
    await staff(client)
    await upload(client, text_pdf(["Contratto"]), title="Contratto Valdora", kind="contract", audience="company",
                 company=str(mine.id))
    await upload(client, text_pdf(["Riservato"]), title="Procedura interna", kind="other", audience="staff")
    await upload(client, text_pdf(["Clienti"]), title="Listino clienti", kind="other", audience="customers")
    contract = await Document.get(title="Contratto Valdora")
    internal = await Document.get(title="Procedura interna")
    customers = await Document.get(title="Listino clienti")

    await log_in(client, "anna@valdora.it")
    listing = Page((await client.get("/documents")).text)
    assert "Contratto Valdora" in listing.text and "I file della tua azienda" in listing.text
    assert "Procedura interna" not in listing.text and "Listino clienti" in listing.text
    assert "Altri documenti" in listing.headings
    assert (await client.get(f"/documents/{contract.id}/file")).status_code == 200

    await log_in(client, "carla@altra.it")
    listing = Page((await client.get("/documents")).text)
    assert "Contratto Valdora" not in listing.text and "Procedura interna" not in listing.text
    for document in (contract, internal):
        for suffix in ("", "/file", "/status"):
            assert (await client.get(f"/documents/{document.id}{suffix}")).status_code == 404

    await client.post("/logout")
    anonymous = Page((await client.get("/documents")).text)
    assert "Listino clienti" not in anonymous.text
    assert (await client.get(f"/documents/{customers.id}/file")).status_code == 404
    assert (await client.get("/documents/new")).status_code == 303


async def test_requester_shares_a_file_with_support_in_the_company_space(client: httpx.AsyncClient) -> None:
    mine, other = await make_company("Comune di Valdora"), await make_company("Altra Srl")
    await make_user("anna@valdora.it", mine, full_name="Anna Valdora")
    await make_user("bruno@valdora.it", mine)
    await make_user("carla@altra.it", other)
    await make_user("tecnico@sportello.it", is_technician=True)
    await log_in(client, "anna@valdora.it")
    form = Page((await client.get("/documents/new")).text)
    assert "audience" not in form.inputs and "company" not in form.inputs
    await client.post("/documents/new", data={"title": "Screenshot errore", "audience": "public",
                                              "company": str(other.id)},
                      files={"file": ("errore.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")})
    shared = await Document.get(title="Screenshot errore")
    assert (shared.audience.value, shared.company_id) == ("company", mine.id)
    for email, status in (("bruno@valdora.it", 200), ("tecnico@sportello.it", 200), ("carla@altra.it", 404)):
        await log_in(client, email)
        assert (await client.get(f"/documents/{shared.id}")).status_code == status, email


async def test_deleting_a_document_removes_its_file(client: httpx.AsyncClient, settings: Settings) -> None:
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Da eliminare")
    document = await Document.get(title="Da eliminare")
    await extract_pending(settings)
    assert len(stored_files(settings)) == 1
    await client.post(f"/documents/{document.id}/delete")
    assert await Document.all().count() == 0 and await DocumentPage.all().count() == 0
    assert stored_files(settings) == [] and (await outbox("document"))[-1] == str(document.id)


async def test_a_pdf_that_vanished_before_extraction_is_marked_failed(client: httpx.AsyncClient,
                                                                       settings: Settings) -> None:
    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Sparito")
    await upload(client, text_pdf(["Due"]), title="Presente")
    gone = await Document.get(title="Sparito")
    (settings.data_dir / "documents" / gone.stored_name).unlink()
    assert await extract_pending(settings) == 2
    await gone.refresh_from_db()
    assert gone.text_status is TextStatus.FAILED and "not found" in gone.text_error
    assert (await Document.get(title="Presente")).text_status is TextStatus.READY
    page = Page((await client.get(f"/documents/{gone.id}")).text)
    assert "Estrazione del testo non riuscita" in page.text


async def test_a_document_whose_file_was_lost_from_the_disk_answers_404(client: httpx.AsyncClient,
                                                                      settings: Settings) -> None:
    from app.kb.models import Document
    from tests.kb.pdfs import text_pdf
    from tests.kb.support import staff, upload

    await staff(client)
    await upload(client, text_pdf(["Uno"]), title="Manuale perso")
    document = await Document.get(title="Manuale perso")
    (settings.data_dir / "documents" / document.stored_name).unlink()
    response = await client.get(f"/documents/{document.id}/file")
    assert response.status_code == 404 and "Manuale perso" not in response.text
