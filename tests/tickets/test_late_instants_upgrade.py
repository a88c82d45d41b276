"""The upgrade that stores when tickets turn late: the open tickets an older release left get the instants the
service would store, on their plan's calendar and the closure days (the real migrations, SQLite or PostgreSQL)."""

from tortoise import connections

from app.contracts import clock, plans
from app.settings import Settings
from app.tickets.models import Ticket
from tests.contracts.helpers import ROUND_THE_CLOCK, make_plan
from tests.tickets.helpers import people
from tests.tickets.test_attachment_text_upgrade import (  # noqa: F401
    connected, insert_old_ticket, migrate_others, migrate_to, own_database,
)

BEFORE = "tickets.0009_sla_plans_and_work_kinds"


async def _history(ticket_id: int, *entries: tuple[str, str]) -> None:
    for status, at in entries:
        await connections.get("default").execute_script(
            "INSERT INTO ticket_event (ticket_id, kind, from_status, to_status, detail, created_at) VALUES "
            f"({ticket_id}, '{'created' if status == 'aperto' else 'status'}', '', '{status}', '', '{at}')")


async def test_the_upgrade_stores_the_instants_of_the_open_tickets(own_database: Settings) -> None:  # noqa: F811
    settings = own_database
    await migrate_others(settings)
    await migrate_to(settings, BEFORE)
    async with connected(settings):
        _company, mario, _laura, _tech = await people()
        await connections.get("default").execute_script("INSERT INTO ticket_closure (day, reason) "
                                                        "VALUES ('2026-01-07', 'Inventario')")
        new = await insert_old_ticket(mario)  # Aperto since 2026-01-05 08:00 UTC
        await _history(new, ("aperto", "2026-01-05 08:00:00+00:00"))
        waiting = await insert_old_ticket(mario)  # paused after its 40 hours: late while it waits
        await _history(waiting, ("aperto", "2026-01-05 08:00:00+00:00"),
                       ("attesa_supporto", "2026-01-05 09:00:00+00:00"),
                       ("attesa_cliente", "2026-01-19 09:00:00+00:00"))  # breached by then
        planned = await insert_old_ticket(mario)
        await _history(planned, ("aperto", "2026-01-05 08:00:00+00:00"),
                       ("attesa_supporto", "2026-01-05 08:30:00+00:00"))
        closed = await insert_old_ticket(mario)
        await _history(closed, ("aperto", "2026-01-05 08:00:00+00:00"), ("chiuso", "2026-01-06 08:00:00+00:00"))
        plan = await make_plan("H24", **ROUND_THE_CLOCK)
        await connections.get("default").execute_script(
            f"UPDATE ticket SET status = 'attesa_cliente', taken_at = '2026-01-05 09:00:00+00:00' WHERE id = {waiting};"
            f"UPDATE ticket SET status = 'attesa_supporto', taken_at = '2026-01-05 08:30:00+00:00', "
            f"sla_plan_id = {plan.id}, take_target_hours = 8, resolve_target_hours = 400 WHERE id = {planned};"
            f"UPDATE ticket SET status = 'chiuso' WHERE id = {closed}")
    await migrate_to(settings)

    async with connected(settings):
        tickets = {t.id: t for t in await Ticket.all().select_related("sla_plan")}
        changes = await clock.changes_by_ticket(list(tickets))
        closures = await plans.closure_days()
        expected = {i: clock.late_at(t, changes[i], plans.calendar_for(t.sla_plan, closures))
                    for i, t in tickets.items()}
    assert {i: clock.LateAt(t.take_late_at, t.resolve_late_at) for i, t in tickets.items()} == expected
    assert expected[new].take is not None and expected[new].resolve is not None
    assert expected[waiting].take is None and expected[waiting].resolve is not None
    assert expected[planned].take is None and expected[planned].resolve is not None  # 24×7: far later than the others
    assert expected[planned].resolve > expected[new].resolve  # type: ignore[operator]
    assert expected[closed] == clock.LateAt(None, None)
