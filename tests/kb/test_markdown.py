from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.kb.frontmatter import parse_article
from app.kb.markdown import Heading, heading_anchor, is_safe_url, render_markdown

KNOWN_SLUGS = {"reset-password", "spid-login"}
KNOWN_IMAGES = {"menu.png", "media/logo.png"}
FAQ_ROOT = Path(__file__).resolve().parents[2] / "kb_content" / "faq"


def link_for_slug(slug: str) -> str | None:
    return f"/kb/{slug}" if slug in KNOWN_SLUGS else None


def image_url(name: str) -> str | None:
    return f"/kb-media/{name}" if name in KNOWN_IMAGES else None


def render(text: str) -> str:
    return render_markdown(text, link_for_slug=link_for_slug, image_url=image_url).html


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def hrefs_of(html: str) -> list[str | None]:
    return [attrs.get("href") for tag, attrs in tags_of(html) if tag == "a"]


def test_script_tag_is_escaped_text() -> None:
    html = render("Prima <script>alert('x')</script> dopo")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert [tag for tag, _ in tags_of(html)] == ["p"]


def test_event_handler_attribute_is_inert() -> None:
    html = render('<img src="x" onerror="alert(1)">\n\n<a href="#" onclick="steal()">x</a>')
    assert all(not name.startswith("on") for _, attrs in tags_of(html) for name in attrs)
    assert [tag for tag, _ in tags_of(html)] == ["p", "p"]
    assert "&lt;img" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "[clic](vbscript:msgbox(1))",
        "[clic](data:text/html;base64,PHNjcmlwdD4=)",
        "<javascript:alert(1)>",
        "[clic](java\tscript:alert(1))",
        "[clic][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_links_have_no_href(markdown: str) -> None:
    html = render(markdown)
    assert all(href is None or ":" not in href for href in hrefs_of(html)), html
    assert "javascript:" not in " ".join(str(a) for _, attrs in tags_of(html) for a in attrs.values())


HOSTILE_PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[a](javascript:alert(1))",
        "[a](  javascript:alert(1))",
        "![i](javascript:alert(1))",
        "<javascript:alert(1)>",
        "[a](data:text/html,x)",
        "[a](vbscript:x)",
        '<a href="javascript:x" onclick="y">',
        "`code`",
        "**bold**",
        "\n\n",
        "| a |\n|---|\n| b |\n",
        "[ok](slug:reset-password)",
        "![ok](menu.png)",
    ]
)


@given(st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=20)), max_size=12))
def test_no_input_produces_active_content(pieces: list[str]) -> None:
    tags = tags_of(render("".join(pieces)))
    names = {tag for tag, _ in tags}
    assert not names & {"script", "iframe", "object", "embed", "style", "svg", "form", "input"}
    for _, attrs in tags:
        assert not [name for name in attrs if name.startswith("on")]
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "vbscript:", "data:")), attrs


