"""Build the PDF manuals of kb_content/manuals from their Markdown sources.

Each manual folder holds manual.md and meta.yml; the PDF is written next to them as
<slug>.pdf. Usage: python scripts/build_manuals.py [slug ...]   (default: every manual)
Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium) and Playwright.
"""

from __future__ import annotations

import asyncio
import html
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.kb.markdown import RenderedMarkdown, render_markdown  # noqa: E402
from app.kb.pdftext import extract_pdf_pages  # noqa: E402
from scripts.chromium import CHROMIUM_ARGS  # noqa: E402

MANUALS_DIR = ROOT / "kb_content" / "manuals"
SHARED_MEDIA_DIR = ROOT / "kb_content" / "faq" / "media"
META_KEYS = ("title_it", "title_en", "description", "category", "audience", "language")
PRINT_CSS = """
@page { size: A4; margin: 18mm 18mm 20mm 18mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
       line-height: 1.4; color: #1a1a1a; font-variant-ligatures: none; }
.cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; }
.cover .kicker { text-transform: uppercase; letter-spacing: .12em; color: #0b5394; font-size: 10pt; }
.cover h1.title { font-size: 28pt; margin: 6mm 0; break-before: avoid; border: none; }
.cover .description { font-size: 12pt; color: #444; max-width: 140mm; }
.toc { margin-top: 14mm; }
.toc ol { padding-left: 6mm; }
.toc li { margin: 1.5mm 0; }
h1 { break-before: page; font-size: 19pt; color: #0b5394; border-bottom: 2px solid #0b5394;
     padding-bottom: 2mm; }
h2 { font-size: 13pt; margin-top: 6mm; color: #0b5394; break-after: avoid; }
h3 { font-size: 11pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 3mm 0; break-inside: avoid; font-size: 9.5pt; }
th, td { border: 1px solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #e8eef6; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; background: #f2f2f2; padding: 0 1mm; }
pre { background: #f2f2f2; padding: 3mm; white-space: pre-wrap; break-inside: avoid; }
blockquote { border-left: 3px solid #0b5394; margin: 3mm 0; padding: 1mm 4mm; background: #f5f8fc; }
li { margin: 1mm 0; }
img { max-width: 100%; break-inside: avoid; }
"""
# Page numbers only: a running title would repeat on every page's extracted (searchable) text.
FOOTER = (
    '<div style="font-size:8pt;width:100%;text-align:center;font-family:sans-serif;color:#666">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


@dataclass(frozen=True)
class Manual:
    slug: str
    folder: Path
    meta: dict[str, str]

    @property
    def title(self) -> str:
        return self.meta["title_en"] if self.meta["language"] == "en" else self.meta["title_it"]

    @property
    def pdf_path(self) -> Path:
        return self.folder / f"{self.slug}.pdf"


def load_manual(folder: Path) -> Manual:
    meta = yaml.safe_load((folder / "meta.yml").read_text(encoding="utf-8")) or {}
    missing = [key for key in META_KEYS if not str(meta.get(key) or "").strip()]
    if missing:
        raise SystemExit(f"{folder / 'meta.yml'}: missing {', '.join(missing)}")
    return Manual(slug=folder.name, folder=folder, meta={key: str(meta[key]) for key in META_KEYS})


def render_manual(manual: Manual) -> str:
    source = (manual.folder / "manual.md").read_text(encoding="utf-8")
    rendered = render_markdown(
        source,
        # A printed manual has no portal to link to: article links keep their text only.
        link_for_slug=lambda slug: None,
        image_url=lambda name: manual_image_url(manual, name),
    )
    return manual_html(manual, rendered)


def manual_image_url(manual: Manual, name: str) -> str | None:
    """Images next to manual.md, or `media/…` from the FAQ's shared media folder."""
    local = (manual.folder / name).resolve()
    if local.is_file() and local.is_relative_to(manual.folder):
        return name
    if name.startswith("media/"):
        shared = (SHARED_MEDIA_DIR / name.removeprefix("media/")).resolve()
        if shared.is_file() and shared.is_relative_to(SHARED_MEDIA_DIR):
            return shared.as_uri()
    return None


def manual_html(manual: Manual, rendered: RenderedMarkdown) -> str:
    chapters = "".join(
        f'<li><a href="#{h.anchor}">{html.escape(h.text)}</a></li>' for h in rendered.headings if h.level == 1
    )
    toc_label = "Contents" if manual.meta["language"] == "en" else "Indice"
    return (
        f'<!doctype html><html lang="{manual.meta["language"]}"><head><meta charset="utf-8">'
        f"<title>{html.escape(manual.title)}</title><style>{PRINT_CSS}</style></head><body>"
        f'<section class="cover"><div class="kicker">Sportello</div>'
        f'<h1 class="title">{html.escape(manual.title)}</h1>'
        f'<p class="description">{html.escape(manual.meta["description"])}</p>'
        f'<nav class="toc"><h2>{toc_label}</h2><ol>{chapters}</ol></nav></section>'
        f"{rendered.html}</body></html>"
    )


async def print_pdf(manual: Manual, document: str, executable: str) -> None:
    # A file next to manual.md (not set_content) so relative image names load.
    with tempfile.NamedTemporaryFile("w", suffix=".html", dir=manual.folder, delete=False, encoding="utf-8") as tmp:
        tmp.write(document)
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = await browser.new_page()
            await page.goto(Path(tmp.name).as_uri(), wait_until="load")
            await page.pdf(
                path=str(manual.pdf_path),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                prefer_css_page_size=True,
            )
            await browser.close()
    finally:
        Path(tmp.name).unlink()


def manual_folders(slugs: list[str]) -> list[Path]:
    if slugs:
        return [MANUALS_DIR / slug for slug in slugs]
    return sorted(source.parent for source in MANUALS_DIR.glob("*/manual.md"))


async def build(slugs: list[str]) -> int:
    """Print every requested manual, then check each page has extractable text; 1 if one has not."""
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    failures = 0
    for folder in manual_folders(slugs):
        manual = load_manual(folder)
        await print_pdf(manual, render_manual(manual), executable)
        text = await extract_pdf_pages(manual.pdf_path)
        empty = [number for number, page in enumerate(text.pages, start=1) if not page.strip()]
        size_kb = manual.pdf_path.stat().st_size / 1024
        print(
            f"{manual.pdf_path.relative_to(ROOT)}: {len(text.pages)} pages, {size_kb:.0f} KB, "
            f"pages without text: {empty or 'none'}"
        )
        failures += bool(empty)
    return 1 if failures else 0

if __name__ == "__main__":
    raise SystemExit(asyncio.run(build(sys.argv[1:])))
