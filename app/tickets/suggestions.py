"""The answer before the ticket: while a requester describes his problem, the FAQ, manual pages and solved
tickets he may see appear beside the form; each opens in place, and "this solved my problem" ends the
story without a ticket.

Suggestions come from THE search function (search_for) with the requester as principal; a preview reads
the item again from the database through the same access rules as its own page, so a hit id typed by
hand shows nothing the requester could not open anyway.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup
from search.types import EngineUnavailable, Hit
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.auth import require_user
from app.forms import parse, parse_query
from app.i18n import get_locale
from app.insights.models import Purpose
from app.insights.service import Session, open_link, record_open, record_search, record_solved, role_of
from app.kb import service as kb_service
from app.kb.content import article_url, render_article
from app.kb.models import Article, Document, DocumentPage
from app.searching.service import KIND_NAMES, search_for
from app.settings import Settings
from app.tickets.access import visible_tickets
from app.tickets.search_documents import INDEXED_STATUSES
from app.tickets.forms import HitForm, HitQuery, SuggestionForm
from app.web import app_settings, read_form, render
from app.permissions import Action, allowed
from app.routing import route

SUGGESTION_KINDS: tuple[str, ...] = ("faq", "manual_page", "ticket")
PANEL_SIZE = 5
MAX_TYPED_CHARS = 600
EXCERPT_CHARS = 900

FAQ_ID = re.compile(r"^faq:([0-9]{1,9})$")
MANUAL_PAGE_ID = re.compile(r"^document:([0-9]{1,9}):p([0-9]{1,6})$")
TICKET_ID = re.compile(r"^ticket:([0-9]{1,9})$")


# ---- service ----

@dataclass(frozen=True)
class Suggestions:
    hits: list[Hit]
    event_id: int | None
    asked: bool
    unavailable: bool = False

    def link(self, hit: Hit, rank: int) -> str:
        """The hit's own page, through the click recorder when this lookup was recorded."""
        return open_link(self.event_id, hit.id, rank, hit.url)

    def preview_url(self, hit: Hit, rank: int) -> str:
        values: dict[str, object] = {"hit": hit.id, "rank": rank}
        if self.event_id is not None:
            values["event"] = self.event_id
        return "/tickets/new/suggestions/preview?" + urlencode(values)


def typed_text(title: str, description: str) -> str:
    """Title and description as one query, bounded; a cut never leaves half a word to prefix-match."""
    text = f"{title.strip()} {description.lstrip()}".lstrip()
    if len(text) <= MAX_TYPED_CHARS:
        return text
    cut = text[:MAX_TYPED_CHARS]
    return cut[: cut.rfind(" ")] + " " if " " in cut else cut


async def suggestions_for(settings: Settings, user: User, session: Session, title: str,
                          description: str, typing: bool = False) -> Suggestions:
    """The best answers `user` may see for what he typed so far (`typing`: still typing), recorded as one
    new-ticket lookup."""
    text = typed_text(title, description)
    if not text.strip():
        return Suggestions([], None, asked=False)
    try:
        result = await search_for(settings, user, text, kinds=SUGGESTION_KINDS, purpose="suggest",
                                  per_page=PANEL_SIZE, typing=typing)
    except EngineUnavailable:
        return Suggestions([], None, asked=True, unavailable=True)
    event_id = await record_search(session, text, get_locale(), role_of(user), Purpose.NEW_TICKET, result.total)
    return Suggestions(result.hits, event_id, asked=True)


@dataclass(frozen=True)
class Preview:
    """One suggestion opened in place: an FAQ's body, a manual page's text, a solved ticket's resolution."""

    hit_id: str
    kind: str
    title: str
    url: str
    html: Markup | None = None
    text: str = ""
    page: int | None = None


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    cut = clean[:limit]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"


async def _faq_preview(user: User, hit_id: str, article_id: int) -> Preview | None:
    article = await Article.get_or_none(id=article_id)
    if article is None or not allowed(user, Action.READ_ARTICLE, article):
        return None
    version = await kb_service.published_version(article)
    if version is None:
        return None
    rendered = render_article(version.body, article.language, article.slug, await kb_service.readable_slugs(user))
    return Preview(hit_id, "faq", version.title, article_url(article.slug), html=Markup(rendered.html))


