import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.async_api import async_playwright
from pypdf import PdfWriter

from app.kb.pdftext import PdfError, PdfText, extract_pdf_pages
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS

MANUALS = Path(__file__).resolve().parents[2] / "kb_content" / "manuals"


def blank_pdf(path: Path, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as stream:
        writer.write(stream)
    return path


async def chromium_pdf(path: Path, html: str) -> Path:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await page.set_content(html)
        await page.pdf(path=str(path), format="A4")
        await browser.close()
    return path


@pytest.mark.asyncio
async def test_text_pdf_pages_in_order(tmp_path: Path) -> None:
    html = (
        # DejaVu Sans makes Chromium emit ligature glyphs (U+FB01, U+FB03) for "fi" and "ffi".
        "<p style='font-family: \"DejaVu Sans\"'>Timbratura mancante: richiesta di correzione all'ufficio</p>"
        "<p style='break-before: page'>Cedolino di novembre e conguaglio fiscale</p>"
    )
    result = await extract_pdf_pages(await chromium_pdf(tmp_path / "text.pdf", html))
    assert result.has_text is True
    assert len(result.pages) == 2
    assert "Timbratura mancante: richiesta di correzione all'ufficio" in result.pages[0]
    assert "conguaglio" not in result.pages[0]
    assert "\ufb03" not in result.pages[0]
    assert "Cedolino di novembre e conguaglio fiscale" in result.pages[1]


@pytest.mark.asyncio
async def test_blank_pdf_has_no_text(tmp_path: Path) -> None:
    result = await extract_pdf_pages(blank_pdf(tmp_path / "scan.pdf", pages=3))
    assert result == PdfText(pages=["", "", ""], has_text=False)


@pytest.mark.asyncio
async def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="segreta", owner_password="owner")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    with pytest.raises(PdfError, match="encrypted or password-protected"):
        await extract_pdf_pages(path)


@pytest.mark.asyncio
async def test_permission_only_encryption_is_readable(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="owner")
    path = tmp_path / "no-print.pdf"
    writer.write(path)
    assert (await extract_pdf_pages(path)).pages == [""]


@pytest.mark.asyncio
@pytest.mark.parametrize("keep", [0.5, 0.1])
async def test_truncated_pdf_is_broken(tmp_path: Path, keep: float) -> None:
    data = blank_pdf(tmp_path / "whole.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(PdfError, match="damaged or is not a valid PDF"):
        await extract_pdf_pages(broken)


@pytest.mark.asyncio
async def test_not_a_pdf_and_missing_file(tmp_path: Path) -> None:
    fake = tmp_path / "fattura.pdf"
    fake.write_text("Questo non è un PDF", encoding="utf-8")
    with pytest.raises(PdfError, match="not a valid PDF"):
        await extract_pdf_pages(fake)
    with pytest.raises(PdfError, match="file not found"):
        await extract_pdf_pages(tmp_path / "assente.pdf")


@pytest.mark.asyncio
@pytest.mark.parametrize(("slug", "min_pages", "max_pages"), [("portale-clienti", 8, 12), ("presenze-cedolini", 6, 10)])
async def test_built_manuals_have_text_on_every_page(slug: str, min_pages: int, max_pages: int) -> None:
    result = await extract_pdf_pages(MANUALS / slug / f"{slug}.pdf")
    assert min_pages <= len(result.pages) <= max_pages
    assert all(len(page) > 200 for page in result.pages[1:])
    first_chapter = (MANUALS / slug / "manual.md").read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")
    assert first_chapter in result.pages[0]  # the cover lists the chapters
    assert result.pages[1].startswith(first_chapter)


CORRUPTIONS = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(corruptions=CORRUPTIONS, keep=st.floats(0.05, 1))
def test_corrupted_pdf_gives_text_or_pdf_error(
    tmp_path_factory: pytest.TempPathFactory, corruptions: list[tuple[float, int]], keep: float
) -> None:
    data = bytearray((MANUALS / "presenze-cedolini" / "presenze-cedolini.pdf").read_bytes())
    for position, value in corruptions:
        data[int(position * len(data))] = value
    path = tmp_path_factory.mktemp("fuzz") / "corrupted.pdf"
    path.write_bytes(bytes(data[: int(len(data) * keep)]))
    try:
        result = asyncio.run(extract_pdf_pages(path))
    except PdfError as error:
        assert error.message.startswith("corrupted.pdf: ")
    else:
        assert result.has_text == any(result.pages)
