"""The admin forms of SLA plans and service contracts, and the log-work form's contract fields."""

from pydantic import Field

from app.contracts.models import ServiceContract, SlaPlan
from app.forms import (
    Checkbox,
    ColumnText,
    FormModel,
    OptionalDate,
    OptionalHours,
    OptionalId,
    Text,
)
from app.i18n import N_

TargetHours = OptionalHours


class PlanForm(FormModel):
    name: ColumnText(SlaPlan, "name") = Field("", title=N_("Name"))
    take_urgent: TargetHours = Field(None, title=N_("Take in charge, urgent"), le=9999)
    take_medium: TargetHours = Field(None, title=N_("Take in charge, medium"), le=9999)
    take_low: TargetHours = Field(None, title=N_("Take in charge, not urgent"), le=9999)
    resolve_urgent: TargetHours = Field(None, title=N_("Resolution, urgent"), le=9999)
    resolve_medium: TargetHours = Field(None, title=N_("Resolution, medium"), le=9999)
    resolve_low: TargetHours = Field(None, title=N_("Resolution, not urgent"), le=9999)
    work_days: list[Text(1)] = Field(default_factory=list, title=N_("Working days"))
    work_hours: ColumnText(SlaPlan, "work_hours") = Field("", title=N_("Working hours"))
    closed_on_holidays: Checkbox = False
    is_portal_default: Checkbox = False


class CompanyPlanForm(FormModel):
    company: OptionalId = Field(None, title=N_("Company"))
    plan: OptionalId = Field(None, title=N_("SLA plan"))


class ContractForm(FormModel):
    company: OptionalId = Field(None, title=N_("Company"))
    name: ColumnText(ServiceContract, "name") = Field("", title=N_("Name"))
    number: ColumnText(ServiceContract, "number") = Field("", title=N_("Number"))
    starts_on: OptionalDate = Field(None, title=N_("Valid from"))
    ends_on: OptionalDate = Field(None, title=N_("Valid until"))
    hours_bought: OptionalHours = Field(None, title=N_("Hours bought"), le=999_999)
    plan: OptionalId = Field(None, title=N_("SLA plan"))
