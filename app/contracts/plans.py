"""Which SLA plan a ticket gets, and a plan as targets and a business calendar.

A ticket takes its plan when it opens: a contract of its company valid that day with a plan, else the company's
default plan, else the portal's default plan, else the built-in standard (the portal's targets before plans:
4/8/16 working hours to take in charge, office hours 9-13 and 14-18 Monday to Friday, Italian holidays and
closure days off).
"""

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from tortoise.expressions import Q

from app.cache import Shared
from app.contracts.models import CompanyPlan, ServiceContract, SlaPlan
from app.i18n import N_
from app.tickets.choices import Priority
from app.tickets.models import Closure, Ticket
from app.tickets.sla import ALL_DAY, SLA_TARGET_HOURS, BusinessCalendar

# Resolution targets of the built-in standard: 2, 5 and 10 office days.
STANDARD_RESOLVE_HOURS: dict[Priority, float] = {Priority.URGENTE: 16.0, Priority.MEDIA: 40.0,
                                                 Priority.NON_URGENTE: 80.0}
TAKE_FIELDS = {Priority.URGENTE: "take_urgent", Priority.MEDIA: "take_medium", Priority.NON_URGENTE: "take_low"}
RESOLVE_FIELDS = {Priority.URGENTE: "resolve_urgent", Priority.MEDIA: "resolve_medium",
                  Priority.NON_URGENTE: "resolve_low"}
INTERVAL = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])")


class PlanError(ValueError):
    """A plan or contract the rules refuse; the message is an English msgid shown translated."""


BAD_HOURS = N_("Working hours: write intervals like 09:00-13:00, 14:00-18:00 in order, or 00:00-00:00 for the "
               "whole day.")


def parse_work_days(text: str) -> frozenset[int]:
    """"0,1,2,3,4" (Monday = 0) as weekday numbers."""
    days = {int(part) for part in text.split(",") if part.strip().isdigit() and len(part.strip()) == 1}
    return frozenset(d for d in days if d < 7)


def parse_work_hours(text: str) -> tuple[tuple[time, time], ...]:
    """"09:00-13:00,14:00-18:00" as intervals; PlanError when they are not ordered and apart."""
    intervals = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        match = INTERVAL.fullmatch(part)
        if match is None:
            raise PlanError(BAD_HOURS)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        intervals.append((time(h1, m1), time(h2, m2)))
    if not intervals:
        raise PlanError(BAD_HOURS)
    try:
        BusinessCalendar(hours=tuple(intervals))
    except ValueError:
        raise PlanError(BAD_HOURS) from None
    return tuple(intervals)


def hours_text(hours: tuple[tuple[time, time], ...]) -> str:
    return ",".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in hours)


def is_round_the_clock(plan: SlaPlan | None) -> bool:
    return plan is not None and parse_work_hours(plan.work_hours) == ALL_DAY and len(parse_work_days(plan.work_days)) == 7


def calendar_for(plan: SlaPlan | None, closures: frozenset[date]) -> BusinessCalendar:
    """The plan's calendar; None is the built-in standard (office hours, holidays and closures off)."""
    if plan is None:
        return BusinessCalendar(closures=closures)
    off = plan.closed_on_holidays
    return BusinessCalendar(work_days=parse_work_days(plan.work_days), hours=parse_work_hours(plan.work_hours),
                            closures=closures if off else frozenset(), holiday_country="IT" if off else None)


async def _closure_days() -> frozenset[date]:
    return frozenset(await Closure.all().values_list("day", flat=True))


async def _plans_by_id() -> dict[int, SlaPlan]:
    return {p.id: p for p in await SlaPlan.all()}


closures = Shared("closure-days", _closure_days, Closure)
sla_plans = Shared("sla-plans", _plans_by_id, SlaPlan)


async def closure_days() -> frozenset[date]:
    return await closures.get()


@dataclass(frozen=True)
class Targets:
    """Working hours to take in charge and to resolve."""

    take: Decimal
    resolve: Decimal


def plan_targets(plan: SlaPlan | None, priority: Priority) -> Targets:
    if plan is None:
        return Targets(Decimal(str(SLA_TARGET_HOURS[priority])), Decimal(str(STANDARD_RESOLVE_HOURS[priority])))
    return Targets(Decimal(getattr(plan, TAKE_FIELDS[priority])), Decimal(getattr(plan, RESOLVE_FIELDS[priority])))


def ticket_targets(ticket: Ticket) -> Targets:
    """The targets the ticket was given when it opened (or the built-in ones of its priority, before plans)."""
    builtin = plan_targets(None, ticket.priority)
    return Targets(Decimal(ticket.take_target_hours) if ticket.take_target_hours is not None else builtin.take,
                   Decimal(ticket.resolve_target_hours) if ticket.resolve_target_hours is not None
                   else builtin.resolve)


def valid_on(day: date) -> Q:
    return Q(starts_on__lte=day, ends_on__gte=day)


async def plan_for(company_id: int | None, day: date) -> SlaPlan | None:
    """The plan of a ticket of `company_id` opened on `day` (None: the built-in standard)."""
    if company_id is not None:
        contract = await ServiceContract.filter(valid_on(day), company_id=company_id, plan_id__not_isnull=True) \
            .order_by("-starts_on", "-id").select_related("plan").first()
        if contract is not None:
            return contract.plan
        default = await CompanyPlan.get_or_none(company_id=company_id).select_related("plan")
        if default is not None:
            return default.plan
    return await SlaPlan.get_or_none(is_portal_default=True)


