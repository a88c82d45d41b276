"""Ticket rules: opening, comments, attachments, workflow transitions, edits, work log, duplicates, auto-close.

Every change runs in one transaction that also writes the audit row, the search outbox row and the mails.
Edits carry the version the editor saw; a stale version is refused (TicketConflict) and nothing is written.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from app.accounts.models import Company, User, UserStatus
from app.contracts import clock, plans
from app.contracts.models import SlaPlan
from app.contracts.service import ContractError, check_work_entry
from app.i18n import DISPLAY_TZ, N_
from app.live.bus import ticket_changed as tell_live_pages
from app.permissions import Action, allowed
from app.searching.outbox import enqueue
from app.settings import Settings
from app.tickets import notify, references, submissions
from app.tickets.access import actor_for, parse_ref
from app.tickets.attachment_text import initial_text_status, text_queued
from app.tickets.choices import Priority, Severity
from app.tickets.forms import DetailsForm, NewTicketForm
from app.tickets.models import (
    Attachment,
    Category,
    Channel,
    Comment,
    EventKind,
    Product,
    Submission,
    Ticket,
    TicketEvent,
    WorkKind,
    WorkLog,
)
from app.tickets.rating import rating_link
from app.tickets.sla import add_working_hours
from app.tickets.workflow import (
    FORBIDDEN_STATUSES,
    Actor,
    Event,
    Status,
    TicketType,
    TransitionRefused,
    auto_close_due,
    next_status,
)
from app.uploads import StoredFile, UploadRefused, publish, remove_stored, store_upload
from app.webhooks import events as webhooks

SEARCH_SOURCE = "ticket"
MAX_FILES = 5


class TicketError(ValueError):
    """A rule refused the request; the message is an English msgid shown translated."""


class TicketConflict(TicketError):
    """Someone else saved the ticket after the form was loaded."""


CONFLICT = N_("Someone else changed this ticket while you were editing it. Nothing was saved: "
              "check the current version below and try again.")
REFUSED = N_("This action is not allowed on the ticket in its current status.")
REQUIRED = N_("Fill in every required field: title, type, priority, severity and description.")
RESUBMITTED = N_("This form was already used for something else: reload the page and send it again.")


def local_today() -> date:
    """Today where the portal's people are (the date field of a form speaks their calendar)."""
    return datetime.now(DISPLAY_TZ).date()


def now_utc() -> datetime:
    return datetime.now(UTC)


def attachments_dir(settings: Settings) -> Path:
    return settings.data_dir / "attachments"


# ---- input ----

@dataclass(frozen=True)
class TicketInput:
    title: str
    ticket_type: TicketType
    priority: Priority
    severity: Severity
    description: str
    category_id: int | None = None
    product_id: int | None = None
    channel: Channel = Channel.PORTAL


async def _list_choice(model: type[Category] | type[Product], chosen: int | None) -> int | None:
    if chosen is None:
        return None
    if not await model.filter(id=chosen, active=True).exists():
        raise TicketError(N_("Choose a category and a product from the lists."))
    return chosen


async def ticket_input(form: NewTicketForm) -> TicketInput:
    """The new-ticket form, typed by app/tickets/forms.py: required fields filled, choices from the lists."""
    if not form.title or not form.description or form.ticket_type is None or form.priority is None \
            or form.severity is None:
        raise TicketError(REQUIRED)
    return TicketInput(
        title=form.title, ticket_type=form.ticket_type, priority=form.priority, severity=form.severity,
        description=form.description, category_id=await _list_choice(Category, form.category),
        product_id=await _list_choice(Product, form.product), channel=form.channel or Channel.PORTAL,
    )


# ---- shared steps ----

# The status entries the SLA clocks are counted from: writing one moves the instants the ticket turns late.
CLOCK_EVENTS = frozenset({EventKind.CREATED, EventKind.STATUS})


