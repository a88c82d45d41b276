"""What the detail and print pages show, for this viewer: requesters never get internal notes or the audit."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tortoise.queryset import QuerySet

from app.accounts.models import User
from app.canned.service import replies_for
from app.contracts import clock, plans
from app.contracts.service import balances
from app.field.service import ticket_panel as field_panel
from app.i18n import N_, _
from app.permissions import Action, allowed
from app.reads import STAND_INS, Prepared, gathered, nothing
from app.tickets import references, service
from app.tickets.access import actor_for
from app.tickets.choices import LabelledStrEnum, Priority, Severity
from app.tickets.loading import attach, people_of, users_by_id
from app.tickets.models import (
    Attachment,
    Comment,
    EventKind,
    Rating,
    Ticket,
    TicketEvent,
    WorkKind,
    WorkLog,
)
from app.tickets.promote import is_promotable, promoted
from app.tickets.rating import SCORES
from app.tickets.submissions import new_key
from app.tickets.workflow import Actor, Event, Status, TicketType, allowed_events, can

BUTTON_EVENTS_EXCLUDED = frozenset({Event.CUSTOMER_REPLY, Event.AUTO_CLOSE})
FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"), "ticket_type": N_("Type"), "priority": N_("Priority"), "severity": N_("Severity"),
    "category_id": N_("Category"), "product_id": N_("Product"), "planned_hours": N_("Planned hours"),
    "planned_days": N_("Planned days"), "resolution": N_("Solution information"),
}


@dataclass(frozen=True)
class NumberedComment:
    number: int
    comment: Comment


def status_label(value: str) -> str:
    try:
        return Status(value).label
    except ValueError:
        return value


ENUM_FIELDS: dict[str, type[LabelledStrEnum]] = {"ticket_type": TicketType, "priority": Priority, "severity": Severity}


def _field_value(name: str, value: str) -> str:
    enum_class = ENUM_FIELDS.get(name)
    if enum_class is None or not value:
        return value
    try:
        return enum_class(value).label
    except ValueError:
        return value


def field_changes(event: TicketEvent) -> list[tuple[str, str, str]]:
    """(field msgid, old, new) triples of a FIELDS audit row, values shown in the reader's language."""
    rows = []
    for line in event.detail.splitlines():
        name, _tab, rest = line.partition("\t")
        old, _tab, new = rest.partition("\t")
        rows.append((FIELD_LABELS.get(name, name), _field_value(name, old), _field_value(name, new)))
    return rows


