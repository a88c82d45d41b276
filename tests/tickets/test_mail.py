"""Ticket mail through a real SMTP server: who gets what, in which language, with the deep link."""

from datetime import date, timedelta

import pytest

from app.settings import Settings
from app.tickets import service
from app.tickets.workflow import Event, Status
from tests.support import SmtpServer, link_in, make_user, text_of
from tests.tickets.helpers import fresh, move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


async def test_new_ticket_mails_the_requester_and_every_technician(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    english = await make_user("giulia@sportello.example", is_technician=True, full_name="Giulia Neri", locale="en")
    ticket = await open_ticket(settings, mario)
    await smtp.deliver()
    to_mario = smtp.mailbox.last_to(mario.email)
    assert to_mario["Subject"] == f"Ticket {ticket.code} aperto: Stampa cedolini bloccata"
    assert link_in(to_mario, "/tickets/") == f"/tickets/{ticket.code}"
    assert f"{settings.base_url}/tickets/{ticket.code}" in text_of(to_mario)
    assert "Il pulsante Stampa non risponde." in text_of(to_mario)
    assert smtp.mailbox.last_to(tech.email)["Subject"].startswith(f"Nuovo ticket {ticket.code} da Comune di Valdora")
    assert smtp.mailbox.last_to(english.email)["Subject"].startswith(f"New ticket {ticket.code} from Comune di Valdora")


async def test_team_email_replaces_the_technicians(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    team_settings = settings.model_copy(update={"team_email": "assistenza@sportello.example"})
    await open_ticket(team_settings, mario)
    await smtp.deliver()
    assert smtp.mailbox.to("assistenza@sportello.example") and not smtp.mailbox.to(tech.email)


async def test_public_comments_go_to_the_other_side_and_internal_notes_to_nobody(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE)
    await smtp.deliver()
    before = len(smtp.mailbox.messages)
    await service.add_comment(settings, tech, ticket, "Nota riservata: cliente in ritardo coi pagamenti", internal=True)
    await smtp.deliver()
    assert len(smtp.mailbox.messages) == before
    await service.add_comment(settings, tech, ticket, "Può mandarci uno screenshot?")
    await smtp.deliver()
    reply = smtp.mailbox.last_to(mario.email)
    assert reply["Subject"].startswith(f"Nuovo commento sul ticket {ticket.code}")
    assert "Può mandarci uno screenshot?" in text_of(reply) and "pagamenti" not in text_of(reply)
    await service.add_comment(settings, mario, await fresh(ticket), "Ecco lo screenshot.")
    await smtp.deliver()
    assert "Ecco lo screenshot." in text_of(smtp.mailbox.last_to(tech.email))
    assert all("pagamenti" not in text_of(m) for m in smtp.mailbox.messages)


async def test_status_assignment_and_resolution_mails(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    other = await make_user("giulia@sportello.example", is_technician=True, full_name="Giulia Neri")
    ticket = await open_ticket(settings, mario)
    ticket = await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    await service.assign(settings, tech, ticket, other.id, ticket.version)
    await smtp.deliver()
    assert smtp.mailbox.last_to(mario.email)["Subject"] == f"Ticket {ticket.code}: Attesa supporto"
    assert "Marco Ferri ha cambiato lo stato" in text_of(smtp.mailbox.last_to(mario.email))
    assert smtp.mailbox.last_to(other.email)["Subject"].startswith(f"Ticket {ticket.code} assegnato a te")
    await move(settings, other, ticket, Event.RESOLVE, resolution="Aggiornato il certificato.")
    await smtp.deliver()
    resolved = smtp.mailbox.last_to(mario.email)
    assert resolved["Subject"].startswith(f"Ticket {ticket.code} risolto")
    assert "Aggiornato il certificato." in text_of(resolved) and "Ok, risolto" in text_of(resolved)
    assert link_in(resolved, "/tickets/") == f"/tickets/{ticket.code}"


async def test_requesters_who_opt_out_get_no_mail_about_their_tickets(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    mario.notify_own_tickets = False
    await mario.save()
    ticket = await open_ticket(settings, mario)
    await service.add_comment(settings, tech, ticket, "Risposta")
    await smtp.deliver()
    assert smtp.mailbox.to(mario.email) == [] and smtp.mailbox.to(tech.email)


async def test_colleagues_following_company_tickets_are_told_too(settings: Settings, smtp: SmtpServer) -> None:
    _company, mario, laura, tech = await people()
    laura.notify_company_tickets = True
    await laura.save()
    ticket = await open_ticket(settings, mario)
    await service.add_comment(settings, tech, ticket, "Risposta per il Comune")
    await smtp.deliver()
    assert "Risposta per il Comune" in text_of(smtp.mailbox.last_to(laura.email))


async def test_planning_asks_for_the_agreed_date_and_mails_it_to_the_requester(settings: Settings,
                                                                               smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.START_WORK)
    yesterday = service.local_today() - timedelta(days=1)
    for refused, message in ((None, "Choose the date agreed with the requester."),
                             (yesterday, "The agreed date cannot be in the past.")):
        with pytest.raises(service.TicketError) as error:
            await service.transition(settings, tech, ticket, Event.PLAN, ticket.version, planned_for=refused)
        assert str(error.value) == message
    assert (await fresh(ticket)).status is Status.IN_CORSO
    await smtp.deliver()
    before = len(smtp.mailbox.messages)
    planned = await move(settings, tech, ticket, Event.PLAN, planned_for=date(2099, 12, 9))
    assert planned.status is Status.PIANIFICATO and planned.planned_for == date(2099, 12, 9)
    await smtp.deliver()
    assert len(smtp.mailbox.messages) == before + 1
    assert "intervento il mercoledì 9 dicembre 2099" in text_of(smtp.mailbox.last_to(mario.email))
    resumed = await move(settings, tech, planned, Event.START_WORK)
    assert resumed.status is Status.IN_CORSO and resumed.planned_for is None
