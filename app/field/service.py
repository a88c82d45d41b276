"""Interventions: planned by technicians on a ticket, confirmed (or asked to move) by the requester side.

Every step runs in one transaction with its ticket history row and the mail to the other side. The steps are
data (`STEPS`: step -> the states it starts from and the state it leads to), so a refused step is one lookup.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from babel.dates import format_time
from babel.numbers import format_currency
from starlette.datastructures import UploadFile
from tortoise.transactions import in_transaction

from app.accounts.models import User
from app.field.models import Expense, ExpenseKind, Intervention, InterventionState
from app.i18n import DISPLAY_TZ, N_, _, format_when, get_locale
from app.live.bus import ticket_changed as tell_live_pages
from app.permissions import Action, allowed
from app.settings import Settings
from app.tickets import notify
from app.tickets.references import technicians
from app.tickets.models import EventKind, Ticket
from app.tickets.service import now_utc, record
from app.tickets.workflow import Status
from app.uploads import StoredFile, UploadRefused, publish, remove_stored, store_upload

MAX_LENGTH = timedelta(hours=24)
MAX_AMOUNT = Decimal("99999999.99")
CLOSED = frozenset({Status.CHIUSO, Status.NON_CONSIDERARE})
OPEN_STATES = (InterventionState.PROPOSED, InterventionState.CONFIRMED)

P, C = InterventionState.PROPOSED, InterventionState.CONFIRMED
# step -> (states it may start from, state it leads to)
STEPS: dict[str, tuple[frozenset[InterventionState], InterventionState]] = {
    "propose": (frozenset(), P),
    "move": (frozenset({P, C}), P),
    "confirm": (frozenset({P}), C),
    "ask_move": (frozenset({P, C}), P),
    "done": (frozenset({C}), InterventionState.DONE),
    "cancel": (frozenset({P, C}), InterventionState.CANCELLED),
}
STAFF_STEPS = frozenset({"propose", "move", "done", "cancel"})
STEP_LABELS: dict[str, str] = {
    "propose": N_("proposed"), "move": N_("moved and proposed again"), "confirm": N_("confirmed"),
    "ask_move": N_("asked to move"), "done": N_("done"), "cancel": N_("cancelled"),
}

SENTENCES: dict[str, str] = {  # the mail of each step, in the recipient's language
    "propose": N_("%(name)s proposes an intervention from %(start)s to %(end)s. "
                  "Confirm it on the ticket, or ask to move it."),
    "move": N_("%(name)s moved the intervention: now from %(start)s to %(end)s. "
               "Confirm it on the ticket, or ask to move it."),
    "confirm": N_("%(name)s confirmed the intervention from %(start)s to %(end)s."),
    "ask_move": N_("%(name)s asks to move the intervention from %(start)s to %(end)s."),
    "done": N_("%(name)s marked the intervention from %(start)s to %(end)s as done."),
    "cancel": N_("%(name)s cancelled the intervention from %(start)s to %(end)s."),
}
STEP_REFUSED = N_("This intervention is %(state)s: that step is not possible now.")


class FieldError(ValueError):
    """A rule refused the request; `message()` is the English msgid translated with its values."""

    def __init__(self, msgid: str, **values: object) -> None:
        super().__init__(msgid)
        self.values = values

    def message(self) -> str:
        return _(str(self), **self.values)


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime
    place: str
    note: str


def aware(value: datetime) -> datetime:
    """A time typed in a form (no zone: the people's, Europe/Rome) as an instant in UTC, as every query and row
    holds them (SQLite compares them as text)."""
    return (value.replace(tzinfo=DISPLAY_TZ) if value.tzinfo is None else value).astimezone(UTC)


def slot(starts: datetime | None, ends: datetime | None, place: str, note: str) -> Slot:
    if starts is None or ends is None:
        raise FieldError(N_("Write when the intervention starts and ends."))
    try:
        start, end = aware(starts), aware(ends)
    except OverflowError:  # year 1 in Rome is before the first UTC instant
        raise FieldError(N_("Choose a start in the future.")) from None
    if end <= start or end - start > MAX_LENGTH:
        raise FieldError(N_("The intervention must end after it starts, within 24 hours."))
    if start < now_utc():
        raise FieldError(N_("Choose a start in the future."))
    return Slot(start, end, place, note)


def euro(amount: Decimal) -> str:
    """An amount as the reader writes it ("1.234,50 €" / "€1,234.50")."""
    return format_currency(amount, "EUR", locale=get_locale())


def clock(moment: datetime) -> str:
    """The hour and minute of an instant in Rome, in the reader's style ("15:05" / "3:05 PM")."""
    return format_time(moment.astimezone(DISPLAY_TZ), format="short", locale=get_locale())


def local_input(moment: datetime) -> str:
    """An instant as a datetime-local input's value in Rome ("2026-12-05T09:30")."""
    return moment.astimezone(DISPLAY_TZ).strftime("%Y-%m-%dT%H:%M")


def receipts_dir(settings: Settings) -> Path:
    return settings.data_dir / "receipts"


# ---- reading ----

async def interventions_of(ticket: Ticket) -> list[Intervention]:
    return await Intervention.filter(ticket_id=ticket.id).select_related("technician").prefetch_related("expenses")


async def intervention_of(ticket: Ticket, intervention_id: int) -> Intervention | None:
    return await Intervention.filter(ticket_id=ticket.id, id=intervention_id).select_related("technician").first()


def total(expenses: list[Expense]) -> Decimal:
    return sum((e.amount for e in expenses), Decimal("0.00"))


def history_line(detail: str) -> str:
    """A history row's detail (`step \\t start \\t end [\\t message]`) in the reader's language and zone."""
    step, _tab, rest = detail.partition("\t")
    parts = rest.split("\t")
    if len(parts) < 2:
        return detail
    start, end = datetime.fromisoformat(parts[0]), datetime.fromisoformat(parts[1])
    line = _("%(step)s, %(start)s – %(end)s", step=_(STEP_LABELS.get(step, step)), start=format_when(start),
             end=clock(end))
    return f"{line}: {parts[2]}" if len(parts) > 2 and parts[2] else line


async def ticket_panel(user: User, ticket: Ticket) -> dict[str, object]:
    """What the ticket page shows of its interventions, for this viewer."""
    interventions = await interventions_of(ticket)
    return {
        "interventions": interventions,
        "expenses_total": total([e for i in interventions for e in i.expenses]),
        "expense_total": lambda intervention: total(list(intervention.expenses)),
        "expense_kinds": list(ExpenseKind),
        "can_plan": allowed(user, Action.PLAN_INTERVENTION, ticket) and ticket.status not in CLOSED,
        "can_answer": allowed(user, Action.ANSWER_INTERVENTION, ticket) and ticket.status not in CLOSED,
        "default_place": await default_place(ticket),
        "intervention_line": history_line,
        "clock": clock,
        "euro": euro,
        "local_input": local_input,
        "InterventionState": InterventionState,
    }


# ---- steps ----

def _next_state(step: str, intervention: Intervention | None) -> InterventionState:
    sources, target = STEPS[step]
    if intervention is not None and intervention.state not in sources:
        raise FieldError(STEP_REFUSED, state=intervention.state.label.lower())
    return target


async def _check_free(technician_id: int, start: datetime, end: datetime, exclude_id: int | None) -> None:
    # The technician's row is locked (PostgreSQL), so two plans for the same person are checked one after the other.
    await User.filter(id=technician_id).select_for_update().first()
    clash = await Intervention.filter(
        technician_id=technician_id, state__in=OPEN_STATES, starts_at__lt=end, ends_at__gt=start,
    ).exclude(id=exclude_id or 0).select_related("ticket", "technician").first()
    if clash is not None:
        raise FieldError(
            N_("%(name)s already has an intervention from %(start)s to %(end)s (ticket %(code)s): choose another time."),
            name=clash.technician.full_name, start=format_when(clash.starts_at), end=format_when(clash.ends_at),
            code=clash.ticket.code)


async def _record_and_mail(settings: Settings, actor: User, ticket: Ticket, intervention: Intervention,
                           step: str, message: str = "") -> None:
    detail = f"{step}\t{intervention.starts_at.isoformat()}\t{intervention.ends_at.isoformat()}"
    await record(ticket, actor, EventKind.INTERVENTION, detail=f"{detail}\t{message}" if message else detail)
    if step in STAFF_STEPS:
        recipients = await notify.requester_side(ticket, exclude=actor)
    else:
        technician = await User.get(id=intervention.technician_id)
        recipients = [notify.Recipient(technician.email, technician.locale, technician.full_name)]

    def sentence() -> str:  # called while the mail renders, in its recipient's language
        return _(SENTENCES[step], name=actor.full_name, start=format_when(intervention.starts_at),
                 end=format_when(intervention.ends_at))

    await notify.send(settings, "intervention", recipients, ticket,
                      {"intervention": intervention, "message": message, "sentence": sentence})


def _check_ticket(user: User, action: Action, ticket: Ticket) -> None:
    if not allowed(user, action, ticket):
        raise FieldError(N_("This action is not allowed."))
    if ticket.status in CLOSED:
        raise FieldError(N_("This ticket is closed: its interventions can no longer change."))


async def propose(settings: Settings, staff: User, ticket: Ticket, technician_id: int | None, planned: Slot) -> Intervention:
    _check_ticket(staff, Action.PLAN_INTERVENTION, ticket)
    chosen = technician_id or staff.id
    if chosen not in {t.id for t in await technicians()}:
        raise FieldError(N_("Choose a technician from the list."))
    async with in_transaction():
        await _check_free(chosen, planned.starts_at, planned.ends_at, None)
        intervention = await Intervention.create(
            ticket_id=ticket.id, technician_id=chosen, starts_at=planned.starts_at, ends_at=planned.ends_at,
            place=planned.place or await default_place(ticket), note=planned.note, state=_next_state("propose", None))
        await _record_and_mail(settings, staff, ticket, intervention, "propose")
    await tell_live_pages(ticket.id)
    return intervention


async def move(settings: Settings, staff: User, ticket: Ticket, intervention: Intervention, planned: Slot) -> None:
    """New times (and place, note): proposed again to the requester, whose move request is answered."""
    _check_ticket(staff, Action.PLAN_INTERVENTION, ticket)
    _next_state("move", intervention)
    async with in_transaction():
        await _check_free(intervention.technician_id, planned.starts_at, planned.ends_at, intervention.id)
        await _save_step(intervention, "move", starts_at=planned.starts_at, ends_at=planned.ends_at,
                         place=planned.place or intervention.place, note=planned.note, move_request="")
        await _record_and_mail(settings, staff, ticket, intervention, "move")
    await tell_live_pages(ticket.id)


async def step(settings: Settings, user: User, ticket: Ticket, intervention: Intervention, name: str,
               message: str = "") -> None:
    """confirm / ask_move (the requester side, ask_move with a message), done / cancel (technicians)."""
    _check_ticket(user, Action.PLAN_INTERVENTION if name in STAFF_STEPS else Action.ANSWER_INTERVENTION, ticket)
    _next_state(name, intervention)
    if name == "ask_move" and not message:
        raise FieldError(N_("Write when would suit you better."))
    async with in_transaction():
        await _save_step(intervention, name, **({"move_request": message} if name == "ask_move" else {}))
        await _record_and_mail(settings, user, ticket, intervention, name, message)
    await tell_live_pages(ticket.id)


async def _save_step(intervention: Intervention, name: str, **changes: object) -> None:
    """Written only if the state is still one the step starts from: of two people answering at once, one wins."""
    sources, target = STEPS[name]
    moment = now_utc()
    updated = await Intervention.filter(id=intervention.id, state__in=list(sources)).update(
        state=target, updated_at=moment, **changes)
    if updated == 0:
        await intervention.refresh_from_db()
        raise FieldError(STEP_REFUSED, state=intervention.state.label.lower())
    for field, value in {"state": target, "updated_at": moment, **changes}.items():
        setattr(intervention, field, value)


async def default_place(ticket: Ticket) -> str:
    company = await ticket.company if ticket.company_id else None
    return company.address if company is not None else ""


# ---- expenses ----

async def add_expense(settings: Settings, staff: User, ticket: Ticket, intervention: Intervention,
                      kind: ExpenseKind | None, amount: Decimal | None, note: str, upload: UploadFile | None) -> Expense:
    if not allowed(staff, Action.PLAN_INTERVENTION, ticket):
        raise FieldError(N_("This action is not allowed."))
    if kind is None or amount is None or not 0 < amount <= MAX_AMOUNT or amount != round(amount, 2):
        raise FieldError(N_("Choose a type and write an amount in euro greater than zero, with at most two decimals."))
    stored: StoredFile | None = None
    if upload is not None:
        try:
            stored = await store_upload(upload, receipts_dir(settings), settings.upload_max_mb * 1024 * 1024)
        except UploadRefused as refused:
            raise FieldError(str(refused)) from None
    try:
        expense = await Expense.create(
            intervention_id=intervention.id, kind=kind, amount=amount, note=note, created_by_id=staff.id,
            receipt_name=stored.stored_name if stored else None,
            receipt_original_name=stored.original_name if stored else "",
            receipt_content_type=stored.content_type if stored else "", receipt_size=stored.size if stored else 0)
    except BaseException:
        if stored is not None:
            await remove_stored(receipts_dir(settings), stored.stored_name)
        raise
    if stored is not None:
        await publish(receipts_dir(settings), [stored])
    return expense


async def expense_of(ticket: Ticket, expense_id: int) -> Expense | None:
    return await Expense.filter(id=expense_id, intervention__ticket_id=ticket.id).first()


async def delete_expense(settings: Settings, staff: User, ticket: Ticket, expense: Expense) -> None:
    if not allowed(staff, Action.PLAN_INTERVENTION, ticket):
        raise FieldError(N_("This action is not allowed."))
    await expense.delete()
    if expense.receipt_name:
        await remove_stored(receipts_dir(settings), expense.receipt_name)


def receipt_file(expense: Expense) -> StoredFile | None:
    if not expense.receipt_name:
        return None
    return StoredFile(expense.receipt_name, expense.receipt_original_name, expense.receipt_content_type,
                      expense.receipt_size)
