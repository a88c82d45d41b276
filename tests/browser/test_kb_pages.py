import asyncio
from pathlib import Path

from playwright.async_api import Browser, Dialog, expect

from app.kb.models import Document, TextStatus
from tests.browser.conftest import LiveServer
from tests.kb.pdfs import text_pdf
from tests.kb.support import make_article, make_categories
from tests.support import PASSWORD, make_user

HOSTILE = """Testo normale.

<script>alert('script')</script>

<img src="x" onerror="alert('img')">

<svg onload="alert('svg')"></svg>

[Clicca qui](javascript:alert('link'))

![immagine](javascript:alert('src'))
"""


async def log_in(page, server: LiveServer, email: str) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ciao")


async def test_no_dialog_fires_on_an_article_with_hostile_content(live_server: LiveServer, browser: Browser) -> None:
    await make_article("pericoloso", "Articolo pericoloso", HOSTILE)
    dialogs: list[str] = []
    page = await browser.new_page()

    async def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    await page.goto(f"{live_server.url}/kb/pericoloso")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Articolo pericoloso")
    await expect(page.locator(".kb-article-body")).to_contain_text("<script>alert('script')</script>")
    await page.get_by_text("Clicca qui").click()
    await page.goto(f"{live_server.url}/kb/pericoloso/print")
    await asyncio.sleep(0.5)
    assert dialogs == []
    assert await page.locator(".kb-article-body script, .kb-article-body [onerror], .kb-article-body svg").count() == 0


async def test_editor_live_preview_and_feedback(live_server: LiveServer, browser: Browser) -> None:
    await make_categories()
    await make_user("redattrice@sportello.it", is_editor=True, full_name="Rita")
    page = await browser.new_page()
    await log_in(page, live_server, "redattrice@sportello.it")
    await page.goto(f"{live_server.url}/kb/editor/new")
    await page.get_by_label("Titolo").fill("Prova anteprima")
    await page.get_by_label("Categoria").select_option("accesso-credenziali")
    await page.get_by_label("Testo (Markdown)").fill("## Sezione di prova\n\nTesto in **grassetto**.")
    preview = page.locator("#preview")
    await expect(preview.get_by_role("heading", name="Sezione di prova")).to_be_visible()
    await expect(preview.locator("strong")).to_have_text("grassetto")
    await page.get_by_role("button", name="Salva e pubblica").click()
    await expect(page.get_by_role("status")).to_have_text("Articolo pubblicato.")

    await page.goto(f"{live_server.url}/kb/prova-anteprima")
    await page.get_by_label("Commento (facoltativo)").fill("Chiaro")
    await page.get_by_role("button", name="Sì").click()
    await expect(page.locator("#feedback")).to_contain_text("Grazie per la tua valutazione.")


async def test_pdf_upload_shows_progress_and_lands_on_the_document(
    live_server: LiveServer, browser: Browser, tmp_path: Path
) -> None:
    await make_user("redattrice@sportello.it", is_editor=True, full_name="Rita")
    pdf = tmp_path / "guida.pdf"
    pdf.write_bytes(text_pdf(["Prima pagina della guida", "Seconda pagina"]))
    page = await browser.new_page()
    await log_in(page, live_server, "redattrice@sportello.it")
    await page.goto(f"{live_server.url}/documents/new")
    await page.get_by_label("File", exact=False).set_input_files(str(pdf))
    await page.get_by_label("Titolo").fill("Guida rapida")
    await page.get_by_label("Chi può leggerlo").select_option("public")
    await page.get_by_role("button", name="Carica").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Guida rapida")
    assert "/documents/" in page.url
    await expect(page.locator("#text-status")).to_contain_text("Ricercabile pagina per pagina", timeout=15000)
    document = await Document.get(title="Guida rapida")
    assert (document.text_status, document.page_count) == (TextStatus.READY, 2)
