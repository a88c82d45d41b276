"""Which plan a ticket takes, kept when the plan changes; contract work entries, their refusals and the balance."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.contracts import service as contracts
from app.contracts.models import SlaPlan
from app.contracts.plans import calendar_for
from app.settings import Settings
from app.tickets import service
from app.tickets.choices import Priority
from app.tickets.forms import DetailsForm
from app.tickets.models import Ticket, WorkKind, WorkLog
from app.tickets.sla import add_working_hours
from tests.contracts.helpers import (
    ROUND_THE_CLOCK,
    company_default,
    make_contract,
    make_plan,
)
from tests.support import make_company, make_user
from tests.tickets.helpers import fresh, open_ticket, people

TODAY = service.local_today()


async def test_a_ticket_takes_the_plan_of_its_valid_contract_else_the_company_else_the_portal(
        settings: Settings, db: None) -> None:
    company, mario, _laura, _tech = await people()
    standard = await open_ticket(settings, mario)
    assert standard.sla_plan_id is None and standard.take_target_hours == Decimal(8)
    assert standard.resolve_target_hours == Decimal(40)

    portal = await make_plan("Portale", take=(2, 6, 12), is_portal_default=True)
    assert (await open_ticket(settings, mario)).sla_plan_id == portal.id
    default = await make_plan("Azienda", take=(1, 3, 5))
    await company_default(company, default)
    assert (await open_ticket(settings, mario)).sla_plan_id == default.id
    gold = await make_plan("Oro", take=(0.5, 1, 2), **ROUND_THE_CLOCK)
    await make_contract(company, "Scaduto", starts_on=TODAY - timedelta(days=400), ends_on=TODAY - timedelta(days=1),
                        plan=portal)
    await make_contract(company, "Oro", starts_on=TODAY - timedelta(days=10), ends_on=TODAY + timedelta(days=10),
                        plan=gold)
    ticket = await open_ticket(settings, mario)
    assert ticket.sla_plan_id == gold.id and ticket.take_target_hours == Decimal(1)
    # 24×7: the deadline is one real hour after the opening (the row's creation time is a moment later).
    assert abs(ticket.sla_deadline - ticket.created_at - timedelta(hours=1)) < timedelta(seconds=1)


async def test_a_ticket_keeps_its_targets_when_the_plan_is_edited(settings: Settings, db: None) -> None:
    company, mario, _laura, tech = await people()
    plan = await make_plan("Azienda", take=(1, 3, 5), resolve=(4, 10, 20))
    await company_default(company, plan)
    ticket = await open_ticket(settings, mario)
    deadline = ticket.sla_deadline
    await SlaPlan.filter(id=plan.id).update(take_medium=Decimal(1), resolve_medium=Decimal(2))
    kept = await Ticket.get(id=ticket.id)
    assert (kept.take_target_hours, kept.resolve_target_hours, kept.sla_deadline) == (Decimal(3), Decimal(10), deadline)
    # A new priority takes the plan's targets as the plan is now.
    form = DetailsForm(title=kept.title, ticket_type=kept.ticket_type, priority=Priority.URGENTE,
                       severity=kept.severity)
    await service.update_details(settings, tech, await fresh(kept), form, kept.version)
    changed = await Ticket.get(id=ticket.id).select_related("sla_plan")
    assert (changed.take_target_hours, changed.resolve_target_hours) == (Decimal(1), Decimal(4))
    assert changed.sla_deadline == add_working_hours(calendar_for(changed.sla_plan, frozenset()), ticket.created_at, 1)


async def test_contract_hours_used_and_left_come_from_the_work_log(settings: Settings, db: None) -> None:
    company, mario, _laura, tech = await people()
    contract = await make_contract(company, hours=5)
    ticket = await open_ticket(settings, mario)
    await service.log_work(tech, ticket, TODAY, Decimal("2.5"), "Installazione", WorkKind.CONTRACT, contract.id)
    await service.log_work(tech, ticket, TODAY, Decimal(1), "Fuori contratto", WorkKind.BILLABLE)
    await service.log_work(tech, ticket, TODAY, Decimal("0.25"), "Garanzia", WorkKind.WARRANTY)
    [balance] = await contracts.balances(company.id)
    assert (balance.used, balance.left, balance.overrun) == (Decimal("2.50"), Decimal("2.50"), False)
    # The contract may go negative: the hours were worked, and the overrun shows.
    await service.log_work(tech, ticket, TODAY, Decimal(4), "Migrazione", WorkKind.CONTRACT, contract.id)
    [balance] = await contracts.balances(company.id)
    assert (balance.used, balance.left, balance.overrun) == (Decimal("6.50"), Decimal("-1.50"), True)
    kinds = await WorkLog.filter(ticket_id=ticket.id).order_by("id").values_list("kind", "contract_id")
    assert kinds == [(WorkKind.CONTRACT, contract.id), (WorkKind.BILLABLE, None), (WorkKind.WARRANTY, None),
                     (WorkKind.CONTRACT, contract.id)]


@pytest.mark.parametrize("case", ["expired", "not_started", "other_company", "missing", "not_contract_kind",
                                  "no_company"])
async def test_contract_entries_that_cannot_draw_on_the_contract_are_refused(
        settings: Settings, db: None, case: str) -> None:
    company, mario, _laura, tech = await people()
    other = await make_company("Altra Srl")
    contract = await make_contract(company, starts_on=TODAY - timedelta(days=30), ends_on=TODAY - timedelta(days=1))
    day, chosen, kind = TODAY, contract.id, WorkKind.CONTRACT
    requester = mario
    if case == "not_started":
        day = TODAY - timedelta(days=31)
    elif case == "other_company":
        chosen, day = (await make_contract(other)).id, date(2026, 6, 1)
    elif case == "missing":
        chosen = None
    elif case == "not_contract_kind":
        kind, day = WorkKind.BILLABLE, TODAY - timedelta(days=2)
    elif case == "no_company":
        requester = await make_user("solo@privato.example", is_requester=True)
    ticket = await open_ticket(settings, requester)
    messages = {"expired": "not valid on the day", "not_started": "not valid on the day",
                "other_company": "not one of the ticket's company", "missing": "Choose the contract",
                "not_contract_kind": "Only a contract entry", "no_company": "not one of the ticket's company"}
    with pytest.raises(service.TicketError, match=messages[case]):
        await service.log_work(tech, ticket, day, Decimal(1), "", kind, chosen)
    assert await WorkLog.all().count() == 0


async def test_a_contract_entry_within_the_validity_of_a_past_day_is_accepted(settings: Settings, db: None) -> None:
    company, mario, _laura, tech = await people()
    contract = await make_contract(company, starts_on=TODAY - timedelta(days=30), ends_on=TODAY - timedelta(days=1))
    ticket = await open_ticket(settings, mario)
    entry = await service.log_work(tech, ticket, TODAY - timedelta(days=2), Decimal(1), "", WorkKind.CONTRACT,
                                   contract.id)
    assert entry.contract_id == contract.id
