"""The escalation job: a mail to the assignee (the technicians when there is none) once per target before it
breaks (SLA_WARNING_MINUTES of working time before) and once when it breaks.

Each mail is queued in the transaction that writes its marker (SlaAlert, unique per ticket, target and stage):
a second run, a restart or another process meets the unique marker, its transaction rolls back, and nothing
is sent twice. A ticket first seen already breached gets the breach mail only.
"""

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.contracts import clock, plans
from app.contracts.models import AlertStage, SlaAlert, SlaTarget
from app.settings import Settings
from app.tickets import notify
from app.tickets.detail import duration
from app.tickets.models import Ticket
from app.tickets.service import now_utc
from app.tickets.sla import AT_RISK_FLOOR, SlaState, SlaStatus
from app.tickets.workflow import OPEN_STATUSES

RUNNING = frozenset({SlaStatus.RUNNING, SlaStatus.AT_RISK})


def due_stage(state: SlaState, running: bool, warn_before: timedelta) -> AlertStage | None:
    """Which mail a target's state calls for, if its clock still runs."""
    if not running:
        return None
    if state.status is SlaStatus.BREACHED:
        return AlertStage.BREACH
    if state.status in RUNNING and state.remaining is not None and state.remaining <= warn_before:
        return AlertStage.WARNING
    return None


async def escalate(settings: Settings, now: datetime | None = None) -> int:
    """Queue the mails due now; returns how many alerts were written."""
    moment = now or now_utc()
    warn_before = timedelta(minutes=settings.sla_warning_minutes)
    tickets = await Ticket.filter(may_alert(moment, warn_before), status__in=list(OPEN_STATUSES)) \
        .select_related("sla_plan")
    if not tickets:
        return 0
    done = set(await SlaAlert.filter(ticket_id__in=[t.id for t in tickets]).values_list("ticket_id", "target", "stage"))
    changes = await clock.changes_by_ticket([t.id for t in tickets])
    closures = await plans.closure_days()
    written = 0
    for ticket in tickets:
        state = clock.clocks(ticket, changes[ticket.id], plans.calendar_for(ticket.sla_plan, closures), moment)
        take_runs, resolve_runs = clock.running(ticket)
        for target, target_state, runs in ((SlaTarget.TAKE, state.take, take_runs),
                                           (SlaTarget.RESOLVE, state.resolve, resolve_runs)):
            stage = due_stage(target_state, runs, warn_before)
            if stage is not None and (ticket.id, target.value, stage.value) not in done \
                    and await _alert(settings, ticket, target, stage, target_state):
                written += 1
    return written


def may_alert(now: datetime, warn_before: timedelta) -> Q:
    """The tickets a mail may be due for: the late ones (a breach is late, and so is a warning when it comes with
    less time left than the risk margin's floor); every open one for a longer warning."""
    return clock.late_by(now) if warn_before < AT_RISK_FLOOR else Q()


async def _alert(settings: Settings, ticket: Ticket, target: SlaTarget, stage: AlertStage, state: SlaState) -> bool:
    try:
        async with in_transaction():
            await SlaAlert.create(ticket_id=ticket.id, target=target, stage=stage)
            await notify.send(settings, f"sla_{stage.value}", await notify.staff_side(settings, ticket), ticket,
                              {"target": target, "state": state, "duration": duration})
    except IntegrityError:  # another run wrote this marker first: its mails are queued
        return False
    return True