def duration(value: timedelta | None) -> str:
    """Working time as hours and minutes; the sign is dropped (the sentence around it says late or left)."""
    if value is None:
        return ""
    minutes = int(abs(value).total_seconds() // 60)
    return _("%(hours)s h %(minutes)s min", hours=minutes // 60, minutes=minutes % 60)


# What a requester is shown of the history (comments are listed apart); staff see every row.
REQUESTER_HISTORY = (EventKind.CREATED, EventKind.STATUS, EventKind.INTERVENTION)


def sees_internal(user: User, ticket: Ticket) -> bool:
    return allowed(user, Action.READ_INTERNAL_NOTES, ticket)


def visible_comments(user: User, ticket: Ticket) -> QuerySet[Comment]:
    """The ticket's comments this viewer may read: a requester never gets internal notes."""
    query = Comment.filter(ticket_id=ticket.id)
    return query if sees_internal(user, ticket) else query.filter(internal=False)


# The detail page's reads, by ticket id (app/reads.py).
_ALL_COMMENTS = Prepared(Comment, lambda t: Comment.filter(ticket_id=t).order_by("id"), STAND_INS[0])
_PUBLIC_COMMENTS = Prepared(Comment, lambda t: Comment.filter(ticket_id=t, internal=False).order_by("id"), STAND_INS[0])
_EVENTS = Prepared(TicketEvent, lambda t: TicketEvent.filter(ticket_id=t).order_by("id"), STAND_INS[0])
_WORK_LOGS = Prepared(WorkLog, lambda t: WorkLog.filter(ticket_id=t).select_related("contract"), STAND_INS[0])
_DUPLICATES = Prepared(Ticket, lambda t: Ticket.filter(duplicate_of_id=t).order_by("id"), STAND_INS[0])
_RATING = Prepared(Rating, lambda t: Rating.filter(ticket_id=t).limit(1), STAND_INS[0])


def visible_attachments(user: User, ticket: Ticket) -> QuerySet[Attachment]:
    """The ticket's files this viewer may list and open: a requester never gets those of internal notes."""
    query = Attachment.filter(ticket_id=ticket.id)
    return query if sees_internal(user, ticket) else query.filter(internal=False)


def actions_for(user: User, ticket: Ticket) -> list[Event]:
    if not allowed(user, Action.CHANGE_TICKET_STATUS, ticket):
        return []
    events = allowed_events(ticket.status, actor_for(user), ticket.ticket_type)
    return [e for e in events if e not in BUTTON_EVENTS_EXCLUDED]


def may_comment(user: User, ticket: Ticket) -> bool:
    """Staff who work tickets always may; a requester as long as the workflow takes his reply."""
    if not allowed(user, Action.COMMENT_TICKET, ticket):
        return False
    return allowed(user, Action.WORK_TICKET, ticket) or can(ticket.status, Actor.REQUESTER, Event.CUSTOMER_REPLY,
                                                             ticket.ticket_type)


async def detail_context(user: User, ticket: Ticket) -> dict[str, Any]:
    staff, technician = sees_internal(user, ticket), allowed(user, Action.WORK_TICKET, ticket)
    read = await gathered(
        comments=(_ALL_COMMENTS if staff else _PUBLIC_COMMENTS).rows(ticket.id),
        # Every row, even those this viewer is not shown: the last one is where the page's live updates resume.
        events=_EVENTS.rows(ticket.id),
        work_logs=_WORK_LOGS.rows(ticket.id) if staff else nothing([]),
        # The listed facts only: an attachment's extracted text (up to 100,000 characters) is for the index.
        attachments=visible_attachments(user, ticket).order_by("id").values(
            "id", "original_name", "size", "created_at", "internal", uploader="uploaded_by__full_name"),
        duplicates=_DUPLICATES.rows(ticket.id),
        rating=_RATING.first(ticket.id),
        closures=plans.closure_days(),
        field=field_panel(user, ticket),
        canned_replies=replies_for(user) if technician else nothing(None),
        contracts=balances(ticket.company_id) if staff and ticket.company_id is not None else nothing([]),
        faq=promoted(ticket, user) if staff else nothing(None),
    )
    rows, events, work_logs = read["comments"], read["events"], read["work_logs"]
    people = await users_by_id({c.author_id for c in rows} | {e.actor_id for e in events}
                               | {w.technician_id for w in work_logs}, known=people_of(ticket))
    attach(rows, "author", people)
    attach(events, "actor", people)
    attach(work_logs, "technician", people)
    cal, now = plans.calendar_for(ticket.sla_plan, read["closures"]), service.now_utc()
    context: dict[str, Any] = {
        "ticket": ticket,
        "comments": [NumberedComment(i, c) for i, c in enumerate(rows, start=1)],
        "attachments": read["attachments"],
        "events": [e for e in events if staff or e.kind in REQUESTER_HISTORY],
        "live_after": events[-1].id if events else 0,
        "clocks": clock.clocks(ticket, clock.changes_of(events), cal, now),
        "round_the_clock": plans.is_round_the_clock(ticket.sla_plan),
        "actions": actions_for(user, ticket),
        "can_comment": may_comment(user, ticket),
        "can_note": allowed(user, Action.WRITE_INTERNAL_NOTE, ticket),
        "duplicates": read["duplicates"],
        "is_staff": staff,
        "is_technician": technician,
        "status_label": status_label,
        "field_changes": field_changes,
        "EventKind": EventKind,
        "Event": Event,
        "typed": {},
        "duration": duration,
        "today": service.local_today().isoformat(),
        "submission_key": new_key(),  # the comment form's one-time key
        "rating": read["rating"],
        "can_rate": allowed(user, Action.RATE_TICKET, ticket),
        "scores": SCORES,
        **read["field"],
    }
    if technician:
        context["canned_replies"] = read["canned_replies"]
    if staff:
        contracts, today = read["contracts"], service.local_today()
        context.update(
            contracts=contracts, open_contracts=[b.contract for b in contracts if b.valid_on(today)], today_date=today,
            work_kinds=list(WorkKind), work_logs=work_logs,
            actual_hours=service.worked_hours(work_logs),
            technicians=await references.technicians(),
            categories=await references.all_categories(), products=await references.all_products(),
            types=list(TicketType), priorities=list(Priority), severities=list(Severity),
            can_discard=can(ticket.status, Actor.STAFF, Event.DISCARD, ticket.ticket_type),
            faq=read["faq"],
            can_promote=allowed(user, Action.PROMOTE_TICKET) and is_promotable(ticket),
        )
    return context