async def record(
    ticket: Ticket, actor: User | None, kind: EventKind, detail: str = "", from_status: str = "", to_status: str = ""
) -> None:
    await TicketEvent.create(
        ticket_id=ticket.id, actor_id=actor.id if actor else None, kind=kind, detail=detail,
        from_status=from_status, to_status=to_status,
    )
    if kind in CLOCK_EVENTS:
        await clock.store_late_instants([ticket.id])


async def _save_checked(ticket: Ticket, expected_version: int, **changes: Any) -> None:
    """Write `changes` only if nobody saved the ticket since `expected_version` was read."""
    moment = now_utc()
    updated = await Ticket.filter(id=ticket.id, version=expected_version).update(
        **changes, version=expected_version + 1, updated_at=moment
    )
    if updated == 0:
        raise TicketConflict(CONFLICT)
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.version, ticket.updated_at = expected_version + 1, moment


async def _touch(ticket: Ticket) -> None:
    """An interaction that changes no field (comment, attachment): restarts the auto-close clock."""
    moment = now_utc()
    await Ticket.filter(id=ticket.id).update(last_interaction_at=moment, updated_at=moment)
    ticket.last_interaction_at = ticket.updated_at = moment


def _refused() -> TicketError:
    return TicketError(REFUSED)


def _check(user: User, action: Action, ticket: Ticket) -> None:
    if not allowed(user, action, ticket):
        raise _refused()


# ---- opening ----

async def create_ticket(
    settings: Settings, author: User, data: TicketInput, requester: User | None = None,
    uploads: Sequence[UploadFile] = (), submission: str = "", channel: Channel | None = None,
) -> Ticket:
    """Open a ticket: by a requester for himself, or by staff on a requester's behalf (phone, email).
    `channel` is the one a service knows (inbound mail); a form's choice counts only on a requester's behalf.
    A refused attachment refuses the whole ticket, so the form comes back with every value kept.
    `submission` is the form's one-time key: sent again, it returns the ticket it opened the first time."""
    on_behalf = requester is not None and requester.id != author.id
    if on_behalf:
        if not allowed(author, Action.OPEN_TICKET_FOR_OTHERS) or requester is None or requester.status is not UserStatus.ACTIVE \
                or not requester.is_requester:
            raise TicketError(N_("Choose the requester from the list."))
    owner = requester if requester is not None else author
    channel = channel or (data.channel if on_behalf else Channel.PORTAL)
    key = _submission_key(submission)
    if (done := await submissions.earlier(author, key)) is not None:
        return await _earlier_ticket(done)
    opened = now_utc()
    sla = await opening_sla(owner.company_id, data.priority, opened)
    stored = await _store_all(settings, uploads)
    try:
        ticket = await _insert_ticket(settings, author, owner, data, channel, opened, sla, stored, key)
    except IntegrityError:
        await _remove_all(settings, stored)
        return await _earlier_ticket(await _race_winner(author, key))
    except BaseException:
        await _remove_all(settings, stored)
        raise
    await _committed(settings, stored)
    return ticket


def _submission_key(raw: str) -> str:
    if raw and not submissions.is_valid(raw):
        raise TicketError(RESUBMITTED)
    return raw


async def _race_winner(user: User, key: str) -> Submission:
    """The key row that made this request's insert fail: another request with the same form committed first."""
    done = await submissions.earlier(user, key)
    if done is None:
        raise TicketError(RESUBMITTED)
    return done


async def _earlier_ticket(done: Submission) -> Ticket:
    if done.comment_id is not None:
        raise TicketError(RESUBMITTED)  # a comment form's key sent to the new-ticket form
    return await Ticket.get(id=done.ticket_id)


async def opening_sla(company_id: int | None, priority: Priority, opened: datetime) -> dict[str, Any]:
    """The plan a new ticket takes, its targets as they are today, and the take-in-charge deadline."""
    plan = await plans.plan_for(company_id, opened.astimezone(DISPLAY_TZ).date())
    return await _plan_fields(plan, priority, opened)


