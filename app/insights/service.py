"""Recording what people search and what follows, and reading it back for the reports and dashboards.

The visitor's signed session holds the ids of his latest events (`search_trail`): that is the only link
between a search and the click, ticket or "solved" that follows it, and the table never names anyone.
"""

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote_plus

from tortoise.expressions import Q
from tortoise.functions import Count

from app.accounts.models import User
from app.insights.models import CallerRole, Purpose, SearchEvent
from app.insights.text import clean_hit_id, extends, normalise_query
from app.kb.models import Article, ArticleFeedback, ArticleVersion
from app.tickets.models import Rating, Ticket

Session = MutableMapping[str, Any]

TRAIL_KEY = "search_trail"
LAST_KEY = "search_last"  # [event id, purpose, query, typed_at] as record_search last wrote them
OPENED_KEY = "search_opened"  # [event id, hit id] of the latest hit opened from one of the trail's searches
TRAIL_LENGTH = 10
TYPING_WINDOW = timedelta(seconds=60)
FOLLOW_WINDOW = timedelta(minutes=30)
MAX_RANK = 10_000
TYPED_PURPOSES = frozenset({Purpose.SUGGEST, Purpose.NEW_TICKET})


def now_utc() -> datetime:
    return datetime.now(UTC)


def role_of(user: User | None) -> CallerRole:
    """The caller's main role: the most powerful one held."""
    if user is None:
        return CallerRole.ANONYMOUS
    for flag, role in ((user.is_admin, CallerRole.ADMIN), (user.is_editor, CallerRole.EDITOR),
                       (user.is_technician, CallerRole.TECHNICIAN)):
        if flag:
            return role
    return CallerRole.REQUESTER


# ---- the trail in the session ----

def trail(session: Session) -> list[int]:
    stored = session.get(TRAIL_KEY)
    return [i for i in stored if isinstance(i, int)] if isinstance(stored, list) else []


def _remember(session: Session, event_id: int) -> None:
    session[TRAIL_KEY] = [*[i for i in trail(session) if i != event_id], event_id][-TRAIL_LENGTH:]


def _forget(session: Session) -> None:
    session.pop(TRAIL_KEY, None)
    session.pop(LAST_KEY, None)


def open_link(event_id: int | None, hit_id: str, rank: int, url: str) -> str:
    """The address of a hit that records the click first; the hit's own address when nothing was recorded."""
    if event_id is None:
        return url
    return f"/insights/open/{event_id}?hit={quote_plus(hit_id)}&rank={rank}&to={quote_plus(url)}"


# ---- recording ----

async def record_search(
    session: Session, text: str, language: str, role: CallerRole | str, purpose: Purpose | str, result_count: int,
) -> int | None:
    """Record one search and return its event id (None when the text is empty once normalised).

    Typing is one event, not one per keystroke: a suggestion or new-ticket lookup whose text extends
    the trail's previous one of the same purpose within TYPING_WINDOW updates it. A search submitted
    right after the suggestions for the same text takes over their event, so it is counted once.

    One statement in the usual case: the session remembers what this function last wrote to the trail's
    latest event (LAST_KEY), so deciding whether the new text continues it needs no read; the update of a
    continued event checks in its WHERE clause what other requests may have changed since (a click, a
    ticket, "solved", the time).
    """
    query = normalise_query(text)
    if not query:
        return None
    purpose, role, now = Purpose(purpose), CallerRole(role), now_utc()
    count = max(result_count, 0)
    ids = trail(session)
    last = _last_written(session, ids[-1]) if ids else None
    if last is not None:
        previous_purpose, previous_query, previous_typed = last
        if _continues(previous_purpose, previous_query, previous_typed, purpose, query, now):
            continued = SearchEvent.filter(
                id=ids[-1], opened_hit_id=None, deflected=False, ticket_followed=False,
                typed_at__gte=now - TYPING_WINDOW, query=previous_query, purpose=previous_purpose,
            )
            if await continued.update(query=query, purpose=purpose, result_count=count, typed_at=now):
                _remember_last(session, ids[-1], purpose, query, now)
                return ids[-1]
    elif ids:  # a trail written before LAST_KEY existed: read the event, as before
        burst = await _typing_burst(session, purpose, query, now)
        if burst is not None:
            burst.query, burst.purpose, burst.result_count, burst.typed_at = query, purpose, count, now
            await burst.save(update_fields=["query", "purpose", "result_count", "typed_at"])
            _remember_last(session, burst.id, purpose, query, now)
            return burst.id
    event = await SearchEvent.create(query=query, language=language[:5], role=role, purpose=purpose,
                                     result_count=count, typed_at=now)
    _remember(session, event.id)
    _remember_last(session, event.id, purpose, query, now)
    return event.id


