"""The search page, the header suggestions and the admin's search page."""

import contextlib
import functools
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote_plus, urlencode

from babel.dates import format_timedelta
from search.arrange import grouped
from search.types import KINDS, EngineUnavailable, Hit, SearchResult
from starlette.requests import Request
from starlette.responses import Response

from app import i18n
from app.accounts.models import User
from app.auth import current_user, require_user
from app.forms import InvalidInput, parse, parse_query, typed
from app.i18n import _
from app.insights.models import Purpose
from app.insights.service import latest_search, open_link, record_search, role_of
from app.searching import lexicon, service
from app.searching.forms import LexiconForm, SearchQuery, SuggestQuery
from app.searching.labels import value_labels
from app.searching.engine import get_engine
from app.web import app_settings, flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route

PER_PAGE = 10
FILTER_NAMES = ("q", "kind", "category", "product")
REFINE = "refine=1"  # on the results page's own links: a tab, facet or page belongs to the search shown


@dataclass(frozen=True)
class SearchParams:
    """The query string of /search, cleaned: unknown kinds and bad page numbers fall back to the default."""

    q: str = ""
    kind: str = ""
    category: str = ""
    product: str = ""
    page: int = 1
    refining: bool = False

    @classmethod
    def from_request(cls, request: Request) -> "SearchParams":
        values = parse_query(SearchQuery, request.query_params)
        return cls(q=values.q, kind=values.kind, category=values.category, product=values.product, page=values.page,
                   refining=values.refine == "1")

    @property
    def asks_something(self) -> bool:
        return bool(self.q or self.kind or self.category or self.product)

    @functools.cached_property
    def _quoted(self) -> dict[str, str]:
        return {name: quote_plus(getattr(self, name)) for name in FILTER_NAMES}

    def url(self, **changes: object) -> str:
        """This search with some values changed; a new filter starts again from page 1. (A results page
        asks for one per tab, facet value and page link: each quotes only what changed.)"""
        changed = {name: quote_plus(str(value)) for name, value in changes.items() if name in FILTER_NAMES}
        quoted = {**self._quoted, **changed}
        pairs = [f"{name}={quoted[name]}" for name in FILTER_NAMES if quoted[name]]
        page = changes.get("page", 1)
        if isinstance(page, int) and page > 1:
            pairs.append(f"page={page}")
        return "/search?" + "&".join([*pairs, REFINE])


@dataclass(frozen=True)
class Tab:
    kind: str
    label: str
    count: int


@functools.lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return i18n.format_when(value, locale)


def hit_day(value: date) -> str:
    """A hit's date as the `when` filter writes it, remembered: babel's formatting cost more than the rest of
    a hit's rendering."""
    return _day(value, i18n.get_locale())


def hit_links(event_id: int | None, hits: list[Hit]) -> dict[str, str]:
    """Each hit's address through the click recorder, with its rank (from 1) among the hits shown."""
    return {hit.id: open_link(event_id, hit.id, rank, hit.url) for rank, hit in enumerate(hits, 1)}


async def _search(request: Request, params: SearchParams) -> tuple[SearchResult, list[Tab]]:
    settings, user = app_settings(request), current_user(request)
    shown = service.search_for(
        settings, user, params.q, kinds=(params.kind,) if params.kind else (), category=params.category,
        product=params.product, page=params.page, per_page=PER_PAGE,
    )
    if params.kind:  # the tabs count every kind, whichever is open: both searches run at once
        counted = service.search_for(settings, user, params.q, category=params.category, product=params.product,
                                     per_page=1)
        result, every_kind = await service.both(shown, counted)
    else:
        result = every_kind = await shown
    counts = every_kind.facets.get("kind", {})
    tabs = [Tab("", _("All"), every_kind.total)] + [
        Tab(kind, _(service.KIND_LABELS[kind]), counts.get(kind, 0))
        for kind in KINDS if counts.get(kind) or kind == params.kind
    ]
    return result, tabs


async def search_page(request: Request) -> Response:
    params = SearchParams.from_request(request)
    context: dict[str, object] = {"query": params.q, "params": params, "kind_names": service.KIND_NAMES,
                                  "hit_day": hit_day, "hit_groups": grouped}
    if not params.asks_something:
        return render(request, "search/results.html", context)
    try:
        result, tabs = await _search(request, params)
    except EngineUnavailable:
        return render(request, "search/results.html", {**context, "unavailable": True}, status_code=503)
    event_id = await _search_event(request, params, result.total)
    context.update(result=result, tabs=tabs, last_page=service.last_page(result.total, PER_PAGE),
                   labels=await value_labels(i18n.get_locale()),
                   new_ticket_url="/tickets/new?" + urlencode({"title": params.q}),
                   hit_links=hit_links(event_id, result.hits))
    return render(request, "search/results.html", context)


