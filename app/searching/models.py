"""The search outbox: a row per changed object, written in the same transaction as the change."""

from tortoise import fields
from tortoise.models import Model


class IndexTask(Model):
    id = fields.BigIntField(primary_key=True)
    source = fields.CharField(max_length=40, description="Name of the DocumentSource, e.g. ticket or faq")
    object_id = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(auto_now_add=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "index_outbox"
        indexes = (("next_attempt_at",),)