def latest_search(session: Session, text: str) -> int | None:
    """The session's latest event when it is a search for `text` (as normalised), else None."""
    ids = trail(session)
    last = _last_written(session, ids[-1]) if ids else None
    if last is None:
        return None
    purpose, query, _typed = last
    return ids[-1] if purpose is Purpose.SEARCH and query == normalise_query(text) else None


def _continues(previous_purpose: Purpose, previous_query: str, previous_typed: datetime, purpose: Purpose,
               query: str, now: datetime) -> bool:
    """Whether `query` continues the previous event's typing (the flags are checked by the update)."""
    if now - previous_typed > TYPING_WINDOW or not extends(previous_query, query):
        return False
    same_typing = purpose in TYPED_PURPOSES and previous_purpose is purpose
    submitted = purpose is Purpose.SEARCH and previous_purpose is Purpose.SUGGEST
    return same_typing or submitted


def _remember_last(session: Session, event_id: int, purpose: Purpose, query: str, typed_at: datetime) -> None:
    session[LAST_KEY] = [event_id, purpose.value, query, typed_at.timestamp()]


def _last_written(session: Session, event_id: int) -> tuple[Purpose, str, datetime] | None:
    """(purpose, query, typed_at) this session last wrote to `event_id`; None when unknown."""
    stored = session.get(LAST_KEY)
    if not isinstance(stored, list) or len(stored) != 4 or stored[0] != event_id:
        return None
    _, purpose, query, typed = stored
    if purpose not in Purpose._value2member_map_ or not isinstance(query, str) or not isinstance(typed, int | float):
        return None
    return Purpose(purpose), query, datetime.fromtimestamp(typed, UTC)


async def _typing_burst(session: Session, purpose: Purpose, query: str, now: datetime) -> SearchEvent | None:
    ids = trail(session)
    if not ids:
        return None
    previous = await SearchEvent.get_or_none(id=ids[-1])
    if previous is None or previous.opened_hit_id or previous.deflected or previous.ticket_followed:
        return None
    return previous if _continues(previous.purpose, previous.query, previous.typed_at, purpose, query, now) else None


async def record_open(session: Session, event_id: int, hit_id: str | None, rank: int | None) -> bool:
    """Remember the first hit opened from a search of this session; other sessions' events are ignored."""
    hit = clean_hit_id(hit_id)
    if event_id not in trail(session) or hit is None:
        return False
    session[OPENED_KEY] = [event_id, hit]
    position = rank if rank is not None and 0 < rank <= MAX_RANK else None
    first_click = SearchEvent.filter(id=event_id, opened_hit_id=None)
    return await first_click.update(opened_hit_id=hit, opened_rank=position) > 0


async def _recent_ids(session: Session) -> list[int]:
    ids = trail(session)
    if not ids:
        return []
    recent = SearchEvent.filter(id__in=ids, typed_at__gte=now_utc() - FOLLOW_WINDOW)
    return [int(i) for i in await recent.values_list("id", flat=True)]


async def record_ticket_opened(session: Session) -> int:
    """The visitor opened a ticket: his searches of the last FOLLOW_WINDOW did not solve the problem."""
    ids = await _recent_ids(session)
    _forget(session)
    if not ids:
        return 0
    return await SearchEvent.filter(id__in=ids).update(ticket_followed=True)


def search_that_opened(session: Session, hit_id: str) -> int | None:
    """The trail's search from whose results `hit_id` was opened last, for its "this solved my problem"."""
    stored = session.get(OPENED_KEY)
    if not isinstance(stored, list) or len(stored) != 2 or stored[1] != hit_id:
        return None
    return stored[0] if stored[0] in trail(session) else None


async def record_solved(session: Session, event_id: int | None, hit_id: str | None) -> bool:
    """The answer shown by search `event_id` solved the problem: that one search counts one deflection.

    Nothing is counted for a search that is not in this session's trail, that already counted, or that
    ended with a ticket; the search leaves the trail, so a second click finds nothing to count."""
    if event_id is None or event_id not in trail(session):
        return False
    _drop(session, event_id)
    counted = await SearchEvent.filter(id=event_id, deflected=False, ticket_followed=False).update(deflected=True)
    hit = clean_hit_id(hit_id)
    if counted and hit is not None:
        await SearchEvent.filter(id=event_id, opened_hit_id=None).update(opened_hit_id=hit)
    return counted > 0


def _drop(session: Session, event_id: int) -> None:
    remaining = [i for i in trail(session) if i != event_id]
    if remaining:
        session[TRAIL_KEY] = remaining
    else:
        session.pop(TRAIL_KEY, None)
    for key in (LAST_KEY, OPENED_KEY):
        stored = session.get(key)
        if isinstance(stored, list) and stored and stored[0] == event_id:
            session.pop(key, None)


# ---- reading back: the editors' report ----

@dataclass(frozen=True)
class QueryStat:
    query: str
    searches: int
    no_results: int
    clicks: int
    tickets: int
    deflections: int


