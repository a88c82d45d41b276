"""The search outbox (a row per changed object, written in the same transaction as the change) and the
admin-edited lexicon (synonyms and stop words) the engines are configured with."""

from tortoise import fields
from tortoise.models import Model

LEXICON_ROW_ID = 1


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


class SearchLexicon(Model):
    """The one lexicon row, id 1. Until an admin first saves it the built-in defaults apply."""

    id = fields.IntField(primary_key=True)
    synonyms = fields.JSONField(default=list, description="Groups of equivalent words or phrases, key first")
    stop_words = fields.JSONField(default=dict, description="Language code to the list of its stop words")
    version = fields.IntField(default=1, description="Bumped on every save so every process reconfigures")
    updated_at = fields.DatetimeField(auto_now=True)
    updated_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "accounts.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "search_lexicon"
