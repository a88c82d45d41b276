"""Tickets with their comments, attachments, work log and audit trail, plus the admin-managed lists."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.kb.models import TextStatus
from app.tickets.choices import LabelledStrEnum, Priority, Severity, attach_labels
from app.tickets.workflow import Status, TicketType

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.accounts.models import Company, User
    from app.contracts.models import ServiceContract, SlaPlan


class Channel(LabelledStrEnum):
    PORTAL = "portal"
    EMAIL = "email"
    PHONE = "phone"


attach_labels(
    Channel,
    {Channel.PORTAL: ("Portale", "Portal"), Channel.EMAIL: ("Email", "Email"), Channel.PHONE: ("Telefono", "Phone")},
)


class EventKind(LabelledStrEnum):
    CREATED = "created"
    STATUS = "status"
    ASSIGNED = "assigned"
    FIELDS = "fields"
    COMMENT = "comment"
    NOTE = "note"
    ATTACHMENT = "attachment"
    WORK = "work"
    DUPLICATE = "duplicate"
    INTERVENTION = "intervention"


attach_labels(
    EventKind,
    {
        EventKind.CREATED: ("Ticket aperto", "Ticket opened"),
        EventKind.STATUS: ("Cambio di stato", "Status change"),
        EventKind.ASSIGNED: ("Assegnazione", "Assignment"),
        EventKind.FIELDS: ("Dati modificati", "Details changed"),
        EventKind.COMMENT: ("Commento", "Comment"),
        EventKind.NOTE: ("Nota interna", "Internal note"),
        EventKind.ATTACHMENT: ("Allegato", "Attachment"),
        EventKind.WORK: ("Lavoro registrato", "Work logged"),
        EventKind.DUPLICATE: ("Duplicato", "Duplicate"),
        EventKind.INTERVENTION: ("Intervento", "Intervention"),
    },
)


class WorkKind(LabelledStrEnum):
    """How a work log entry is accounted for (the field-service sheets' contratto / garanzia / fuori garanzia)."""

    CONTRACT = "contract"
    WARRANTY = "warranty"
    OUT_OF_WARRANTY = "out_of_warranty"
    BILLABLE = "billable"


attach_labels(
    WorkKind,
    {
        WorkKind.CONTRACT: ("A contratto", "Contract"),
        WorkKind.WARRANTY: ("In garanzia", "Warranty"),
        WorkKind.OUT_OF_WARRANTY: ("Fuori garanzia", "Out of warranty"),
        WorkKind.BILLABLE: ("Da fatturare", "Billable"),
    },
)


class NamedInTwoLanguages:
    """A list entry with an Italian name (the key it is known by: unique, indexed for search) and an English
    one; an entry without an English name shows the Italian one."""

    name: str
    name_en: str

    def label_for(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    @property
    def label(self) -> str:
        """The name in the current request's locale."""
        from app.i18n import get_locale

        return self.label_for(get_locale())


class Category(Model, NamedInTwoLanguages):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)  # Italian
    name_en = fields.CharField(max_length=100, default="", db_default="", description="English name")
    active = fields.BooleanField(default=True)

    class Meta:
        table = "ticket_category"
        ordering = ["name"]


class Product(Model, NamedInTwoLanguages):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)  # Italian
    name_en = fields.CharField(max_length=100, default="", db_default="", description="English name")
    active = fields.BooleanField(default=True)

    class Meta:
        table = "ticket_product"
        ordering = ["name"]


class Closure(Model):
    """A day support is closed (besides weekends and Italian public holidays), set by an admin."""

    id = fields.IntField(primary_key=True)
    day = fields.DateField(unique=True)
    reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "ticket_closure"
        ordering = ["day"]


class Ticket(Model):
    id = fields.IntField(primary_key=True)
    number = fields.IntField(unique=True, null=True, description="Shown as TT followed by the number")
    title = fields.CharField(max_length=200)
    ticket_type = fields.CharEnumField(TicketType, max_length=30)
    priority = fields.CharEnumField(Priority, max_length=20, default=Priority.MEDIA)
    severity = fields.CharEnumField(Severity, max_length=20, default=Severity.NON_BLOCCANTE)
    status = fields.CharEnumField(Status, max_length=30, default=Status.APERTO)
    channel = fields.CharEnumField(Channel, max_length=10, default=Channel.PORTAL)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "tickets.Category", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "tickets.Product", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    description = fields.TextField()
    requester: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="requested_tickets", on_delete=fields.RESTRICT
    )
    company: fields.ForeignKeyNullableRelation["Company"] = fields.ForeignKeyField(
        "accounts.Company", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    opened_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="opened_tickets", on_delete=fields.RESTRICT
    )
    assignee: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="assigned_tickets", null=True, on_delete=fields.SET_NULL
    )
    taken_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="taken_tickets", null=True, on_delete=fields.SET_NULL
    )
    duplicate_of: fields.ForeignKeyNullableRelation["Ticket"] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="duplicates", null=True, on_delete=fields.SET_NULL
    )
    planned_hours = fields.DecimalField(max_digits=7, decimal_places=2, null=True)
    planned_days = fields.IntField(null=True)
    planned_for = fields.DateField(null=True, description="Date agreed with the requester while Pianificato")
    resolution = fields.TextField(default="", description="Informazioni soluzione")
    sla_deadline = fields.DatetimeField(description="Take in charge before this instant")
    # The plan and its targets as they were at the opening (a later edit of the plan keeps them); null targets,
    # on tickets older than plans, are the built-in ones of the priority.
    sla_plan: fields.ForeignKeyNullableRelation["SlaPlan"] = fields.ForeignKeyField(
        "contracts.SlaPlan", related_name="tickets", null=True, on_delete=fields.SET_NULL
    )
    take_target_hours = fields.DecimalField(max_digits=6, decimal_places=2, null=True)
    resolve_target_hours = fields.DecimalField(max_digits=6, decimal_places=2, null=True)
    taken_at = fields.DatetimeField(null=True)
    # When each SLA clock turns late (at risk or breached) if nothing changes; null while it cannot. Derived from the
    # status history and the calendar by app/contracts/clock.py at every change, so the SLA queue is a query.
    take_late_at = fields.DatetimeField(null=True, description="Take in charge at risk or breached from this instant")
    resolve_late_at = fields.DatetimeField(null=True, description="Resolution at risk or breached from this instant")
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    last_interaction_at = fields.DatetimeField(description="Drives the automatic close of resolved tickets")
    version = fields.IntField(default=1, description="Optimistic lock: bumped by every edit")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    category_id: int | None
    product_id: int | None
    requester_id: int
    company_id: int | None
    opened_by_id: int
    assignee_id: int | None
    taken_by_id: int | None
    duplicate_of_id: int | None
    sla_plan_id: int | None

    class Meta:
        table = "ticket"
        ordering = ["-id"]
        indexes = (("status", "last_interaction_at"), ("company_id", "status"), ("assignee_id", "status"),
                   ("take_late_at",), ("resolve_late_at",))

    @property
    def code(self) -> str:
        return f"TT{self.number or self.id}"


