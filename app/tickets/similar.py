"""Solved cases while working: the panels of the ticket page that search for what is like this ticket.

Requesters see similar solved questions they may read (FAQ, manual pages, their own or their company's
tickets: the search layer's access filter decides); staff see similar solved tickets with their solution and
the FAQ and manual pages to link in a reply. Both go through the one search function and load lazily, so
the ticket page never waits on search.
"""

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.auth import require_user
from app.searching.service import KIND_NAMES, both, similar_for
from app.settings import Settings
from app.tickets.access import ticket_for
from app.tickets.detail import status_label
from app.tickets.models import Ticket
from app.web import app_settings, render
from app.searching.labels import value_labels
from app.i18n import get_locale
from app.permissions import Action, allowed
from app.routing import route
from search.types import EngineUnavailable, Hit

REQUESTER_KINDS: tuple[str, ...] = ("faq", "manual_page", "ticket")
KNOWLEDGE_KINDS: tuple[str, ...] = ("faq", "manual_page")
PANEL_SIZE = 5
EXCERPT_WORDS = 40


@dataclass(frozen=True)
class SolvedCase:
    """A similar solved ticket as the staff panel shows it."""

    hit: Hit
    status: str
    resolution: str


@dataclass(frozen=True)
class StaffPanel:
    cases: list[SolvedCase]
    knowledge: list[Hit]


def ticket_text(ticket: Ticket) -> str:
    """What the ticket is about, as the search looks for similar documents."""
    return f"{ticket.title}\n{ticket.description}"


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def absolute_url(settings: Settings, url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.base_url.rstrip("/") + url


def reply_link(title: str, url: str) -> str:
    """The line the reply box gets. Comments are plain text (mails too), so the title and the bare address:
    a Markdown link would show its brackets to the requester."""
    return f"{' '.join(title.split())}: {url.replace(' ', '%20')}"


@dataclass(frozen=True)
class InsertLink:
    """An FAQ or manual page as the reply box takes it: the plain address and the line to insert."""

    url: str
    text: str


def _link(settings: Settings, hit: Hit) -> InsertLink:
    url = absolute_url(settings, hit.url)
    return InsertLink(url, reply_link(hit.title, url))


def _own_ticket(ticket: Ticket) -> tuple[str, ...]:
    return (f"ticket:{ticket.id}",)


async def requester_suggestions(settings: Settings, user: User, ticket: Ticket) -> list[Hit]:
    """Similar solved questions the requester may read; never this ticket."""
    found = await similar_for(settings, user, ticket_text(ticket), exclude_ids=_own_ticket(ticket),
                              kinds=REQUESTER_KINDS, limit=PANEL_SIZE)
    return found.hits


async def staff_panel(settings: Settings, user: User, ticket: Ticket) -> StaffPanel:
    """Similar solved tickets (only solved ones are in the index) and FAQ and manual pages."""
    text = ticket_text(ticket)
    tickets, knowledge = await both(
        similar_for(settings, user, text, exclude_ids=_own_ticket(ticket), kinds=("ticket",), limit=PANEL_SIZE),
        similar_for(settings, user, text, kinds=KNOWLEDGE_KINDS, limit=PANEL_SIZE),
    )
    cases = [SolvedCase(hit, status_label(hit.status), excerpt(str(hit.fields.get("resolution") or "")))
             for hit in tickets.hits]
    return StaffPanel(cases, knowledge.hits)


# ---- the panel, as an htmx partial or (without JavaScript) a page of its own ----

async def similar_panel(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    settings = app_settings(request)
    inline = bool(request.headers.get("HX-Request"))
    context: dict[str, object] = {"ticket": ticket, "inline": inline, "kind_names": KIND_NAMES}
    try:
        if allowed(user, Action.SEARCH_EVERYTHING):
            panel = await staff_panel(settings, user, ticket)
            context.update(panel=panel, links={hit.id: _link(settings, hit) for hit in panel.knowledge},
                           labels=await value_labels(get_locale()))
        else:
            context["hits"] = await requester_suggestions(settings, user, ticket)
    except EngineUnavailable:
        context["unavailable"] = True
    if inline and not allowed(user, Action.SEARCH_EVERYTHING) and not context.get("hits"):
        return Response("")  # nothing to suggest (or search is down): the requester sees no panel at all
    name = "tickets/_similar_staff.html" if allowed(user, Action.SEARCH_EVERYTHING) else "tickets/_similar_requester.html"
    return render(request, name if inline else "tickets/_similar_page.html", {**context, "partial": name})


routes = [route("/tickets/{ref}/similar", similar_panel, Action.VIEW_TICKET)]
