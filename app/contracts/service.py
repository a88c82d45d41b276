"""Service contracts and SLA plans: the rules of the work log's contract entries, balances, and the admin edits.

Balances are computed from the work log, never stored. A contract may go negative: the hours were worked, so
refusing to record them would lose what the account manager needs to bill the overrun or renew; the pages show
an overrun in its own colour and words.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q, RawSQL
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from app.accounts.models import Company, User
from app.audit import service as audit
from app.contracts import clock, plans
from app.contracts.models import CompanyPlan, ServiceContract, SlaPlan
from app.contracts.plans import (
    PlanError,
    hours_text,
    parse_work_days,
    parse_work_hours,
    plan_targets,
    valid_on,
)
from app.i18n import N_
from app.reads import STAND_INS, Prepared
from app.tickets.choices import Priority
from app.tickets.models import WorkLog


class ContractError(PlanError):
    """A work entry or contract the rules refuse; the message is an English msgid shown translated."""


# ---- balances ----

@dataclass(frozen=True)
class Balance:
    contract: ServiceContract
    used: Decimal

    @property
    def left(self) -> Decimal:
        return Decimal(self.contract.hours_bought) - self.used

    @property
    def overrun(self) -> bool:
        return self.left < 0

    def valid_on(self, day: date) -> bool:
        return self.contract.starts_on <= day <= self.contract.ends_on

    def targets(self) -> list[tuple[Priority, Any]]:
        """(priority, Targets) of the contract's plan, or of the built-in standard when it has none."""
        return [(priority, plan_targets(self.contract.plan, priority)) for priority in Priority]


async def balances(company_id: int | None = None) -> list[Balance]:
    """A company's contracts (every company's without one), newest first, with the hours drawn on each: one
    query, however many contracts."""
    rows = await (_COMPANY_BALANCES.rows(company_id) if company_id is not None else _balances(ServiceContract.all()))
    return [Balance(row, _hundredths(row.used)) for row in rows]  # type: ignore[attr-defined]


def _balances(contracts: QuerySet[ServiceContract]) -> QuerySet[ServiceContract]:
    return contracts.annotate(used=USED_HOURS).select_related("plan", "company").order_by(
        "company__name", "-starts_on", "-id")


# A subquery rather than a join with GROUP BY: PostgreSQL refuses the joined company's and plan's columns then.
USED_HOURS = RawSQL(f'(SELECT COALESCE(SUM("hours"), 0) FROM "{WorkLog._meta.db_table}" '
                    f'WHERE "contract_id" = "{ServiceContract._meta.db_table}"."id")')


# Every staff ticket page shows its company's (app/reads.py).
_COMPANY_BALANCES = Prepared(ServiceContract, lambda company: _balances(ServiceContract.filter(company_id=company)),
                             STAND_INS[0])


def _hundredths(value: object) -> Decimal:
    """SQLite sums the DECIMAL text as a float; two decimals are what a work entry holds."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


async def check_work_entry(company_id: int | None, is_contract: bool, contract_id: int | None,
                           day: date) -> ServiceContract | None:
    """The contract a work entry draws on: a contract entry needs one of the ticket's company, valid on the day
    the work was done; other kinds draw on none."""
    if not is_contract:
        if contract_id is not None:
            raise ContractError(N_("Only a contract entry draws on a contract: choose the kind Contract."))
        return None
    if contract_id is None:
        raise ContractError(N_("Choose the contract this work draws on."))
    contract = await ServiceContract.get_or_none(id=contract_id)
    if contract is None or company_id is None or contract.company_id != company_id:
        raise ContractError(N_("This contract is not one of the ticket's company: choose one of its contracts."))
    if not contract.starts_on <= day <= contract.ends_on:
        raise ContractError(N_("This contract is not valid on the day of the work (expired or not started yet): "
                               "choose a contract valid that day or another kind."))
    return contract


async def valid_contracts(company_id: int | None, day: date) -> list[ServiceContract]:
    """What the log-work form offers: the company's contracts valid on `day`."""
    if company_id is None:
        return []
    return await ServiceContract.filter(valid_on(day), company_id=company_id).order_by("ends_on", "id")


# ---- admin: plans ----

@dataclass(frozen=True)
class PlanInput:
    name: str
    take: dict[Priority, Decimal]
    resolve: dict[Priority, Decimal]
    work_days: Sequence[int]
    work_hours: str
    closed_on_holidays: bool
    is_portal_default: bool


