"""Search analytics: one row per search, suggestion burst or new-ticket lookup, naming nobody.

There is no user, company or address column on purpose: a row tells what was asked and what happened
next, never who asked. Rows of one browser are linked only through event ids kept in that browser's
signed session cookie.
"""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from app.i18n import N_


class Purpose(StrEnum):
    SEARCH = "search"
    SUGGEST = "suggest"
    NEW_TICKET = "new_ticket"


class CallerRole(StrEnum):
    ANONYMOUS = "anonymous"
    REQUESTER = "requester"
    TECHNICIAN = "technician"
    EDITOR = "editor"
    ADMIN = "admin"


QUERY_MAX_CHARS = 200
HIT_ID_MAX_CHARS = 80


class SearchEvent(Model):
    """What was searched and what followed: a click, a ticket or a solved problem."""

    id = fields.BigIntField(primary_key=True)
    query = fields.CharField(max_length=QUERY_MAX_CHARS, description="Normalised text, personal data masked")
    language = fields.CharField(max_length=5)
    role = fields.CharEnumField(CallerRole, max_length=12, description="Main role of the caller, never the caller")
    purpose = fields.CharEnumField(Purpose, max_length=12)
    result_count = fields.IntField(default=0)
    opened_hit_id = fields.CharField(max_length=HIT_ID_MAX_CHARS, null=True, description="First hit opened")
    opened_rank = fields.IntField(null=True, description="Position of the opened hit, from 1")
    ticket_followed = fields.BooleanField(default=False, description="A ticket was opened within 30 minutes")
    deflected = fields.BooleanField(default=False, description="The visitor said this solved the problem")
    created_at = fields.DatetimeField(auto_now_add=True)
    typed_at = fields.DatetimeField(description="Last time the text changed, for typing bursts")

    class Meta:
        table = "insights_search_event"
        indexes = (("created_at",), ("query",))


PURPOSE_LABELS: dict[Purpose, str] = {
    Purpose.SEARCH: N_("Search page"),
    Purpose.SUGGEST: N_("Suggestions while typing"),
    Purpose.NEW_TICKET: N_("New ticket form"),
}