async def _plan_fields(plan: SlaPlan | None, priority: Priority, opened: datetime) -> dict[str, Any]:
    targets = plans.plan_targets(plan, priority)
    cal = plans.calendar_for(plan, await plans.closure_days())
    return {"sla_plan_id": plan.id if plan else None, "take_target_hours": targets.take,
            "resolve_target_hours": targets.resolve,
            "sla_deadline": add_working_hours(cal, opened, float(targets.take))}


async def _insert_ticket(
    settings: Settings, author: User, owner: User, data: TicketInput, channel: Channel, opened: datetime,
    sla: dict[str, Any], stored: Sequence[StoredFile], key: str = "",
) -> Ticket:
    async with in_transaction():
        ticket = await Ticket.create(
            title=data.title, ticket_type=data.ticket_type, priority=data.priority, severity=data.severity,
            description=data.description, category_id=data.category_id, product_id=data.product_id,
            channel=channel, requester_id=owner.id, company_id=owner.company_id, opened_by_id=author.id,
            last_interaction_at=opened, **sla,
        )
        ticket.number = ticket.id
        await Ticket.filter(id=ticket.id).update(number=ticket.id)
        await submissions.remember(author, key, ticket)
        await record(ticket, author, EventKind.CREATED, to_status=ticket.status.value)
        await _save_attachments(ticket, author, stored)
        await enqueue(SEARCH_SOURCE, ticket.id)
        await webhooks.ticket_created(ticket)
        context = {"actor": author}
        if owner.notify_own_tickets:
            await notify.send(settings, "ticket_created", [notify.Recipient(owner.email, owner.locale, owner.full_name)],
                              ticket, context)
        await notify.send(settings, "ticket_new_team", await notify.team(settings, exclude=author), ticket,
                          {**context, "requester": owner, "company_name": await _company_name(owner)})
    return ticket


async def _company_name(user: User) -> str:
    company = await Company.get_or_none(id=user.company_id) if user.company_id else None
    return company.name if company else user.full_name


# ---- comments and attachments ----

async def _store_all(settings: Settings, uploads: Sequence[UploadFile]) -> list[StoredFile]:
    """Store every file or none: a refused one removes those already stored."""
    if len(uploads) > MAX_FILES:
        raise TicketError(N_("At most 5 files at a time."))
    stored: list[StoredFile] = []
    try:
        for upload in uploads:
            stored.append(await store_upload(upload, attachments_dir(settings), settings.upload_max_mb * 1024 * 1024))
    except UploadRefused as refused:
        await _remove_all(settings, stored)
        raise TicketError(str(refused)) from None
    return stored


async def _remove_all(settings: Settings, stored: Sequence[StoredFile]) -> None:
    for item in stored:
        await remove_stored(attachments_dir(settings), item.stored_name)


async def _save_attachments(
    ticket: Ticket, user: User, stored: Sequence[StoredFile], comment: Comment | None = None
) -> list[Attachment]:
    """The files belong to `comment` and share its visibility; without one they are public."""
    rows = []
    for item in stored:
        rows.append(await Attachment.create(
            ticket_id=ticket.id, uploaded_by_id=user.id, comment_id=comment.id if comment else None,
            internal=comment.internal if comment else False, stored_name=item.stored_name,
            original_name=item.original_name, content_type=item.content_type, size=item.size,
            text_status=initial_text_status(item.content_type),
        ))
        await record(ticket, user, EventKind.ATTACHMENT, detail=item.original_name)
    return rows


async def _committed(settings: Settings, stored: Sequence[StoredFile]) -> None:
    """The attachments' rows are committed: their partial files become stored ones, and the text extraction
    job is woken (it finds them now)."""
    await publish(attachments_dir(settings), stored)
    if stored:
        text_queued.set()