def _plan_values(data: PlanInput) -> dict[str, Any]:
    if not data.name:
        raise PlanError(N_("Give the plan a name."))
    days = parse_work_days(",".join(str(d) for d in data.work_days))
    if not days:
        raise PlanError(N_("Choose at least one working day."))
    hours = parse_work_hours(data.work_hours)
    values: dict[str, Any] = {"name": data.name, "work_days": ",".join(str(d) for d in sorted(days)),
                              "work_hours": hours_text(hours),
                              "closed_on_holidays": data.closed_on_holidays,
                              "is_portal_default": data.is_portal_default}
    for priority, field_name in (("urgent", Priority.URGENTE), ("medium", Priority.MEDIA),
                                 ("low", Priority.NON_URGENTE)):
        take, resolve = data.take.get(field_name), data.resolve.get(field_name)
        if take is None or resolve is None or not 0 < take <= 9999 or not 0 < resolve <= 9999:
            raise PlanError(N_("Every target is a number of working hours, more than 0 and at most 9999."))
        if resolve < take:
            raise PlanError(N_("A resolution target cannot be shorter than the take-in-charge target."))
        values[f"take_{priority}"], values[f"resolve_{priority}"] = take, resolve
    return values


async def save_plan(admin: User, plan: SlaPlan | None, data: PlanInput) -> SlaPlan:
    """Create or edit a plan. Tickets keep the targets they were given when they opened."""
    values = _plan_values(data)
    if await SlaPlan.filter(name__iexact=data.name).exclude(id=plan.id if plan else 0).exists():
        raise PlanError(N_("Another plan has this name."))
    target = plan or SlaPlan()
    before = _audited(target) if plan else {}
    async with in_transaction():
        if data.is_portal_default:  # one portal default at a time
            await SlaPlan.filter(is_portal_default=True).exclude(id=target.id or 0).update(is_portal_default=False)
        target.update_from_dict(values)
        await target.save()
        changed = audit.changed_fields(before, _audited(target))
        await audit.record(admin, "sla_plan.update" if plan else "sla_plan.create", f"sla_plan:{target.id}",
                           target.name, changed=changed)
        if plan is not None and CALENDAR_FIELDS & set(changed):  # its tickets' clocks run on the new calendar
            await clock.store_late_instants_where(Q(sla_plan_id=target.id))
    await plans.sla_plans.changed()  # the bulk update sends no signal, and the save's came before the commit
    return target


CALENDAR_FIELDS = frozenset({"work_days", "work_hours", "closed_on_holidays"})


def _audited(row: SlaPlan | ServiceContract) -> dict[str, object]:
    values = {name: getattr(row, name) for name in row._meta.db_fields if name not in ("created_at", "updated_at")}
    return {k: v if v is None or isinstance(v, bool | int | str) else str(v) for k, v in values.items()}


async def set_company_plan(admin: User, company_id: int, plan_id: int | None) -> None:
    """The company's default plan; None: the portal's default again."""
    company = await Company.get_or_none(id=company_id)
    plan = await SlaPlan.get_or_none(id=plan_id) if plan_id is not None else None
    if company is None or (plan_id is not None and plan is None):
        raise PlanError(N_("Choose a company and a plan from the lists."))
    async with in_transaction():
        await CompanyPlan.filter(company_id=company.id).delete()
        if plan is not None:
            await CompanyPlan.create(company_id=company.id, plan_id=plan.id)
        await audit.record(admin, "company.sla_plan", f"company:{company.id}", company.name,
                           plan=plan.name if plan else None)


# ---- admin: contracts ----

@dataclass(frozen=True)
class ContractInput:
    company_id: int | None
    name: str
    number: str
    starts_on: date | None
    ends_on: date | None
    hours_bought: Decimal | None
    plan_id: int | None


async def save_contract(admin: User, contract: ServiceContract | None, data: ContractInput) -> ServiceContract:
    if data.company_id is None or not await Company.exists(id=data.company_id):
        raise ContractError(N_("Choose the company from the list."))
    if not data.name:
        raise ContractError(N_("Give the contract a name."))
    if data.starts_on is None or data.ends_on is None:
        raise ContractError(N_("Give the contract's first and last day of validity."))
    if data.ends_on < data.starts_on:
        raise ContractError(N_("The contract cannot end before it starts."))
    if data.hours_bought is None or not 0 <= data.hours_bought <= 999_999:
        raise ContractError(N_("Hours bought: a number from 0 to 999999."))
    if data.plan_id is not None and not await SlaPlan.exists(id=data.plan_id):
        raise ContractError(N_("Choose the SLA plan from the list."))
    if contract is not None and contract.company_id != data.company_id \
            and await contract.work_logs.all().exists():  # type: ignore[attr-defined]
        raise ContractError(N_("Work was already logged on this contract: it stays with its company."))
    target = contract or ServiceContract()
    before = _audited(target) if contract else {}
    target.update_from_dict({"company_id": data.company_id, "name": data.name, "number": data.number,
                             "starts_on": data.starts_on, "ends_on": data.ends_on,
                             "hours_bought": data.hours_bought.quantize(Decimal("0.01")), "plan_id": data.plan_id})
    async with in_transaction():
        await target.save()
        await audit.record(admin, "contract.update" if contract else "contract.create", f"contract:{target.id}",
                           target.name, changed=audit.changed_fields(before, _audited(target)))
    return target
