"""Field service: interventions planned on a ticket, their expenses, and the technicians' calendar feeds."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.tickets.choices import LabelledStrEnum, attach_labels

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.accounts.models import User
    from app.tickets.models import Ticket


class InterventionState(LabelledStrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


attach_labels(
    InterventionState,
    {
        InterventionState.PROPOSED: ("Proposto", "Proposed"),
        InterventionState.CONFIRMED: ("Confermato", "Confirmed"),
        InterventionState.DONE: ("Svolto", "Done"),
        InterventionState.CANCELLED: ("Annullato", "Cancelled"),
    },
)


class ExpenseKind(LabelledStrEnum):
    TRAVEL = "travel"
    KM = "km"
    MEAL = "meal"
    MATERIAL = "material"
    OTHER = "other"


attach_labels(
    ExpenseKind,
    {
        ExpenseKind.TRAVEL: ("Viaggio", "Travel"),
        ExpenseKind.KM: ("Chilometri", "Mileage"),
        ExpenseKind.MEAL: ("Vitto", "Meal"),
        ExpenseKind.MATERIAL: ("Materiale", "Material"),
        ExpenseKind.OTHER: ("Altro", "Other"),
    },
)


class Intervention(Model):
    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation["Ticket"] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="interventions", on_delete=fields.CASCADE
    )
    technician: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="interventions", on_delete=fields.RESTRICT
    )
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    place = fields.CharField(max_length=300, default="")
    note = fields.CharField(max_length=1000, default="")
    state = fields.CharEnumField(InterventionState, max_length=20, default=InterventionState.PROPOSED)
    move_request = fields.CharField(max_length=1000, default="", description="The requester's reason to move it")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    ticket_id: int
    technician_id: int

    class Meta:
        table = "field_intervention"
        ordering = ["starts_at", "id"]
        indexes = (("technician_id", "starts_at"),)


class Expense(Model):
    id = fields.IntField(primary_key=True)
    intervention: fields.ForeignKeyRelation[Intervention] = fields.ForeignKeyField(
        "field.Intervention", related_name="expenses", on_delete=fields.CASCADE
    )
    kind = fields.CharEnumField(ExpenseKind, max_length=20)
    amount = fields.DecimalField(max_digits=10, decimal_places=2, description="EUR")
    note = fields.CharField(max_length=300, default="")
    receipt_name = fields.CharField(max_length=80, null=True, unique=True, description="Random stored file name")
    receipt_original_name = fields.CharField(max_length=200, default="")
    receipt_content_type = fields.CharField(max_length=120, default="")
    receipt_size = fields.BigIntField(default=0)
    created_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="field_expenses", on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    intervention_id: int
    created_by_id: int

    class Meta:
        table = "field_expense"
        ordering = ["id"]


# A technician's secret iCalendar address; only its SHA-256 is kept, so it is shown once. (A comment, not a
# docstring: Tortoise would write a docstring into the schema as the table's comment.)
class CalendarFeed(Model):
    id = fields.IntField(primary_key=True)
    technician: fields.OneToOneRelation["User"] = fields.OneToOneField(
        "accounts.User", related_name="calendar_feed", on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    technician_id: int

    class Meta:
        table = "field_calendar_feed"