async def add_comment(
    settings: Settings, user: User, ticket: Ticket, body: str, internal: bool = False,
    uploads: Sequence[UploadFile] = (), submission: str = "",
) -> Comment:
    """A public reply or (staff only) an internal note. A requester's comment may send the ticket back to support.
    `submission` is the form's one-time key: sent again, it returns the comment it wrote the first time."""
    _check(user, Action.COMMENT_TICKET, ticket)
    internal = internal and allowed(user, Action.WRITE_INTERNAL_NOTE, ticket)
    key = _submission_key(submission)
    if (done := await submissions.earlier(user, key)) is not None:
        return await _earlier_comment(done, ticket)
    if not body:
        raise TicketError(N_("Write the text of the comment."))
    actor = actor_for(user)
    new_status = ticket.status
    if actor is Actor.REQUESTER:
        try:
            new_status = next_status(ticket.status, actor, Event.CUSTOMER_REPLY, ticket.ticket_type)
        except TransitionRefused:
            raise TicketError(N_("This ticket is closed: open a new ticket if you need more help.")) from None
    stored = await _store_all(settings, uploads)
    try:
        async with in_transaction():
            comment = await Comment.create(ticket_id=ticket.id, author_id=user.id, body=body, internal=internal)
            await submissions.remember(user, key, ticket, comment)
            # The comment's id in the event: a live ticket page shows it from there (app/live).
            await record(ticket, user, EventKind.NOTE if internal else EventKind.COMMENT, detail=str(comment.id))
            await _save_attachments(ticket, user, stored, comment)
            old_status = ticket.status
            if new_status != old_status:
                await _save_checked(ticket, ticket.version, status=new_status, last_interaction_at=now_utc())
                await record(ticket, user, EventKind.STATUS, from_status=old_status.value, to_status=new_status.value)
                await webhooks.ticket_changed(ticket, "status")
            else:
                await _touch(ticket)
            await enqueue(SEARCH_SOURCE, ticket.id)
            await webhooks.comment_created(ticket, comment, user)
            if not internal:
                await _mail_comment(settings, user, ticket, comment)
    except IntegrityError:
        await _remove_all(settings, stored)
        return await _earlier_comment(await _race_winner(user, key), ticket)
    except BaseException:
        await _remove_all(settings, stored)
        raise
    await _committed(settings, stored)
    await tell_live_pages(ticket.id)
    return comment


async def _earlier_comment(done: Submission, ticket: Ticket) -> Comment:
    if done.comment_id is None or done.ticket_id != ticket.id:
        raise TicketError(RESUBMITTED)  # the key of another form
    return await Comment.get(id=done.comment_id)


async def _mail_comment(settings: Settings, author: User, ticket: Ticket, comment: Comment) -> None:
    if author.is_staff:
        recipients = await notify.requester_side(ticket, exclude=author)
    else:
        recipients = await notify.staff_side(settings, ticket, exclude=author)
    await notify.send(settings, "ticket_comment", recipients, ticket, {"actor": author, "comment": comment})


async def add_attachments(settings: Settings, user: User, ticket: Ticket,
                          uploads: Sequence[UploadFile]) -> list[Attachment]:
    _check(user, Action.COMMENT_TICKET, ticket)
    if not uploads:
        raise TicketError(N_("Choose a file to attach."))
    if ticket.status in (Status.CHIUSO, Status.NON_CONSIDERARE) and not user.is_staff:
        raise TicketError(N_("This ticket is closed: open a new ticket if you need more help."))
    stored = await _store_all(settings, uploads)
    try:
        async with in_transaction():
            rows = await _save_attachments(ticket, user, stored)
            await _touch(ticket)
    except BaseException:
        await _remove_all(settings, stored)
        raise
    await _committed(settings, stored)
    await tell_live_pages(ticket.id)
    return rows


# ---- workflow ----

def _status_changes(ticket: Ticket, user: User | None, event: Event, new_status: Status, moment: datetime) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": new_status, "last_interaction_at": moment}
    if event is Event.TAKE_IN_CHARGE and user is not None:
        changes.update(taken_at=moment, taken_by_id=user.id)
        if ticket.assignee_id is None:
            changes["assignee_id"] = user.id
    if new_status is Status.RISOLTO:
        changes["resolved_at"] = moment
    if new_status is Status.CHIUSO:
        changes["closed_at"] = moment
    if event is Event.REOPEN:
        changes.update(resolved_at=None, closed_at=None, duplicate_of_id=None)
    if new_status is not Status.PIANIFICATO:
        changes["planned_for"] = None  # an agreed date belongs to the plan: gone once the plan is
    return changes


