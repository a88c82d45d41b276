"""The escalation job: through the real outbox and a real SMTP server, one warning and one breach mail per target,
to the technicians while the ticket is unassigned and to the assignee once it is; never twice."""

from datetime import timedelta

from app.contracts.escalation import _alert, escalate
from app.contracts.models import AlertStage, SlaAlert, SlaTarget
from app.mail.models import OutgoingMail
from app.settings import Settings
from app.tickets import service
from app.tickets.models import Ticket
from app.tickets.sla import SlaState, SlaStatus
from app.tickets.workflow import Event
from tests.contracts.helpers import ROUND_THE_CLOCK, company_default, make_plan
from tests.support import SmtpServer, make_user
from tests.tickets.helpers import fresh, move, open_ticket, people


async def _subjects(smtp: SmtpServer, address: str) -> list[str]:
    await smtp.deliver()
    return [str(m["Subject"]) for m in smtp.mailbox.to(address)]


async def test_each_target_warns_once_and_breaks_once(settings: Settings, db: None, smtp: SmtpServer) -> None:
    company, mario, _laura, tech = await people()
    other_tech = await make_user("tecnica2@sportello.example", is_technician=True, full_name="Giulia Neri")
    await company_default(company, await make_plan("H24", take=(2, 2, 2), resolve=(4, 4, 4), **ROUND_THE_CLOCK))
    ticket = await open_ticket(settings, mario)
    await smtp.deliver()
    smtp.mailbox.messages.clear()  # the opening's own mails
    opened = ticket.created_at

    assert await escalate(settings, opened + timedelta(minutes=30)) == 0  # 90 minutes left: more than the 60
    assert await escalate(settings, opened + timedelta(minutes=70)) == 1  # take in charge: 50 minutes left
    assert await escalate(settings, opened + timedelta(minutes=80)) == 0  # already warned
    assert await escalate(settings, opened + timedelta(minutes=121)) == 1  # take in charge breached
    assert await escalate(settings, opened + timedelta(minutes=122)) == 0
    for address in (tech.email, other_tech.email):  # unassigned: every technician hears
        subjects = await _subjects(smtp, address)
        assert len(subjects) == 2, subjects
        assert subjects[0].startswith(f"SLA a rischio su {ticket.code} (Presa in carico)")
        assert subjects[1].startswith(f"SLA scaduto su {ticket.code} (Presa in carico)")

    await service.assign(settings, tech, await fresh(ticket), other_tech.id, (await fresh(ticket)).version)
    smtp.mailbox.messages.clear()
    await smtp.deliver()
    smtp.mailbox.messages.clear()
    assert await escalate(settings, opened + timedelta(minutes=190)) == 1  # resolution: 50 minutes left
    assert await escalate(settings, opened + timedelta(minutes=241)) == 1  # resolution breached
    assert await escalate(settings, opened + timedelta(hours=5)) == 0
    assert await _subjects(smtp, tech.email) == []
    subjects = await _subjects(smtp, other_tech.email)
    assert [s.split(":")[0] for s in subjects] == [f"SLA a rischio su {ticket.code} (Risoluzione)",
                                                   f"SLA scaduto su {ticket.code} (Risoluzione)"]
    assert await SlaAlert.filter(ticket_id=ticket.id).count() == 4


async def test_a_ticket_first_seen_breached_gets_the_breach_mail_only(settings: Settings, db: None,
                                                                     smtp: SmtpServer) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    assert await escalate(settings, ticket.sla_deadline + timedelta(minutes=1)) == 1
    stages = await SlaAlert.filter(ticket_id=ticket.id).values_list("target", "stage")
    assert stages == [(SlaTarget.TAKE, AlertStage.BREACH)]
    assert await OutgoingMail.filter(template="sla_warning").count() == 0
    assert await OutgoingMail.filter(template="sla_breach", recipient=tech.email).count() == 1


async def test_a_second_process_finds_the_marker_and_sends_nothing(settings: Settings, db: None) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await Ticket.get(id=(await open_ticket(settings, mario)).id)
    state = SlaState(SlaStatus.BREACHED, -timedelta(minutes=5))
    before = await OutgoingMail.all().count()
    assert await _alert(settings, ticket, SlaTarget.TAKE, AlertStage.BREACH, state)
    # Another process that read before the first committed: the unique marker refuses it, its mail rolls back.
    assert not await _alert(settings, ticket, SlaTarget.TAKE, AlertStage.BREACH, state)
    assert await OutgoingMail.all().count() == before + 1
    assert (await OutgoingMail.all().order_by("-id").first()).recipient == tech.email  # type: ignore[union-attr]


async def test_taking_in_charge_and_resolving_end_the_alerts(settings: Settings, db: None) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Fatto.")
    assert await escalate(settings, ticket.created_at + timedelta(days=60)) == 0
