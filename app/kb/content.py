"""Where the knowledge-base files live and how article Markdown becomes HTML for a page or plain text for search."""

from html.parser import HTMLParser
from pathlib import Path

from app.kb.markdown import ImageResolver, RenderedMarkdown, render_markdown

KB_CONTENT = Path(__file__).resolve().parents[2] / "kb_content"
FAQ_DIR = KB_CONTENT / "faq"
MEDIA_URL = "/kb-files"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


def article_url(slug: str) -> str:
    return f"/kb/{slug}"


def faq_file(relative: str, root: Path = FAQ_DIR) -> Path | None:
    """An image under the FAQ folder, or None: nothing outside it, no other kind of file."""
    base = root.resolve()
    try:
        path = (base / relative).resolve()
    except (OSError, ValueError):
        return None
    if not path.is_relative_to(base) or path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
        return None
    return path


def image_resolver(language: str, slug: str, root: Path = FAQ_DIR) -> ImageResolver:
    """`name.png` is looked up in faq/<lang>/<slug>/, `media/name.png` in faq/media/ (see kb_content/README.md)."""

    def resolve(name: str) -> str | None:
        relative = name if name.startswith("media/") else f"{language}/{slug}/{name}"
        path = faq_file(relative, root)
        return f"{MEDIA_URL}/{path.relative_to(root.resolve()).as_posix()}" if path else None

    return resolve


def render_article(body: str, language: str, slug: str, known_slugs: set[str]) -> RenderedMarkdown:
    return render_markdown(
        body,
        link_for_slug=lambda target: article_url(target) if target in known_slugs else None,
        image_url=image_resolver(language, slug),
    )


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(body: str) -> str:
    """The words of an article without Markdown syntax, for the search index."""
    html = render_markdown(body, link_for_slug=lambda _slug: None, image_url=lambda _name: None).html
    collector = _TextCollector()
    collector.feed(html)
    return " ".join(" ".join(collector.parts).split())
