"""SLA plans (targets per priority and a business calendar), service contracts, and the escalation markers."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.tickets.choices import LabelledStrEnum, attach_labels

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.accounts.models import Company
    from app.tickets.models import Ticket


def _hours_field(description: str) -> fields.DecimalField:
    return fields.DecimalField(max_digits=6, decimal_places=2, description=description)


class SlaPlan(Model):
    """Targets in working hours per priority, counted on the plan's calendar (Europe/Rome wall clock)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    take_urgent = _hours_field("Take in charge within, Urgente")
    take_medium = _hours_field("Take in charge within, Media")
    take_low = _hours_field("Take in charge within, Non urgente")
    resolve_urgent = _hours_field("Resolve within, Urgente")
    resolve_medium = _hours_field("Resolve within, Media")
    resolve_low = _hours_field("Resolve within, Non urgente")
    work_days = fields.CharField(max_length=20, default="0,1,2,3,4", description="date.weekday() numbers, Monday = 0")
    work_hours = fields.CharField(max_length=200, default="09:00-13:00,14:00-18:00",
                                  description="HH:MM-HH:MM intervals, 00:00-00:00 is the whole day")
    closed_on_holidays = fields.BooleanField(default=True, description="Italian public holidays and closure days")
    is_portal_default = fields.BooleanField(default=False, description="Applies when no contract or company plan does")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "sla_plan"
        ordering = ["name"]


class CompanyPlan(Model):
    """A company's default plan, for its tickets that no valid contract covers."""

    id = fields.IntField(primary_key=True)
    company: fields.OneToOneRelation["Company"] = fields.OneToOneField(
        "accounts.Company", related_name="default_plan", on_delete=fields.CASCADE
    )
    plan: fields.ForeignKeyRelation[SlaPlan] = fields.ForeignKeyField(
        "contracts.SlaPlan", related_name="company_defaults", on_delete=fields.CASCADE
    )

    company_id: int
    plan_id: int

    class Meta:
        table = "sla_company_plan"


class ServiceContract(Model):
    """Hours bought by a company for a period ("Servizi a contratto"), which work log entries draw on."""

    id = fields.IntField(primary_key=True)
    company: fields.ForeignKeyRelation["Company"] = fields.ForeignKeyField(
        "accounts.Company", related_name="service_contracts", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=200)
    number = fields.CharField(max_length=50, default="", description="The contract's number on paper")
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    hours_bought = fields.DecimalField(max_digits=8, decimal_places=2)
    plan: fields.ForeignKeyNullableRelation[SlaPlan] = fields.ForeignKeyField(
        "contracts.SlaPlan", related_name="contracts", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    company_id: int
    plan_id: int | None

    class Meta:
        table = "service_contract"
        ordering = ["-starts_on", "id"]
        indexes = (("company_id", "ends_on"),)


class SlaTarget(LabelledStrEnum):
    TAKE = "take"
    RESOLVE = "resolve"


class AlertStage(LabelledStrEnum):
    WARNING = "warning"
    BREACH = "breach"


attach_labels(SlaTarget, {SlaTarget.TAKE: ("Presa in carico", "Take in charge"),
                          SlaTarget.RESOLVE: ("Risoluzione", "Resolution")})
attach_labels(AlertStage, {AlertStage.WARNING: ("Preavviso", "Warning"), AlertStage.BREACH: ("Scadenza", "Breach")})


class SlaAlert(Model):
    """The escalation job's marker: written in the transaction that queues the mails, unique per ticket, target
    and stage, so a mail goes once whatever restarts or processes there are."""

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation["Ticket"] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="sla_alerts", on_delete=fields.CASCADE
    )
    target = fields.CharEnumField(SlaTarget, max_length=10)
    stage = fields.CharEnumField(AlertStage, max_length=10)
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int

    class Meta:
        table = "sla_alert"
        unique_together = (("ticket", "target", "stage"),)
