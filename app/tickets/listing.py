"""Ticket lists: the query-string parameters (pure parsing) and the filtered, sorted, paginated query.

Everything happens on the server, so the lists work without JavaScript and links can be shared.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlencode

from typing import Literal

from pydantic import Field
from tortoise import functions
from tortoise.expressions import Case, Q, When
from tortoise.queryset import QuerySet

from app.accounts.models import User
from app.forms import Choice, Count, NumberChoice, QueryModel, Text, parse_query
from app.tickets.access import TICKET_REF, sees_company_tickets, visible_tickets
from app.tickets.choices import LabelledStrEnum, Priority
from app.reads import gathered
from app.tickets.loading import with_related
from app.tickets.models import Ticket
from app.contracts import clock, plans
from app.tickets.workflow import CLOSED_STATUSES, OPEN_STATUSES, WAITING_FOR_STAFF, Status, TicketType

PAGE_SIZES: tuple[int, ...] = (10, 25, 50)
SORTS: Mapping[str, str] = {
    "number": "number", "title": "title", "status": "status", "priority": "priority", "type": "ticket_type",
    "category": "category__name", "product": "product__name", "requester": "requester__full_name",
    "updated": "updated_at", "created": "created_at",
}
# Choice columns sort in their own order (urgent first, statuses as the workflow goes), not by code.
RANKED_SORTS: Mapping[str, type[LabelledStrEnum]] = {"priority": Priority, "status": Status, "type": TicketType}
SORT_RANK = "sort_rank"
# Column filters: query-string name -> the lookups narrowing the query (any one matching); lists match either name.
TEXT_FILTERS: Mapping[str, tuple[str, ...]] = {
    "f_title": ("title__icontains",),
    "f_category": ("category__name__icontains", "category__name_en__icontains"),
    "f_product": ("product__name__icontains", "product__name_en__icontains"),
    "f_requester": ("requester__full_name__icontains",),
}
CHOICE_FILTERS: Mapping[str, str] = {"f_status": "status", "f_priority": "priority", "f_type": "ticket_type"}
VIEWS = ("open", "closed")
SCOPES = ("mine", "company")
QUEUES = ("unassigned", "mine", "waiting", "sla")
QUEUE_PAGE_SIZE = 25
MAX_FILTER = 100
MAX_PAGE = 100_000


class ListQuery(QueryModel):
    """/tickets: every value falls back to the list's default when it is not one the list knows."""

    view: Literal[VIEWS] = "open"  # type: ignore[valid-type]
    scope: Literal[SCOPES] = "mine"  # type: ignore[valid-type]
    q: Text(MAX_FILTER) = ""
    f_title: Text(MAX_FILTER) = ""
    f_category: Text(MAX_FILTER) = ""
    f_product: Text(MAX_FILTER) = ""
    f_requester: Text(MAX_FILTER) = ""
    f_number: Text(MAX_FILTER) = ""
    f_status: Choice(Status) = None
    f_priority: Choice(Priority) = None
    f_type: Choice(TicketType) = None
    sort: Literal[tuple(SORTS)] = "updated"  # type: ignore[valid-type]
    dir: Literal["asc", "desc"] | None = None
    size: NumberChoice(PAGE_SIZES) = PAGE_SIZES[0]
    page: Count = Field(1, ge=1, le=MAX_PAGE)


class QueueQuery(QueryModel):
    queue: Literal[QUEUES] = "unassigned"  # type: ignore[valid-type]
    page: Count = Field(1, ge=1, le=MAX_PAGE)


@dataclass(frozen=True)
class ListParams:
    view: str = "open"
    scope: str = "mine"
    q: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "updated"
    descending: bool = True
    size: int = 10
    page: int = 1

    def query_string(self, **overrides: object) -> str:
        """This list's URL parameters with some changed (page links, sort links)."""
        values = replace(self, **overrides)  # type: ignore[arg-type]
        pairs: dict[str, object] = {"view": values.view, "scope": values.scope, "q": values.q, **values.filters,
                                    "sort": values.sort, "dir": "desc" if values.descending else "asc",
                                    "size": values.size, "page": values.page}
        return urlencode({k: v for k, v in pairs.items() if v not in ("", None)})

    def sort_link(self, column: str) -> str:
        descending = not self.descending if column == self.sort else False
        return self.query_string(sort=column, descending=descending, page=1)


def parse_params(query: Mapping[str, str]) -> ListParams:
    values = parse_query(ListQuery, query)
    filters = {name: getattr(values, name) for name in (*TEXT_FILTERS, *CHOICE_FILTERS, "f_number")}
    return ListParams(
        view=values.view, scope=values.scope, q=values.q,
        filters={k: str(v) for k, v in filters.items() if v},
        sort=values.sort,
        descending=(values.dir or ("desc" if values.sort == "updated" else "asc")) == "desc",
        size=values.size,
        page=values.page,
    )


def _number_filter(text: str) -> Q | None:
    match = TICKET_REF.match(text)
    if match is None:
        return None
    return Q(number=int(match["number"] or match["id"]))


