from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from app.contracts import clock, plans
from app.contracts.models import SlaPlan
from app.tickets.models import Ticket
from app.tickets.workflow import Status

# The open tickets get the instants their clocks turn late, computed as the service does from then on. Rows are
# read and written in SQL (the models may have moved on when this runs) and only held in unsaved model objects
# for the clock's arithmetic.
RUNNING = tuple(s.value for s in Status if s not in clock.STOPPED)
TICKETS = ("SELECT id, status, priority, created_at, sla_deadline, taken_at, take_target_hours, resolve_target_hours, "
           "sla_plan_id FROM ticket WHERE status IN ({})".format(", ".join(f"'{s}'" for s in RUNNING)))
PLANS = "SELECT id, work_days, work_hours, closed_on_holidays FROM sla_plan"
EVENTS = ("SELECT ticket_id, created_at, to_status FROM ticket_event WHERE kind IN ('created', 'status') "
          "AND to_status <> '' ORDER BY id")


def _instant(value: Any) -> datetime | None:
    """A timestamp as the driver returns it: a datetime (asyncpg) or ISO text (SQLite)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hours(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _ticket(row: dict[str, Any]) -> Ticket:
    return Ticket(id=row["id"], status=Status(row["status"]), priority=row["priority"],
                  created_at=_instant(row["created_at"]), sla_deadline=_instant(row["sla_deadline"]),
                  taken_at=_instant(row["taken_at"]), take_target_hours=_hours(row["take_target_hours"]),
                  resolve_target_hours=_hours(row["resolve_target_hours"]))


def _literal(moment: datetime | None) -> str:
    # Computed instants, nothing typed by a user; in UTC as the ORM writes them (SQLite compares them as text).
    return "NULL" if moment is None else f"'{moment.astimezone(UTC).isoformat(sep=' ')}'"


async def store_existing_late_instants(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    calendars = {row["id"]: SlaPlan(work_days=row["work_days"], work_hours=row["work_hours"],
                                    closed_on_holidays=bool(row["closed_on_holidays"]))
                 for row in await client.execute_query_dict(PLANS)}
    closures = frozenset(date.fromisoformat(str(row["day"])[:10])
                         for row in await client.execute_query_dict("SELECT day FROM ticket_closure"))
    changes: dict[int, list[clock.Change]] = {}
    for row in await client.execute_query_dict(EVENTS):
        changes.setdefault(row["ticket_id"], []).append((_instant(row["created_at"]), Status(row["to_status"])))
    for row in await client.execute_query_dict(TICKETS):
        cal = plans.calendar_for(calendars.get(row["sla_plan_id"]), closures)
        found = clock.late_at(_ticket(row), changes.get(row["id"], []), cal)
        if found.take is not None or found.resolve is not None:
            await client.execute_script(f"UPDATE ticket SET take_late_at = {_literal(found.take)}, "
                                        f"resolve_late_at = {_literal(found.resolve)} WHERE id = {int(row['id'])}")


class Migration(migrations.Migration):
    dependencies = [('accounts', '0001_initial'), ('accounts', '0002_sessions_and_rate_limits'), ('contracts', '0001_initial'), ('tickets', '0009_sla_plans_and_work_kinds')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Ticket',
            name='resolve_late_at',
            field=fields.DatetimeField(null=True, description='Resolution at risk or breached from this instant', auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='take_late_at',
            field=fields.DatetimeField(null=True, description='Take in charge at risk or breached from this instant', auto_now=False, auto_now_add=False),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['take_late_at']),
        ),
        ops.AddIndex(
            model_name='Ticket',
            index=Index(fields=['resolve_late_at']),
        ),
        ops.RunPython(store_existing_late_instants, reverse_code=ops.RunPython.noop),
    ]
