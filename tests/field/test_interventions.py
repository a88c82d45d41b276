"""Interventions over HTTP: a technician proposes one from the ticket page, the requester confirms it or asks to
move it, the technician moves it (proposed again), marks it done; each step mails the other side and is in the
ticket history; an overlapping one for the same technician is refused and writes nothing."""

from datetime import datetime, timedelta

import httpx
import pytest

from app.field.models import Intervention, InterventionState
from app.i18n import DISPLAY_TZ
from app.mail.models import OutgoingMail
from app.settings import Settings
from app.tickets.models import EventKind, TicketEvent
from tests.support import Page, SmtpServer, log_in, make_user, text_of
from tests.tickets.helpers import open_ticket, people

TECH = "tecnico@sportello.example"


def local(days: int, hour: int, minute: int = 0) -> str:
    """A datetime-local value, `days` from today at hour:minute in Rome."""
    day = (datetime.now(DISPLAY_TZ) + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


@pytest.fixture
async def world(settings: Settings):  # type: ignore[no-untyped-def]
    company, mario, laura, tech = await people()
    company.address = "Piazza del Municipio 1, Valdora"
    await company.save()
    other = await make_company_contact()
    ticket = await open_ticket(settings, mario)
    return {"mario": mario, "laura": laura, "tech": tech, "other": other, "ticket": ticket}


async def make_company_contact():  # type: ignore[no-untyped-def]
    from tests.support import make_company

    return await make_user("anna@bellini.example", await make_company("Studio Bellini"), full_name="Anna Verdi")


async def plan(client: httpx.AsyncClient, code: str, start: str, end: str, **extra: str) -> httpx.Response:
    return await client.post(f"/tickets/{code}/interventions", data={"starts_at": start, "ends_at": end, **extra})


async def test_propose_confirm_and_finish_mails_each_side_and_writes_the_history(
        client: httpx.AsyncClient, world, smtp: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    ticket = world["ticket"]
    await log_in(client, TECH)
    answer = await plan(client, ticket.code, local(3, 9, 30), local(3, 11), note="Portare il lettore di badge")
    assert answer.status_code == 303, Page(answer.text).alerts
    intervention = await Intervention.get(ticket_id=ticket.id)
    assert intervention.state is InterventionState.PROPOSED
    assert intervention.place == "Piazza del Municipio 1, Valdora"  # the company's address by default
    assert intervention.starts_at.astimezone(DISPLAY_TZ).strftime("%H:%M") == "09:30"
    await smtp.deliver()
    proposed = smtp.mailbox.last_to("mario@valdora.example")
    assert "proposes an intervention" in text_of(proposed) or "propone un intervento" in text_of(proposed)

    await log_in(client, "mario@valdora.example")
    page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Portare il lettore di badge" in page.text
    assert f"/tickets/{ticket.code}/intervention-form.pdf" in page.links
    assert (await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/confirm")).status_code == 303
    await intervention.refresh_from_db()
    assert intervention.state is InterventionState.CONFIRMED
    await smtp.deliver()
    assert "confermato" in text_of(smtp.mailbox.last_to(TECH)) or "confirmed" in text_of(smtp.mailbox.last_to(TECH))
    # The requester side may not finish it, nor plan one.
    assert (await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/done")).status_code == 404
    assert (await plan(client, ticket.code, local(5, 9), local(5, 10))).status_code == 404

    await log_in(client, TECH)
    assert (await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/done")).status_code == 303
    await intervention.refresh_from_db()
    assert intervention.state is InterventionState.DONE
    steps = [e.detail.split("\t")[0] for e in await TicketEvent.filter(ticket_id=ticket.id,
                                                                        kind=EventKind.INTERVENTION).order_by("id")]
    assert steps == ["propose", "confirm", "done"]
    await log_in(client, "mario@valdora.example")
    history = Page((await client.get(f"/tickets/{ticket.code}")).text).text
    assert "Intervento: confermato" in history and "Intervento: svolto" in history


async def test_asking_to_move_and_moving_proposes_it_again(client: httpx.AsyncClient, world,
                                                          smtp: SmtpServer) -> None:  # type: ignore[no-untyped-def]
    ticket = world["ticket"]
    await log_in(client, TECH)
    await plan(client, ticket.code, local(2, 14), local(2, 16))
    intervention = await Intervention.get(ticket_id=ticket.id)
    await log_in(client, "mario@valdora.example")
    empty = await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/ask-move", data={"message": ""})
    assert empty.status_code == 400
    asked = await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/ask-move",
                              data={"message": "Meglio giovedì mattina"})
    assert asked.status_code == 303
    await smtp.deliver()
    assert "Meglio giovedì mattina" in text_of(smtp.mailbox.last_to(TECH))

    await log_in(client, TECH)
    desk = (await client.get(f"/tickets/{ticket.code}")).text
    assert "Meglio giovedì mattina" in Page(desk).text
    assert f'name="starts_at" type="datetime-local" required value="{local(2, 14)}"' in desk  # the move form's start
    moved = await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/move",
                              data={"starts_at": local(4, 9), "ends_at": local(4, 12)})
    assert moved.status_code == 303
    await intervention.refresh_from_db()
    assert intervention.state is InterventionState.PROPOSED and intervention.move_request == ""
    assert intervention.starts_at.astimezone(DISPLAY_TZ).hour == 9
    await smtp.deliver()
    assert "moved the intervention" in text_of(smtp.mailbox.last_to("mario@valdora.example")) or \
        "spostato l'intervento" in text_of(smtp.mailbox.last_to("mario@valdora.example"))


async def test_an_overlapping_intervention_of_the_same_technician_is_refused(
        client: httpx.AsyncClient, world, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ticket, second = world["ticket"], await open_ticket(settings, world["mario"], title="Secondo guasto")
    await log_in(client, TECH)
    assert (await plan(client, ticket.code, local(3, 9), local(3, 11))).status_code == 303
    mails = await OutgoingMail.all().count()
    clash = await plan(client, second.code, local(3, 10, 30), local(3, 12))
    assert clash.status_code == 400
    alerts = " ".join(Page(clash.text).alerts)
    assert "Marco Ferri ha già un intervento" in alerts and ticket.code in alerts
    assert await Intervention.filter(ticket_id=second.id).count() == 0
    assert await OutgoingMail.all().count() == mails
    # Back to back is no overlap, and another technician is free at the same time.
    assert (await plan(client, second.code, local(3, 11), local(3, 12))).status_code == 303
    colleague = await make_user("tecnica2@sportello.example", is_technician=True, full_name="Giulia Conti")
    assert (await plan(client, second.code, local(3, 9), local(3, 10),
                       technician=str(colleague.id))).status_code == 303


async def test_bad_times_and_other_people_are_refused(client: httpx.AsyncClient, world) -> None:  # type: ignore[no-untyped-def]
    ticket = world["ticket"]
    await log_in(client, TECH)
    for start, end in [(local(3, 11), local(3, 10)), (local(-2, 9), local(-2, 10)), ("", local(3, 10)),
                       ("domani", local(3, 10)), (local(3, 9), local(5, 9)), ("0001-01-01T00:00", local(3, 9)),
                       (local(3, 9), "9999-12-31T23:59")]:
        answer = await plan(client, ticket.code, start, end)
        assert answer.status_code == 400, (start, end)
        assert Page(answer.text).alerts
    assert await Intervention.all().count() == 0
    await plan(client, ticket.code, local(3, 9), local(3, 10))
    intervention = await Intervention.get(ticket_id=ticket.id)
    # Another company's contact does not see the ticket: every step answers 404.
    await log_in(client, "anna@bellini.example")
    assert (await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/confirm")).status_code == 404
    await intervention.refresh_from_db()
    assert intervention.state is InterventionState.PROPOSED


async def test_a_step_the_state_does_not_allow_is_refused_with_the_state(client: httpx.AsyncClient, world) -> None:  # type: ignore[no-untyped-def]
    ticket = world["ticket"]
    await log_in(client, TECH)
    await plan(client, ticket.code, local(6, 9), local(6, 10))
    intervention = await Intervention.get(ticket_id=ticket.id)
    early = await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/done")
    assert early.status_code == 400 and "proposto" in " ".join(Page(early.text).alerts)
    assert (await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/cancel")).status_code == 303
    await log_in(client, "mario@valdora.example")
    late = await client.post(f"/tickets/{ticket.code}/interventions/{intervention.id}/confirm")
    assert late.status_code == 400 and "annullato" in " ".join(Page(late.text).alerts)
    await intervention.refresh_from_db()
    assert intervention.state is InterventionState.CANCELLED
    # A cancelled intervention frees the technician's time.
    await log_in(client, TECH)
    assert (await plan(client, ticket.code, local(6, 9), local(6, 10))).status_code == 303
