"""Personal API tokens: a person's key for the JSON API, shown once; only its SHA-256 is stored."""

from tortoise import fields
from tortoise.models import Model


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "accounts.User", related_name="api_tokens", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=100)
    prefix = fields.CharField(max_length=16, description="The token's first characters, shown to tell tokens apart")
    token_hash = fields.CharField(max_length=64, unique=True)
    scopes = fields.JSONField(default=list, description="read, write")
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True, description="Coarse: written at most once a minute")

    user_id: int

    class Meta:
        table = "api_token"
        ordering = ["-id"]