ROLE_GROUPS: dict[str, tuple[CallerRole, ...]] = {
    "all": tuple(CallerRole),
    "customers": (CallerRole.ANONYMOUS, CallerRole.REQUESTER),
    "staff": (CallerRole.TECHNICIAN, CallerRole.EDITOR, CallerRole.ADMIN),
}
QUERY_ORDERS: dict[str, str] = {"searches": "-searches", "no_results": "-no_results", "tickets": "-tickets"}


async def query_stats(since: datetime, roles: tuple[CallerRole, ...], order: str, limit: int) -> list[QueryStat]:
    """Queries asked since `since`, grouped by text, the `limit` largest by `order` (rows with zero left out)."""
    grouped = (
        SearchEvent.filter(created_at__gte=since, role__in=list(roles))
        .annotate(searches=Count("id"), no_results=Count("id", _filter=Q(result_count=0)),
                  clicks=Count("id", _filter=Q(opened_hit_id__isnull=False)),
                  tickets=Count("id", _filter=Q(ticket_followed=True)),
                  deflections=Count("id", _filter=Q(deflected=True)))
        .group_by("query")
        .filter(**{f"{order}__gt": 0})
        .order_by(QUERY_ORDERS[order], "query")
        .limit(limit)
    )
    rows = await grouped.values("query", "searches", "no_results", "clicks", "tickets", "deflections")
    return [QueryStat(**row) for row in rows]


@dataclass(frozen=True)
class ArticleStat:
    article_id: int
    slug: str
    title: str
    helpful: int
    not_helpful: int


async def article_feedback_stats(since: datetime) -> list[ArticleStat]:
    """Articles that got at least one "not helpful" answer since `since`, with their latest title."""
    rows = await (
        ArticleFeedback.filter(created_at__gte=since)
        .annotate(yes=Count("id", _filter=Q(helpful=True)), no=Count("id", _filter=Q(helpful=False)))
        .group_by("article_id")
        .filter(no__gt=0)
        .values("article_id", "yes", "no")
    )
    articles = {a.id: a for a in await Article.filter(id__in=[r["article_id"] for r in rows])}
    wanted = {a.id: a.current_number for a in articles.values()}
    versions = {v.article_id: v for v in await ArticleVersion.filter(article_id__in=list(wanted))
                if wanted[v.article_id] == v.number}
    return [
        ArticleStat(r["article_id"], articles[r["article_id"]].slug,
                    versions[r["article_id"]].title if r["article_id"] in versions else articles[r["article_id"]].slug,
                    r["yes"], r["no"])
        for r in rows if r["article_id"] in articles
    ]


# ---- reading back: the managers' dashboards ----

@dataclass(frozen=True)
class TicketRow:
    created_at: datetime
    sla_deadline: datetime
    taken_at: datetime | None
    resolved_at: datetime | None
    status: str
    category: str | None
    technician: str | None


async def ticket_rows(since: datetime, locale: str) -> list[TicketRow]:
    """Tickets opened or resolved since `since`, categories named in `locale`: the SLA and resolution-time
    dashboards read these."""
    rows = await (
        Ticket.filter(Q(created_at__gte=since) | Q(resolved_at__gte=since))
        .values("created_at", "sla_deadline", "taken_at", "resolved_at", "status", "category__name",
                "category__name_en", "taken_by__full_name")
    )
    english = locale == "en"
    return [
        TicketRow(r["created_at"], r["sla_deadline"], r["taken_at"], r["resolved_at"], str(r["status"]),
                  (english and r["category__name_en"]) or r["category__name"], r["taken_by__full_name"])
        for r in rows
    ]


async def status_counts() -> dict[str, int]:
    rows = await Ticket.all().annotate(n=Count("id")).group_by("status").values("status", "n")
    return {str(r["status"]): r["n"] for r in rows}


@dataclass(frozen=True)
class OutcomeRow:
    created_at: datetime
    deflected: bool
    ticket_followed: bool


async def outcome_rows(since: datetime) -> list[OutcomeRow]:
    """Searches since `since` whose story ended: with a ticket or with "this solved my problem"."""
    rows = await (SearchEvent.filter(Q(deflected=True) | Q(ticket_followed=True), created_at__gte=since)
                  .values("created_at", "deflected", "ticket_followed"))
    return [OutcomeRow(r["created_at"], bool(r["deflected"]), bool(r["ticket_followed"])) for r in rows]


@dataclass(frozen=True)
class RatingRow:
    rated_at: datetime  # the latest rating of the ticket: changing it moves it to the week of the change
    score: int


async def rating_rows(since: datetime) -> list[RatingRow]:
    rows = await Rating.filter(updated_at__gte=since).values("updated_at", "score")
    return [RatingRow(r["updated_at"], int(r["score"])) for r in rows]