def _agreed_date(agreed: date | None, today: date) -> date:
    """The date of a planned intervention: today or later."""
    if agreed is None:
        raise TicketError(N_("Choose the date agreed with the requester."))
    if agreed < today:
        raise TicketError(N_("The agreed date cannot be in the past."))
    return agreed


async def transition(
    settings: Settings, user: User, ticket: Ticket, event: Event, version: int, resolution: str | None = None,
    planned_for: date | None = None,
) -> Status:
    """Apply a workflow event by a person. The workflow table alone decides; a refusal changes nothing.
    Resolving needs the solution (`resolution`), planning the agreed date (`planned_for`)."""
    _check(user, Action.CHANGE_TICKET_STATUS, ticket)
    actor = actor_for(user)
    if event in (Event.CUSTOMER_REPLY, Event.AUTO_CLOSE):
        raise _refused()  # these come from a comment and from the job, never from a button
    try:
        new_status = next_status(ticket.status, actor, event, ticket.ticket_type)
    except TransitionRefused:
        raise _refused() from None
    changes = _status_changes(ticket, user, event, new_status, now_utc())
    if event is Event.RESOLVE:
        text = (resolution if resolution is not None else ticket.resolution).strip()
        if not text:
            raise TicketError(N_("Write the solution before resolving the ticket."))
        changes["resolution"] = text
    if event is Event.PLAN:
        changes["planned_for"] = _agreed_date(planned_for, local_today())
    old_status = ticket.status
    async with in_transaction():
        await _save_checked(ticket, version, **changes)
        await record(ticket, user, EventKind.STATUS, from_status=old_status.value, to_status=new_status.value)
        await enqueue(SEARCH_SOURCE, ticket.id)
        await webhooks.ticket_changed(ticket, "status")
        await _mail_status(settings, user, ticket, old_status)
    await tell_live_pages(ticket.id)
    return new_status


async def _mail_status(settings: Settings, user: User | None, ticket: Ticket, old_status: Status) -> None:
    context: dict[str, object] = {"actor": user, "old_status": old_status}
    if user is None or user.is_staff:
        template = {Status.RISOLTO: "ticket_resolved"}.get(ticket.status, "ticket_status")
        if user is None:
            template = "ticket_auto_closed"
            # Only the requester's copy carries the link: it rates as him, without logging in.
            requester = await User.get(id=ticket.requester_id)
            context["rating_links"] = {requester.email: rating_link(settings, ticket)}
        await notify.send(settings, template, await notify.requester_side(ticket, exclude=user), ticket, context)
    else:
        await notify.send(settings, "ticket_status", await notify.staff_side(settings, ticket, exclude=user),
                          ticket, context)


def auto_close_delay(settings: Settings) -> timedelta:
    """The one place the quiet time before an automatic close is read from (AUTO_CLOSE_DAYS)."""
    return timedelta(days=settings.auto_close_days)


