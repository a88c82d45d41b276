"""Canned replies: texts technicians insert in a ticket reply, with placeholders filled per ticket.

The portal has no teams: a reply is either shared by every technician (no owner) or one technician's own."""

from tortoise import fields
from tortoise.models import Model


class CannedReply(Model):
    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=120)
    body = fields.TextField()
    owner: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.User", related_name="canned_replies", null=True, on_delete=fields.CASCADE,
        description="None: shared by every technician",
    )
    updated_at = fields.DatetimeField(auto_now=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    owner_id: int | None

    class Meta:
        table = "canned_reply"
        ordering = ["title", "id"]