async def _search_event(request: Request, params: SearchParams, total: int) -> int | None:
    """A search typed or linked from elsewhere is recorded; a tab, facet or page of its results is the same
    search, so it keeps that event (and the clicks on its hits count for it)."""
    if not params.q:
        return None
    if params.refining and (event_id := latest_search(request.session, params.q)) is not None:
        return event_id
    if params.page > 1:  # a later page reached from elsewhere: not a search of its own
        return None
    return await record_search(request.session, params.q, i18n.get_locale(), role_of(current_user(request)),
                               Purpose.SEARCH, total)


async def suggest(request: Request) -> Response:
    """The header box's list, of what the caller may see (a visitor: public knowledge); empty for an empty box
    and while the engine is down."""
    user = current_user(request)
    text = parse_query(SuggestQuery, request.query_params).q
    hits: list[Hit] = []
    event_id = None
    if (user is None or not user.must_change_password) and text.strip():
        with contextlib.suppress(EngineUnavailable):
            result = await service.search_for(app_settings(request), user, text, purpose="suggest",
                                              per_page=service.SUGGESTIONS, typing=True)
            hits = result.hits
            event_id = await record_search(request.session, text, i18n.get_locale(), role_of(user), Purpose.SUGGEST,
                                           result.total)
    more_url = "/search?" + urlencode({"q": text.strip()}) if hits else ""
    return render(request, "search/_suggestions.html", {"hits": hits, "more_url": more_url,
                                                         "hit_links": hit_links(event_id, hits),
                                                         "kind_names": service.KIND_NAMES})


# -- administration -----------------------------------------------------------------------------------


async def _admin_page(request: Request, admin: User, form: dict[str, str] | None = None, error: str = "",
                      status_code: int = 200) -> Response:
    settings = app_settings(request)
    stored = await lexicon.stored_lexicon()
    values = form or {
        "synonyms": lexicon.format_synonyms(stored.groups),
        **{f"stop_words_{code}": lexicon.format_stop_words(stored.stop_words.get(code, []))
           for code in lexicon.LANGUAGES},
    }
    status = await service.index_status(settings, admin)
    age = status.outbox.oldest_age
    context = {"status": status, "lexicon": stored, "form": values, "error": error,
               "oldest_age": format_timedelta(age, locale=i18n.get_locale()) if age is not None else "",
               "kind_labels": service.KIND_LABELS, "languages": lexicon.LANGUAGES}
    return render(request, "admin/search.html", context, status_code=status_code)


async def admin_search(request: Request) -> Response:
    return await _admin_page(request, require_user(request))


async def admin_lexicon(request: Request) -> Response:
    admin = require_user(request)
    form = await read_form(request)
    try:
        posted = parse(LexiconForm, form)
    except InvalidInput as error:
        return await _admin_page(request, admin, typed(LexiconForm, form), str(error), status_code=400)
    if posted.action == "reset":
        await lexicon.reset_lexicon(admin)
    else:
        values = posted.model_dump()
        try:
            groups = lexicon.parse_synonyms(values["synonyms"])
            stop_words = {code: lexicon.parse_stop_words(values[f"stop_words_{code}"]) for code in lexicon.LANGUAGES}
        except lexicon.LexiconError as error:
            return await _admin_page(request, admin, values, _(error.message, **error.values), status_code=400)
        await lexicon.save_lexicon(groups, stop_words, admin)
    try:
        await lexicon.apply_lexicon(get_engine(app_settings(request)), force=True)
        flash(request, _("Synonyms and stop words saved: searches use them now."), "success")
    except EngineUnavailable:
        flash(request, _("Synonyms and stop words saved: the search engine will use them when it is back."),
              "warning")
    return redirect("/admin/search")


routes = [
    route("/search", search_page, Action.BROWSE),  # a visitor finds public knowledge; the search layer filters
    route("/search/suggest", suggest, Action.BROWSE),
    route("/admin/search", admin_search, Action.ADMINISTER),
    route("/admin/search/lexicon", admin_lexicon, Action.ADMINISTER, methods=["POST"]),
]
