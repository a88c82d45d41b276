"""Demo SLA plans and service contracts: an office plan with shorter targets on the Comune's contract, 24×7 on the
Studio's. Loading again changes nothing."""

from datetime import date
from decimal import Decimal

from app.accounts.models import Company
from app.contracts.models import ServiceContract, SlaPlan

PLANS: dict[str, dict[str, object]] = {
    "Ufficio Plus": {"take_urgent": 2, "take_medium": 4, "take_low": 8, "resolve_urgent": 8, "resolve_medium": 24,
                     "resolve_low": 40},
    "Presidio 24×7": {"take_urgent": 1, "take_medium": 4, "take_low": 12, "resolve_urgent": 8, "resolve_medium": 48,
                      "resolve_low": 96, "work_days": "0,1,2,3,4,5,6", "work_hours": "00:00-00:00",
                      "closed_on_holidays": False},
}
CONTRACTS = [
    ("Comune di Valdora", "Assistenza paghe 2026", "CT-2026-014", date(2026, 1, 1), date(2026, 12, 31), 40,
     "Ufficio Plus"),
    ("Studio Paghe Bellini Srl", "Presidio elaborazione cedolini", "CT-2026-031", date(2026, 3, 1),
     date(2027, 2, 28), 12, "Presidio 24×7"),
]


async def load_demo_contracts() -> None:
    plans = {}
    for name, values in PLANS.items():
        plans[name], _created = await SlaPlan.get_or_create(
            name=name, defaults={k: Decimal(v) if type(v) is int else v for k, v in values.items()})
    for company_name, name, number, start, end, hours, plan in CONTRACTS:
        company = await Company.get_or_none(name=company_name)
        if company is not None:
            await ServiceContract.get_or_create(company=company, number=number, defaults={
                "name": name, "starts_on": start, "ends_on": end, "hours_bought": Decimal(hours),
                "plan": plans[plan]})
