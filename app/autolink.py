"""Plain text as HTML with its web and mail addresses made links: everything escaped, only http(s) and mailto
links, and rel="nofollow noopener" on those that leave the portal."""

from functools import lru_cache
from urllib.parse import urlsplit

from linkify_it import LinkifyIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http", "https", "mailto")


@lru_cache(maxsize=1)
def _linkify() -> LinkifyIt:
    return LinkifyIt()  # its schemas: http(s), ftp, mailto, protocol-relative and fuzzy www./a@b.c addresses


def _is_internal(url: str, base_url: str) -> bool:
    parts, base = urlsplit(url), urlsplit(base_url)
    return bool(base.netloc) and parts.scheme == base.scheme and parts.netloc == base.netloc


def _anchor(url: str, text: str, base_url: str) -> Markup:
    rel = "" if _is_internal(url, base_url) or url.startswith("mailto:") else ' rel="nofollow noopener"'
    return Markup('<a href="{}"{}>{}</a>').format(url, Markup(rel), text)


CACHED_CHARS = 8192


def autolink(text: str, base_url: str = "") -> Markup:
    """`text` escaped, line breaks kept, its http(s) and mail addresses as links; links to `base_url` (the
    portal) are followed by search engines and keep the opener, the others not."""
    return _cached_links(text, base_url) if len(text) <= CACHED_CHARS else _links(text, base_url)


# A ticket page shows the same description and comments at every visit, and matching them is the slow part;
# texts up to CACHED_CHARS keep the cache's memory bounded (4096 of them: at most 32 MiB).
@lru_cache(maxsize=4096)
def _cached_links(text: str, base_url: str) -> Markup:
    return _links(text, base_url)


def _links(text: str, base_url: str) -> Markup:
    pieces: list[Markup] = []
    position = 0
    for match in _linkify().match(text) or []:
        if urlsplit(match.url).scheme.lower() not in SAFE_SCHEMES:
            continue
        pieces.append(escape(text[position:match.index]))
        pieces.append(_anchor(match.url, match.text, base_url))
        position = match.last_index
    pieces.append(escape(text[position:]))
    return Markup("<br>").join(Markup("").join(pieces).splitlines())