async def auto_close_resolved(settings: Settings, now: datetime | None = None) -> int:
    """Close resolved tickets nobody touched for AUTO_CLOSE_DAYS, as the system actor through the workflow
    table. The database is the schedule, so a restart loses nothing; the version check makes a second run,
    or a comment written meanwhile, win over the job."""
    moment = now or now_utc()
    after = auto_close_delay(settings)
    closed = 0
    candidates = await Ticket.filter(status=Status.RISOLTO, last_interaction_at__lte=moment - after)
    for ticket in candidates:
        if not auto_close_due(ticket.status, ticket.ticket_type, ticket.last_interaction_at, moment, after):
            continue
        new_status = next_status(ticket.status, Actor.SYSTEM, Event.AUTO_CLOSE, ticket.ticket_type)
        old_status = ticket.status
        changes = _status_changes(ticket, None, Event.AUTO_CLOSE, new_status, moment)
        del changes["last_interaction_at"]  # the close is no interaction of a person
        async with in_transaction():
            # The same conditions again in the UPDATE: a comment or an edit since the read wins over the job.
            updated = await Ticket.filter(
                id=ticket.id, status=old_status, version=ticket.version, last_interaction_at__lte=moment - after
            ).update(**changes, version=F("version") + 1, updated_at=moment)
            if updated == 0:
                continue
            for name, value in changes.items():
                setattr(ticket, name, value)
            await record(ticket, None, EventKind.STATUS, detail=Event.AUTO_CLOSE.value,
                         from_status=old_status.value, to_status=new_status.value)
            await enqueue(SEARCH_SOURCE, ticket.id)
            await webhooks.ticket_changed(ticket, "auto_close")
            await _mail_status(settings, None, ticket, old_status)
        closed += 1
        await tell_live_pages(ticket.id)
    return closed


# ---- staff edits ----



async def assign(settings: Settings, staff: User, ticket: Ticket, assignee_id: int | None, version: int) -> None:
    _check(staff, Action.WORK_TICKET, ticket)
    assignee = None
    if assignee_id is not None:
        assignee = next((u for u in await references.technicians() if u.id == assignee_id), None)
        if assignee is None:
            raise TicketError(N_("Choose a technician from the list."))
    if assignee_id == ticket.assignee_id:
        return
    async with in_transaction():
        await _save_checked(ticket, version, assignee_id=assignee_id)
        await record(ticket, staff, EventKind.ASSIGNED, detail=assignee.full_name if assignee else "")
        await webhooks.ticket_changed(ticket, "assigned")
        if assignee is not None and assignee.id != staff.id:
            await notify.send(settings, "ticket_assigned", [notify.Recipient(assignee.email, assignee.locale)],
                              ticket, {"actor": staff})
    await tell_live_pages(ticket.id)


EDITABLE = ("title", "ticket_type", "priority", "severity", "category_id", "product_id", "planned_hours",
            "planned_days", "resolution")


async def update_details(settings: Settings, staff: User, ticket: Ticket, form: DetailsForm, version: int) -> list[str]:
    """Staff edit of the classification, planning and solution; returns the names of the fields changed."""
    _check(staff, Action.WORK_TICKET, ticket)
    ticket_type, priority = form.ticket_type, form.priority
    if not form.title or ticket_type is None or priority is None or form.severity is None:
        raise TicketError(REQUIRED)
    if ticket.status in FORBIDDEN_STATUSES[ticket_type]:
        raise TicketError(N_("A question cannot be in this status: change the status first."))
    wanted: dict[str, Any] = {
        "title": form.title, "ticket_type": ticket_type, "priority": priority, "severity": form.severity,
        "category_id": await _kept_or_chosen(Category, form.category, ticket.category_id),
        "product_id": await _kept_or_chosen(Product, form.product, ticket.product_id),
        "planned_hours": _hundredths(form.planned_hours),
        "planned_days": int(form.planned_days) if form.planned_days is not None else None,
        "resolution": form.resolution,
    }
    changed = {name: value for name, value in wanted.items() if _differs(getattr(ticket, name), value)}
    if not changed:
        return []
    if "priority" in changed:  # the plan's targets of the new priority, as the plan is now
        plan = await SlaPlan.get_or_none(id=ticket.sla_plan_id) if ticket.sla_plan_id else None
        sla = await _plan_fields(plan, priority, ticket.created_at)
        changed["resolve_target_hours"] = sla["resolve_target_hours"]
        if ticket.taken_at is None:
            changed.update(take_target_hours=sla["take_target_hours"], sla_deadline=sla["sla_deadline"])
    detail = "\n".join([f"{name}\t{await _shown(name, getattr(ticket, name))}\t{await _shown(name, changed[name])}"
                        for name in EDITABLE if name in changed])
    async with in_transaction():
        await _save_checked(ticket, version, **changed)
        await record(ticket, staff, EventKind.FIELDS, detail=detail)
        if "priority" in changed:
            await clock.store_late_instants([ticket.id])
        await enqueue(SEARCH_SOURCE, ticket.id)
        await webhooks.ticket_changed(ticket, "fields")
    await tell_live_pages(ticket.id)
    return [name for name in EDITABLE if name in changed]