class Comment(Model):
    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="comments", on_delete=fields.CASCADE
    )
    author: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="ticket_comments", on_delete=fields.RESTRICT
    )
    body = fields.TextField()
    internal = fields.BooleanField(default=False, description="Staff only: never shown or mailed to requesters")
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int
    author_id: int

    class Meta:
        table = "ticket_comment"
        ordering = ["id"]


class Attachment(Model):
    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="attachments", on_delete=fields.CASCADE
    )
    uploaded_by: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="ticket_attachments", on_delete=fields.RESTRICT
    )
    # The comment or note the file came with; none for files of the ticket's opening or attached alone (public).
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "tickets.Comment", related_name="attachments", null=True, on_delete=fields.CASCADE
    )
    # Copied from the comment, so every read filters on the attachment row alone: a note's file is staff-only.
    internal = fields.BooleanField(default=False, db_default=False,
                                   description="Came with an internal note: never shown, served or mailed to requesters")
    stored_name = fields.CharField(max_length=80, unique=True)
    original_name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=120)
    size = fields.BigIntField()
    # db_default as well: the upgrade adds these NOT NULL columns to a table that already has rows.
    text = fields.TextField(default="", db_default="",
                            description="Extracted text of a PDF or text file, searched with the ticket")
    # The documents' enum; on an attachment NOT_PDF means no text is extracted from its type (an image, a zip).
    text_status = fields.CharEnumField(TextStatus, default=TextStatus.NOT_PDF, db_default=TextStatus.NOT_PDF)
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int
    uploaded_by_id: int
    comment_id: int | None

    class Meta:
        table = "ticket_attachment"
        ordering = ["id"]


class WorkLog(Model):
    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="work_logs", on_delete=fields.CASCADE
    )
    technician: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="work_logs", on_delete=fields.RESTRICT
    )
    day = fields.DateField()
    hours = fields.DecimalField(max_digits=6, decimal_places=2)
    note = fields.CharField(max_length=500, default="")
    kind = fields.CharEnumField(WorkKind, max_length=20, default=WorkKind.BILLABLE, db_default=WorkKind.BILLABLE)
    contract: fields.ForeignKeyNullableRelation["ServiceContract"] = fields.ForeignKeyField(
        "contracts.ServiceContract", related_name="work_logs", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int
    technician_id: int
    contract_id: int | None

    class Meta:
        table = "ticket_work_log"
        ordering = ["day", "id"]


class TicketEvent(Model):
    """The audit trail: who changed what and when. A null actor is the system."""

    id = fields.IntField(primary_key=True)
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="events", on_delete=fields.CASCADE
    )
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="ticket_events", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharEnumField(EventKind, max_length=20)
    from_status = fields.CharField(max_length=30, default="")
    to_status = fields.CharField(max_length=30, default="")
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int
    actor_id: int | None

    class Meta:
        table = "ticket_event"
        ordering = ["id"]



class Submission(Model):
    """A form's one-time key: the first POST with it creates the ticket or comment, a repeat (double click,
    reload, a retry after a lost answer) finds what the first created. The unique key decides races."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="ticket_submissions", on_delete=fields.CASCADE
    )
    ticket: fields.ForeignKeyRelation[Ticket] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="submissions", on_delete=fields.CASCADE
    )
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "tickets.Comment", related_name="submissions", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    user_id: int
    ticket_id: int
    comment_id: int | None

    class Meta:
        table = "ticket_submission"


class Rating(Model):
    """The requester's satisfaction with a closed ticket: 1 to 5 and an optional comment, one per ticket
    (rating again changes it)."""

    id = fields.IntField(primary_key=True)
    ticket: fields.OneToOneRelation[Ticket] = fields.OneToOneField(
        "tickets.Ticket", related_name="rating", on_delete=fields.CASCADE
    )
    rated_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="ticket_ratings", null=True, on_delete=fields.SET_NULL
    )
    score = fields.SmallIntField(description="1 (very unhappy) to 5 (very happy)")
    comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    ticket_id: int
    rated_by_id: int | None

    class Meta:
        table = "ticket_rating"
        indexes = (("updated_at",),)
