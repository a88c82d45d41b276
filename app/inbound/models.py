"""One row per mail read from the support mailbox, keyed by its Message-ID: what it became and why."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.i18n import N_

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.tickets.models import Comment, Ticket


class Outcome(StrEnum):
    TICKET = "ticket"
    COMMENT = "comment"
    IGNORED = "ignored"  # automatic mail, a loop, a sender over the rate
    REFUSED = "refused"  # a person's mail we could not accept: no right to comment, closed ticket, empty text
    UNKNOWN = "unknown"  # the sender has no account: answered, or a registration request


LABELS = (N_("ticket"), N_("comment"), N_("ignored"), N_("refused"), N_("unknown"))


class InboundMessage(Model):
    id = fields.IntField(primary_key=True)
    message_key = fields.CharField(max_length=255, unique=True, description="Message-ID, or sha256: of the raw mail")
    sender = fields.CharField(max_length=254, description="From address, lower-case")
    subject = fields.CharField(max_length=300, default="")
    outcome = fields.CharEnumField(Outcome, max_length=10)
    reason = fields.CharField(max_length=200, default="", description="English msgid: why ignored or refused")
    notes = fields.TextField(default="", description="Attachments refused, one per line")
    ticket: fields.ForeignKeyNullableRelation["Ticket"] = fields.ForeignKeyField(
        "tickets.Ticket", related_name="inbound_messages", null=True, on_delete=fields.SET_NULL
    )
    comment: fields.ForeignKeyNullableRelation["Comment"] = fields.ForeignKeyField(
        "tickets.Comment", related_name="inbound_messages", null=True, on_delete=fields.SET_NULL
    )
    received_at = fields.DatetimeField(auto_now_add=True)

    ticket_id: int | None
    comment_id: int | None

    def refused_files(self) -> list[tuple[str, str]]:
        """(file name, English msgid of the reason) of each attachment that was not kept."""
        return [(name, reason) for name, _, reason in (line.partition("\t") for line in self.notes.splitlines())]

    class Meta:
        table = "inbound_message"
        ordering = ["-id"]
        indexes = (("sender", "received_at"),)
