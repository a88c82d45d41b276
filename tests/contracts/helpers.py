"""Factories of the contracts tests."""

from datetime import date
from decimal import Decimal

from app.accounts.models import Company
from app.contracts.models import CompanyPlan, ServiceContract, SlaPlan

OFFICE = {"work_days": "0,1,2,3,4", "work_hours": "09:00-13:00,14:00-18:00", "closed_on_holidays": True}
ROUND_THE_CLOCK = {"work_days": "0,1,2,3,4,5,6", "work_hours": "00:00-00:00", "closed_on_holidays": False}


def plan_values(take: tuple[float, float, float] = (4, 8, 16), resolve: tuple[float, float, float] = (16, 40, 80),
                **calendar: object) -> dict[str, object]:
    values: dict[str, object] = {**OFFICE, **calendar}
    for prefix, hours in (("take", take), ("resolve", resolve)):
        for suffix, value in zip(("urgent", "medium", "low"), hours, strict=True):
            values[f"{prefix}_{suffix}"] = Decimal(str(value))
    return values


async def make_plan(name: str, **values: object) -> SlaPlan:
    return await SlaPlan.create(name=name, **plan_values(**values))  # type: ignore[arg-type]


async def make_contract(company: Company, name: str = "Assistenza 2026", hours: float = 10,
                        starts_on: date = date(2026, 1, 1), ends_on: date = date(2026, 12, 31),
                        plan: SlaPlan | None = None) -> ServiceContract:
    return await ServiceContract.create(company=company, name=name, starts_on=starts_on, ends_on=ends_on,
                                        hours_bought=Decimal(str(hours)), plan=plan)


async def company_default(company: Company, plan: SlaPlan) -> None:
    await CompanyPlan.create(company=company, plan=plan)
