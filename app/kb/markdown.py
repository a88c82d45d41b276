"""Render knowledge-base Markdown to safe HTML.

Raw HTML is off (``js-default`` preset), so ``<script>`` and event-handler attributes
come out as escaped text. Links and images are rewritten after parsing: article links
(``slug:name`` or a bare ``name``) go through ``link_for_slug`` and images through
``image_url``; whatever cannot be resolved is rendered as plain text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

SlugResolver = Callable[[str], str | None]
ImageResolver = Callable[[str], str | None]

_SLUG_LINK = re.compile(r"^(?:slug:)?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?P<fragment>#[A-Za-z0-9_-]*)?$")
_SCHEME = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*):")
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "slug"})
_EXTERNAL_REL = "noopener noreferrer nofollow"


class Heading(NamedTuple):
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    headings: list[Heading] = field(default_factory=list)


def heading_anchor(title: str) -> str:
    """Anchor id for a heading: accents folded, lowercase, words joined by dashes."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "section"


def is_safe_url(url: str) -> bool:
    """Allow relative URLs and a short list of schemes; javascript:, vbscript:, data:… are refused."""
    cleaned = "".join(ch for ch in url if ch > " " and ch != "\x7f")
    match = _SCHEME.match(cleaned)
    return match is None or match.group("scheme").lower() in _SAFE_SCHEMES


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("js-default", {"linkify": True, "typographer": False})
    md.enable(["table", "linkify"])
    md.use(front_matter_plugin)
    md.use(anchors_plugin, min_level=1, max_level=6, slug_func=heading_anchor)
    md.validateLink = is_safe_url  # type: ignore[method-assign]
    return md


_PARSER = _build_parser()


def render_markdown(
    text: str, *, link_for_slug: SlugResolver, image_url: ImageResolver
) -> RenderedMarkdown:
    """Render Markdown to HTML and list its headings (level, text, anchor)."""
    tokens = _PARSER.parse(text)
    for token in tokens:
        if token.type == "inline" and token.children is not None:
            token.children = _rewrite_inline(token.children, link_for_slug, image_url)
    html = _PARSER.renderer.render(tokens, _PARSER.options, {})
    return RenderedMarkdown(html=html, headings=_collect_headings(tokens))


def _collect_headings(tokens: list[Token]) -> list[Heading]:
    headings: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        text = "".join(
            child.content for child in inline.children or [] if child.type in ("text", "code_inline")
        )
        headings.append(Heading(int(token.tag[1]), text, str(token.attrGet("id") or "")))
    return headings


def _rewrite_inline(
    children: list[Token], link_for_slug: SlugResolver, image_url: ImageResolver
) -> list[Token]:
    rewritten: list[Token] = []
    # CommonMark links never nest, so one flag is enough to pair a dropped open with its close.
    dropping_link = False
    for token in children:
        if token.type == "link_open" and not _rewrite_link(token, link_for_slug):
            dropping_link = True
            rewritten.append(Token("html_inline", "", 0, content='<span class="unresolved-link">'))
        elif token.type == "link_close" and dropping_link:
            dropping_link = False
            rewritten.append(Token("html_inline", "", 0, content="</span>"))
        elif token.type == "image":
            rewritten.append(_rewrite_image(token, image_url))
        else:
            rewritten.append(token)
    return rewritten


def _rewrite_link(token: Token, link_for_slug: SlugResolver) -> bool:
    """Resolve article links in place; return False when the link must be dropped."""
    href = str(token.attrGet("href") or "")
    slug_link = _SLUG_LINK.match(href)
    if slug_link:
        target = link_for_slug(slug_link.group("slug"))
        if target is None:
            return False
        token.attrSet("href", target + (slug_link.group("fragment") or ""))
        return True
    if not is_safe_url(href) or href.lower().startswith("slug:"):
        return False
    if _SCHEME.match(href):
        token.attrSet("rel", _EXTERNAL_REL)
    return True


def _rewrite_image(token: Token, image_url: ImageResolver) -> Token:
    src = str(token.attrGet("src") or "")
    resolved = image_url(src) if is_safe_url(src) else None
    alt_text = "".join(child.content for child in token.children or [])
    if resolved is None:
        return Token("text", "", 0, content=alt_text)
    token.attrSet("src", resolved)
    token.attrSet("loading", "lazy")
    return token