def _global_filter(text: str) -> Q:
    where = (Q(title__icontains=text) | Q(description__icontains=text) | Q(requester__full_name__icontains=text)
             | Q(category__name__icontains=text) | Q(category__name_en__icontains=text)
             | Q(product__name__icontains=text) | Q(product__name_en__icontains=text))
    number = _number_filter(text)
    return where | number if number is not None else where


def filter_query(params: ListParams) -> Q:
    where = Q()
    for name, lookups in TEXT_FILTERS.items():
        if params.filters.get(name):
            where &= Q(*(Q(**{lookup: params.filters[name]}) for lookup in lookups), join_type="OR")
    for name, column in CHOICE_FILTERS.items():
        if params.filters.get(name):
            where &= Q(**{column: params.filters[name]})
    if params.filters.get("f_number"):
        where &= _number_filter(params.filters["f_number"]) or Q(id=-1)
    if params.q:
        where &= _global_filter(params.q)
    return where


@dataclass(frozen=True)
class TicketPage:
    tickets: list[Ticket]
    total: int
    params: ListParams

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.size))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.params.page - 1) * self.params.size + 1

    @property
    def last_row(self) -> int:
        return min(self.total, self.params.page * self.params.size)


async def ticket_page(user: User, params: ListParams) -> TicketPage:
    query = visible_tickets(user)
    if not user.is_staff and not (params.scope == "company" and sees_company_tickets(user)):
        query = query.filter(requester_id=user.id)
    statuses = CLOSED_STATUSES if params.view == "closed" else OPEN_STATUSES
    query = matching = query.filter(status__in=list(statuses)).filter(filter_query(params))
    order = SORTS[params.sort]
    if params.sort in RANKED_SORTS:
        query = query.annotate(**{SORT_RANK: _rank(order, RANKED_SORTS[params.sort])})
        order = SORT_RANK
    ordered = query.order_by(f"-{order}" if params.descending else order, "-id")

    def page_of(number: int) -> QuerySet[Ticket]:
        return ordered.offset((number - 1) * params.size).limit(params.size)

    # The count and the page asked for at once; a page beyond the last (a list that shrank) is read again.
    read = await gathered(total=matching.count(), rows=page_of(params.page))
    total, rows = read["total"], read["rows"]
    pages = max(1, -(-total // params.size))
    if params.page > pages:
        params = replace(params, page=pages)
        rows = await page_of(pages)
    return TicketPage(await with_related(rows), total, params)


def _rank(field_name: str, choices: type[LabelledStrEnum]) -> Case:
    """"00", "01", "02"... for the choices in declaration order: text, which PostgreSQL infers for a
    parameter in CASE (an int parameter there is refused), with a fixed width so it sorts as numbers do."""
    whens = [When(**{field_name: member.value}, then=f"{rank:02d}") for rank, member in enumerate(choices)]
    return Case(*whens, default=f"{len(whens):02d}")


# ---- technicians' queues ----

async def clocks_for(tickets: list[Ticket], now: datetime) -> dict[int, clock.Clocks]:
    """Both SLA clocks of every ticket (loaded with its plan): two queries, however many tickets."""
    if not tickets:
        return {}
    closures = await plans.closure_days()
    changes = await clock.changes_by_ticket([t.id for t in tickets])
    return {t.id: clock.clocks(t, changes[t.id], plans.calendar_for(t.sla_plan, closures), now) for t in tickets}


def _queue_where(user: User, name: str, now: datetime) -> Q:
    """Which open tickets a queue holds."""
    if name == "unassigned":
        return Q(assignee_id=None)
    if name == "mine":
        return Q(assignee_id=user.id)
    if name == "waiting":
        return Q(assignee_id=user.id, status__in=list(WAITING_FOR_STAFF))
    return clock.late_by(now)


QUEUE_ORDER: Mapping[str, tuple[str, ...]] = {"unassigned": ("sla_deadline", "id"), "mine": ("-updated_at", "id"),
                                              "waiting": ("updated_at", "id"), "sla": ("sla_deadline", "id")}


def _open_tickets() -> QuerySet[Ticket]:
    return Ticket.filter(status__in=list(OPEN_STATUSES))


@dataclass(frozen=True)
class QueuePage:
    tickets: list[Ticket]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return _pages(self.total)


def _pages(total: int) -> int:
    return max(1, -(-total // QUEUE_PAGE_SIZE))


async def queue_counts(user: User, now: datetime) -> dict[str, int]:
    """Every queue's size, in one statement."""
    counts = {name: functions.Count("id", _filter=_queue_where(user, name, now)) for name in QUEUES}
    row = (await _open_tickets().annotate(**counts).values(*QUEUES))[0]
    return {name: int(row[name]) for name in QUEUES}


async def queue(user: User, name: str, now: datetime, total: int, page: int = 1) -> QueuePage:
    """One page of a queue of `total` tickets (its count), in the queue's order."""
    page = min(page, _pages(total))
    rows = _open_tickets().filter(_queue_where(user, name, now)).order_by(*QUEUE_ORDER[name])
    tickets = await with_related(await rows.offset((page - 1) * QUEUE_PAGE_SIZE).limit(QUEUE_PAGE_SIZE))
    return QueuePage(tickets, total, page)


STATUS_CHOICES: tuple[Status, ...] = tuple(Status)
