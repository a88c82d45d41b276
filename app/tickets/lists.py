"""Admin-managed lists: ticket categories, products, and the days support is closed (SLA calendar)."""

from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.audit import service as audit
from app.accounts.models import User
from app.contracts import clock
from app.i18n import N_
from app.searching.outbox import enqueue
from app.tickets.models import Category, Closure, Product, Ticket
from app.tickets.service import SEARCH_SOURCE, TicketError

LIST_MODELS: dict[str, type[Category] | type[Product]] = {"category": Category, "product": Product}


def _model(kind: str) -> type[Category] | type[Product]:
    model = LIST_MODELS.get(kind)
    if model is None:
        raise TicketError(N_("Unknown list."))
    return model


async def _check_names(model: type[Category] | type[Product], name: str, entry_id: int | None = None) -> None:
    if not name:
        raise TicketError(N_("Enter an Italian name, and an English one if you like, of at most 100 characters."))
    if await model.filter(name__iexact=name).exclude(id=entry_id or 0).exists():
        raise TicketError(N_("This name is already in the list."))


async def add_list_entry(admin: User, kind: str, name: str, name_en: str = "") -> None:
    model = _model(kind)
    await _check_names(model, name)
    async with in_transaction():
        entry = await model.create(name=name, name_en=name_en)
        await audit.record(admin, f"{kind}.create", f"{kind}:{entry.id}", name, name_en=name_en)


async def rename_list_entry(admin: User, kind: str, entry_id: int, name: str, name_en: str) -> None:
    """New names for an entry; its tickets are indexed again, since search shows and filters by the name."""
    model = _model(kind)
    entry = await model.get_or_none(id=entry_id)
    if entry is None:
        raise TicketError(N_("Unknown list."))
    await _check_names(model, name, entry.id)
    async with in_transaction():
        changed = audit.changed_fields({"name": entry.name, "name_en": entry.name_en}, {"name": name, "name_en": name_en})
        entry.name, entry.name_en = name, name_en
        await entry.save(update_fields=["name", "name_en"])
        await audit.record(admin, f"{kind}.update", f"{kind}:{entry.id}", name, changed=changed)
        for ticket_id in await Ticket.filter(**{f"{kind}_id": entry.id}).values_list("id", flat=True):
            await enqueue(SEARCH_SOURCE, ticket_id)


async def toggle_list_entry(admin: User, kind: str, entry_id: int) -> None:
    """Entries are switched off rather than deleted, so old tickets keep their category and product."""
    entry = await _model(kind).get_or_none(id=entry_id)
    if entry is None:
        raise TicketError(N_("Unknown list."))
    entry.active = not entry.active
    async with in_transaction():
        await entry.save(update_fields=["active"])
        await audit.record(admin, f"{kind}.{'enable' if entry.active else 'disable'}", f"{kind}:{entry.id}", entry.name)


async def add_closure(admin: User, day: date | None, reason: str) -> None:
    if day is None:
        raise TicketError(N_("Dates must be written as YYYY-MM-DD."))
    if await Closure.exists(day=day):
        raise TicketError(N_("This day is already a closure."))
    async with in_transaction():
        closure = await Closure.create(day=day, reason=reason)
        await audit.record(admin, "closure.create", f"closure:{closure.id}", day.isoformat(), reason=reason)
        await _closures_changed()


async def remove_closure(admin: User, closure_id: int) -> None:
    async with in_transaction():
        closure = await Closure.get_or_none(id=closure_id)
        if closure is None:
            return
        await closure.delete()
        await audit.record(admin, "closure.delete", f"closure:{closure_id}", closure.day.isoformat(),
                           reason=closure.reason)
        await _closures_changed()


async def _closures_changed() -> None:
    """The clocks of the built-in standard and of the plans closed on holidays count the closure days."""
    await clock.store_late_instants_where(Q(sla_plan_id=None) | Q(sla_plan__closed_on_holidays=True))
