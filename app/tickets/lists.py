"""Admin-managed lists: ticket categories, products, and the days support is closed (SLA calendar)."""

from datetime import date

from app.i18n import N_
from app.tickets.models import Category, Closure, Product
from app.tickets.service import TicketError

LIST_MODELS: dict[str, type[Category] | type[Product]] = {"category": Category, "product": Product}


async def add_list_entry(kind: str, name: str) -> None:
    model = LIST_MODELS.get(kind)
    if model is None:
        raise TicketError(N_("Unknown list."))
    if not name:
        raise TicketError(N_("Enter a name of at most 100 characters."))
    if await model.filter(name__iexact=name).exists():
        raise TicketError(N_("This name is already in the list."))
    await model.create(name=name)


async def toggle_list_entry(kind: str, entry_id: int) -> None:
    """Entries are switched off rather than deleted, so old tickets keep their category and product."""
    model = LIST_MODELS.get(kind)
    entry = await model.get_or_none(id=entry_id) if model is not None else None
    if entry is None:
        raise TicketError(N_("Unknown list."))
    entry.active = not entry.active
    await entry.save(update_fields=["active"])


async def add_closure(day: date | None, reason: str) -> None:
    if day is None:
        raise TicketError(N_("Dates must be written as YYYY-MM-DD."))
    if await Closure.exists(day=day):
        raise TicketError(N_("This day is already a closure."))
    await Closure.create(day=day, reason=reason)


async def remove_closure(closure_id: int) -> None:
    await Closure.filter(id=closure_id).delete()
