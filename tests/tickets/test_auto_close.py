"""The automatic close job: the database is the schedule, a second run does nothing, mail goes once."""

from datetime import timedelta

import pytest

from app.settings import Settings
from app.tickets import service
from app.tickets.jobs import jobs
from app.tickets.models import EventKind, Ticket, TicketEvent
from app.tickets.workflow import Event, Status
from tests.support import SmtpServer
from tests.tickets.helpers import fresh, move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


async def test_resolved_tickets_close_after_quiet_days_once(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    quiet = await move(settings, tech, await open_ticket(settings, mario, title="Vecchio"), Event.TAKE_IN_CHARGE,
                       Event.RESOLVE, resolution="Fatto.")
    recent = await move(settings, tech, await open_ticket(settings, mario, title="Recente"), Event.TAKE_IN_CHARGE,
                        Event.RESOLVE, resolution="Fatto.")
    still_open = await open_ticket(settings, mario, title="Aperto")
    await smtp.deliver()
    now = service.now_utc()
    await Ticket.filter(id__in=[quiet.id, still_open.id]).update(last_interaction_at=now - timedelta(days=4))
    assert await service.auto_close_resolved(settings, now) == 1
    assert await service.auto_close_resolved(settings, now) == 0
    assert (await fresh(quiet)).status is Status.CHIUSO
    assert (await fresh(recent)).status is Status.RISOLTO and (await fresh(still_open)).status is Status.APERTO
    event = await TicketEvent.get(ticket_id=quiet.id, kind=EventKind.STATUS, to_status="chiuso")
    assert event.actor_id is None
    await smtp.deliver()
    closing = [m for m in smtp.mailbox.to(mario.email) if "chiuso automaticamente" in m["Subject"]]
    assert len(closing) == 1 and quiet.code in closing[0]["Subject"]


async def test_a_comment_restarts_the_clock(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Fatto.")
    await Ticket.filter(id=ticket.id).update(last_interaction_at=service.now_utc() - timedelta(days=10))
    await service.add_comment(settings, tech, await fresh(ticket), "Ci conferma?")
    assert await service.auto_close_resolved(settings) == 0


async def test_the_job_uses_the_auto_close_days_setting(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Fatto.")
    await Ticket.filter(id=ticket.id).update(last_interaction_at=service.now_utc() - timedelta(days=4))
    patient = settings.model_copy(update={"auto_close_days": 7})
    (job,) = [job for job in jobs(patient) if job.name == "ticket-auto-close"]
    await job.run_once()
    assert (await fresh(ticket)).status is Status.RISOLTO
    (job,) = [job for job in jobs(settings) if job.name == "ticket-auto-close"]
    await job.run_once()
    assert (await fresh(ticket)).status is Status.CHIUSO


async def test_a_shorter_auto_close_days_closes_sooner(settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Fatto.")
    now = service.now_utc()
    await Ticket.filter(id=ticket.id).update(last_interaction_at=now - timedelta(days=1, hours=1))
    assert await service.auto_close_resolved(settings, now) == 0
    assert (await fresh(ticket)).status is Status.RISOLTO
    hasty = settings.model_copy(update={"auto_close_days": 1})
    assert await service.auto_close_resolved(hasty, now) == 1
    closed = await fresh(ticket)
    assert closed.status is Status.CHIUSO and closed.closed_at is not None
