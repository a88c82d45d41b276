"""One row per administrative change. The actor's name is copied, so the entry still says who acted
after the account is erased or renamed."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.accounts.models import User

ACTION_MAX_CHARS = 60
TARGET_MAX_CHARS = 120
SUMMARY_MAX_CHARS = 500


class AuditEntry(Model):
    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="audit_entries", null=True, on_delete=fields.SET_NULL
    )
    actor_name = fields.CharField(max_length=200, description="The actor's name when the change was made")
    action = fields.CharField(max_length=ACTION_MAX_CHARS, db_index=True, description="e.g. user.update")
    target = fields.CharField(max_length=TARGET_MAX_CHARS, default="", description="e.g. user:12")
    summary = fields.CharField(max_length=SUMMARY_MAX_CHARS, default="")
    details = fields.JSONField(default=dict)

    class Meta:
        table = "audit_entry"
        ordering = ["-at", "-id"]