async def _manual_page_preview(user: User, hit_id: str, document_id: int, number: int) -> Preview | None:
    document = await Document.get_or_none(id=document_id)
    if document is None or not allowed(user, Action.READ_DOCUMENT, document):
        return None
    page = await DocumentPage.get_or_none(document_id=document.id, number=number)
    if page is None:
        return None
    return Preview(hit_id, "manual_page", document.title, f"/documents/{document.id}/file#page={number}",
                   text=excerpt(page.text), page=number)


async def _ticket_preview(user: User, hit_id: str, ticket_id: int) -> Preview | None:
    ticket = await visible_tickets(user).filter(id=ticket_id, status__in=list(INDEXED_STATUSES)).first()
    if ticket is None:
        return None
    return Preview(hit_id, "ticket", f"{ticket.code} {ticket.title}", f"/tickets/{ticket.code}",
                   text=ticket.resolution)


async def preview_for(user: User, hit_id: str) -> Preview | None:
    """The suggestion `hit_id` as `user` may read it, or None when it is not there for him."""
    if match := FAQ_ID.match(hit_id):
        return await _faq_preview(user, hit_id, int(match[1]))
    if match := MANUAL_PAGE_ID.match(hit_id):
        return await _manual_page_preview(user, hit_id, int(match[1]), int(match[2]))
    if match := TICKET_ID.match(hit_id):
        return await _ticket_preview(user, hit_id, int(match[1]))
    return None


# ---- routes ----

def panel_context(found: Suggestions) -> dict[str, object]:
    return {"suggestions": found, "kind_names": KIND_NAMES}


async def review_context(request: Request, user: User, values: dict[str, str]) -> dict[str, object]:
    """The no-JavaScript first step of a new ticket: the form comes back with the answers below it."""
    found = await suggestions_for(app_settings(request), user, request.session, values.get("title", ""),
                                  values.get("description", ""))
    return {**panel_context(found), "step": "review"}


async def suggestion_panel(request: Request) -> Response:
    """POST (title, description): the panel's content, and the form's one-step submit row for htmx pages."""
    user = require_user(request)
    typed_so_far = parse(SuggestionForm, await read_form(request))
    found = await suggestions_for(app_settings(request), user, request.session, typed_so_far.title,
                                  typed_so_far.description, typing=True)
    return render(request, "tickets/_suggest_panel.html", {**panel_context(found), "with_js": True})


async def suggestion_preview(request: Request) -> Response:
    """GET ?hit=faq:12&event=5&rank=1: the suggestion opened in place (404 when the caller may not see it)."""
    user = require_user(request)
    params = parse_query(HitQuery, request.query_params)
    preview = await preview_for(user, params.hit)
    if preview is None:
        raise HTTPException(status_code=404)
    if params.event is not None:
        await record_open(request.session, params.event, preview.hit_id, params.rank)
    return render(request, "tickets/_suggest_preview.html", {"preview": preview, "kind_names": KIND_NAMES})


async def suggestion_solved(request: Request) -> Response:
    """POST (event, hit): the answer that lookup `event` showed solved the problem; nothing he typed is kept,
    no ticket is opened, and that one lookup counts one deflection."""
    posted = parse(HitForm, await read_form(request))
    await record_solved(request.session, posted.event, posted.hit or None)
    if request.headers.get("HX-Request"):
        return render(request, "tickets/_suggest_solved.html")
    return render(request, "tickets/new.html", {"solved": True})


routes = [
    route("/tickets/new/suggestions", suggestion_panel, Action.OPEN_TICKET, methods=["POST"]),
    route("/tickets/new/suggestions/preview", suggestion_preview, Action.OPEN_TICKET),
    route("/tickets/new/suggestions/solved", suggestion_solved, Action.OPEN_TICKET, methods=["POST"]),
]
