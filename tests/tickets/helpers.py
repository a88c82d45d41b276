"""Factories and small helpers shared by the ticket tests."""

from datetime import date, timedelta

from app.accounts.models import Company, User
from app.settings import Settings
from app.tickets import service
from app.tickets.choices import Priority, Severity
from app.tickets.models import Category, Product, Ticket
from app.tickets.workflow import Event, TicketType
from tests.support import make_company, make_user


async def people() -> tuple[Company, User, User, User]:
    """A sharing company with a requester, a colleague, and a technician."""
    company = await make_company("Comune di Valdora")
    mario = await make_user("mario@valdora.example", company, full_name="Mario Rossi")
    laura = await make_user("laura@valdora.example", company, full_name="Laura Bianchi")
    tech = await make_user("tecnico@sportello.example", is_technician=True, full_name="Marco Ferri")
    return company, mario, laura, tech


async def open_ticket(
    settings: Settings, requester: User, title: str = "Stampa cedolini bloccata",
    ticket_type: TicketType = TicketType.ANOMALIA, description: str = "Il pulsante Stampa non risponde.",
    priority: Priority = Priority.MEDIA,
) -> Ticket:
    data = service.TicketInput(title=title, ticket_type=ticket_type, priority=priority,
                               severity=Severity.NON_BLOCCANTE, description=description)
    return await service.create_ticket(settings, requester, data)


async def fresh(ticket: Ticket) -> Ticket:
    return await Ticket.get(id=ticket.id).select_related("requester", "company", "assignee")


async def move(settings: Settings, user: User, ticket: Ticket, *events: Event, resolution: str = "",
               planned_for: date | None = None) -> Ticket:
    """Apply `events` in turn; PLAN agrees on `planned_for`, a week from today if not given."""
    for event in events:
        ticket = await fresh(ticket)
        agreed = planned_for or service.local_today() + timedelta(days=7)
        await service.transition(settings, user, ticket, event, ticket.version,
                                 resolution=resolution if event is Event.RESOLVE else None,
                                 planned_for=agreed if event is Event.PLAN else None)
    return await fresh(ticket)


async def lists() -> tuple[Category, Product]:
    return await Category.create(name="Paghe"), await Product.create(name="Cedolini Web")