async def _kept_or_chosen(model: type[Category] | type[Product], chosen: int | None,
                          current: int | None) -> int | None:
    """A disabled entry stays valid on the tickets that already have it."""
    if current is not None and chosen == current:
        return current
    return await _list_choice(model, chosen)


def _hundredths(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.01")) if value is not None else None


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (Decimal(old) if old is not None else None) != (Decimal(new) if new is not None else None)
    return old != new


async def _shown(name: str, value: Any) -> str:
    """A field's value as the audit keeps it: list entries by name, choices by their stable value."""
    if value is None:
        return ""
    if name in ("category_id", "product_id"):
        entry = await (Category if name == "category_id" else Product).get_or_none(id=value)
        return entry.name if entry else str(value)
    return value.value if hasattr(value, "value") else str(value)


async def log_work(staff: User, ticket: Ticket, day: date, hours: Decimal, note: str,
                   kind: WorkKind = WorkKind.BILLABLE, contract_id: int | None = None) -> WorkLog:
    """A contract entry draws on a contract of the ticket's company valid on `day`; other kinds on none."""
    _check(staff, Action.WORK_TICKET, ticket)
    amount = _hundredths(hours)
    if amount is None or not 0 < amount <= 24:
        raise TicketError(N_("Enter the hours worked: more than 0, at most 24."))
    try:
        contract = await check_work_entry(ticket.company_id, kind is WorkKind.CONTRACT, contract_id, day)
    except ContractError as refused:
        raise TicketError(str(refused)) from None
    async with in_transaction():
        entry = await WorkLog.create(ticket_id=ticket.id, technician_id=staff.id, day=day, hours=amount, note=note,
                                     kind=kind, contract_id=contract.id if contract else None)
        await record(ticket, staff, EventKind.WORK, detail=f"{day.isoformat()}\t{amount}\t{note}")
        await _touch(ticket)
    await tell_live_pages(ticket.id)
    return entry


def worked_hours(entries: Iterable[WorkLog]) -> Decimal:
    return sum((Decimal(entry.hours) for entry in entries), Decimal(0))


async def actual_hours(ticket: Ticket) -> Decimal:
    return worked_hours(await WorkLog.filter(ticket_id=ticket.id))


async def mark_duplicate(settings: Settings, staff: User, ticket: Ticket, original_ref: str, version: int) -> Ticket:
    """Non considerare as a duplicate of another ticket; both tickets show the link."""
    _check(staff, Action.WORK_TICKET, ticket)
    where = parse_ref(original_ref)
    original = await Ticket.filter(where).first() if where is not None else None
    if original is None or original.id == ticket.id:
        raise TicketError(N_("Enter the number of another existing ticket, e.g. TT12."))
    try:
        new_status = next_status(ticket.status, Actor.STAFF, Event.DISCARD, ticket.ticket_type)
    except TransitionRefused:
        raise _refused() from None
    old_status = ticket.status
    async with in_transaction():
        await _save_checked(ticket, version, status=new_status, duplicate_of_id=original.id, closed_at=now_utc(),
                            last_interaction_at=now_utc())
        await record(ticket, staff, EventKind.STATUS, from_status=old_status.value, to_status=new_status.value)
        await record(ticket, staff, EventKind.DUPLICATE, detail=original.code)
        await record(original, staff, EventKind.DUPLICATE, detail=ticket.code)
        await enqueue(SEARCH_SOURCE, ticket.id)
        await webhooks.ticket_changed(ticket, "duplicate")
        await _mail_status(settings, staff, ticket, old_status)
    await tell_live_pages(ticket.id)
    await tell_live_pages(original.id)
    return original