def test_data_image_is_not_rendered_as_image() -> None:
    html = render("![pixel](data:image/png;base64,iVBORw0KGgo=)")
    assert not [tag for tag, _ in tags_of(html) if tag == "img"]


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.it/a", True),
        ("mailto:help@example.it", True),
        ("/tickets/new", True),
        ("reset-password", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:image/png;base64,AA", False),
        ("file:///etc/passwd", False),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_table_renders_rows_and_cells() -> None:
    html = render("| Stato | Chi |\n|---|---|\n| Aperto | cliente |\n| Risolto | tecnico |\n")
    tags = [tag for tag, _ in tags_of(html)]
    assert tags.count("table") == 1
    assert tags.count("tr") == 3
    assert tags.count("td") == 4
    assert "<th>Stato</th>" in html


def test_headings_get_anchors_and_are_listed() -> None:
    result = render_markdown(
        "# Accesso al portale\n\n## Perché non entro?\n\n### Errore `401`\n\n## Perché non entro?\n",
        link_for_slug=link_for_slug,
        image_url=image_url,
    )
    assert result.headings == [
        Heading(1, "Accesso al portale", "accesso-al-portale"),
        Heading(2, "Perché non entro?", "perche-non-entro"),
        Heading(3, "Errore 401", "errore-401"),
        Heading(2, "Perché non entro?", "perche-non-entro-1"),
    ]
    assert '<h2 id="perche-non-entro">' in result.html
    assert '<h2 id="perche-non-entro-1">' in result.html


def test_heading_anchor_folds_accents() -> None:
    assert heading_anchor("Città e ÀÈÌ òù") == "citta-e-aei-ou"
    assert heading_anchor("!!!") == "section"


def test_fenced_code_keeps_content_escaped() -> None:
    html = render("```bash\ncurl -X POST <url> && echo 'ok'\n```\n")
    assert '<pre><code class="language-bash">' in html
    assert "curl -X POST &lt;url&gt; &amp;&amp; echo 'ok'" in html


def test_slug_links_resolve_in_both_forms() -> None:
    html = render("Vedi [reset](slug:reset-password) e [SPID](spid-login#errori).")
    assert hrefs_of(html) == ["/kb/reset-password", "/kb/spid-login#errori"]


def test_unknown_slug_keeps_text_without_link() -> None:
    html = render("Vedi [la guida](slug:non-esiste) oppure [altra](manca) o [male](<slug:Nome Sbagliato>).")
    assert hrefs_of(html) == []
    assert '<span class="unresolved-link">male</span>' in html
    assert '<span class="unresolved-link">la guida</span>' in html
    assert '<span class="unresolved-link">altra</span>' in html


def test_external_and_linkified_links_get_rel() -> None:
    html = render("Sito: https://www.agid.gov.it e [PEC](mailto:pec@example.it)")
    anchors = [attrs for tag, attrs in tags_of(html) if tag == "a"]
    assert [a["href"] for a in anchors] == ["https://www.agid.gov.it", "mailto:pec@example.it"]
    assert all(a["rel"] == "noopener noreferrer nofollow" for a in anchors)


def test_relative_path_links_are_kept() -> None:
    assert hrefs_of(render("[Nuovo ticket](/tickets/new)")) == ["/tickets/new"]


def test_images_resolve_or_fall_back_to_alt_text() -> None:
    html = render("![Menu Profilo](menu.png) ![Logo](media/logo.png) ![Schermata mancante](nope.png)")
    images = [attrs for tag, attrs in tags_of(html) if tag == "img"]
    assert [img["src"] for img in images] == ["/kb-media/menu.png", "/kb-media/media/logo.png"]
    assert [img["alt"] for img in images] == ["Menu Profilo", "Logo"]
    assert "Schermata mancante" in html
    assert "nope.png" not in html


def test_front_matter_is_not_rendered() -> None:
    html = render("---\ntitle: Segreto\nslug: x\n---\nCorpo visibile\n")
    assert "Segreto" not in html
    assert html.strip() == "<p>Corpo visibile</p>"


def test_every_demo_article_renders_with_resolved_links() -> None:
    files = sorted(FAQ_ROOT.glob("*/*.md"))
    articles = [parse_article(f.read_text(encoding="utf-8"), str(f)) for f in files]
    slugs = {article.slug for article in articles}
    unresolved: list[str] = []

    def resolve(slug: str) -> str | None:
        if slug not in slugs:
            unresolved.append(slug)
            return None
        return f"/kb/{slug}"

    missing_images: list[str] = []

    def image_in(folder: Path) -> Callable[[str], str | None]:
        def resolve_image(name: str) -> str | None:
            if (folder / name).is_file() or (FAQ_ROOT / name).is_file():
                return f"/kb-media/{name}"
            missing_images.append(name)
            return None

        return resolve_image

    image_count = 0
    for article, path in zip(articles, files, strict=True):
        result = render_markdown(article.body, link_for_slug=resolve, image_url=image_in(path.with_suffix("")))
        assert "<p>" in result.html
        image_count += result.html.count("<img ")
    assert len(files) >= 48
    assert unresolved == []
    assert missing_images == []
    assert image_count >= 2
