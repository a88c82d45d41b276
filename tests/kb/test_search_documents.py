from app.accounts.models import Company
from app.kb import service
from app.kb.models import Audience, Document, DocumentPage, TextStatus
from app.kb.search_documents import SOURCES
from app.searching.sources import document_sources
from tests.kb.support import make_article


def sources() -> tuple:
    found = document_sources()
    return found["faq"], found["document"]


async def test_both_sources_are_discovered() -> None:
    assert {source.name for source in SOURCES} == {"faq", "document"}
    assert set(document_sources()) >= {"faq", "document"}


async def test_a_published_article_becomes_one_plain_text_document(db: None) -> None:
    article = await make_article("reimpostare-password", "Reimpostare la password",
                                 "## Passi\n\n1. Apri **Preferenze**\n2. Premi [qui](https://x.example)",
                                 tags=["password"], audience="customers")
    draft = await make_article("bozza", "Bozza", published=False)
    faq, _document = sources()
    built = await faq.build([str(article.id), str(draft.id), "999"])
    assert list(built) == [str(article.id)]
    doc = built[str(article.id)][0]
    assert (doc.id, doc.kind, doc.title, doc.url) == (f"faq:{article.id}", "faq", "Reimpostare la password",
                                                      "/kb/reimpostare-password")
    assert doc.body == "Passi Apri Preferenze Premi qui" and doc.tags == ["password"]
    assert (doc.category, doc.language, doc.audience, doc.company_id) == ("accesso-credenziali", "it",
                                                                          "customers", None)
    assert doc.extra == {"slug": "reimpostare-password", "translation": ""}
    english = await make_article("reset-password", "Reset the password", language="en",
                                 translation="reimpostare-password")
    assert (await faq.build([str(english.id)]))[str(english.id)][0].extra == {
        "slug": "reset-password", "translation": "reimpostare-password"}  # the search shows one of the two
    await service.unpublish(article)
    assert await faq.build([str(article.id)]) == {}
    assert [i async for i in faq.all_object_ids()] == [str(english.id)]


async def _document(title: str, audience: Audience, company: Company | None = None,
                    content_type: str = "application/pdf") -> Document:
    return await Document.create(title=title, description="Descrizione", audience=audience, company=company,
                                 stored_name="x.pdf", original_name="x.pdf", content_type=content_type, size=10,
                                 text_status=TextStatus.READY)


async def test_a_pdf_gives_one_document_per_page_with_text(db: None) -> None:
    company = await Company.create(name="Comune di Valdora")
    manual = await _document("Manuale", Audience.COMPANY, company)
    await DocumentPage.bulk_create([DocumentPage(document_id=manual.id, number=n, text=t)
                                    for n, t in ((1, "Indice"), (2, ""), (3, "Chiusura del ticket"))])
    _faq, source = sources()
    built = (await source.build([str(manual.id)]))[str(manual.id)]
    assert [(d.id, d.kind, d.page, d.url, d.title) for d in built] == [
        (f"document:{manual.id}:p1", "manual_page", 1, f"/documents/{manual.id}/file#page=1", "Manuale — p. 1"),
        (f"document:{manual.id}:p3", "manual_page", 3, f"/documents/{manual.id}/file#page=3", "Manuale — p. 3"),
    ]
    assert {(d.audience, d.company_id) for d in built} == {("company", company.id)}
    assert {tuple(d.extra.items()) for d in built} == {(("manual", "Manuale"), ("manual_url", f"/documents/{manual.id}"))}


async def test_a_file_without_pages_is_one_document_and_a_deleted_one_is_none(db: None) -> None:
    form = await _document("Modulo ferie", Audience.PUBLIC, content_type="text/plain")
    _faq, source = sources()
    built = (await source.build([str(form.id)]))[str(form.id)]
    assert [(d.id, d.kind, d.body, d.url, d.company_id) for d in built] == [
        (f"document:{form.id}", "document", "Descrizione", f"/documents/{form.id}", None)]
    await form.delete()
    assert await source.build([str(form.id)]) == {}

