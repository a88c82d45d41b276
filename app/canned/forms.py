"""The canned replies' form, and the insert into a reply box."""

from pydantic import Field

from app.canned.models import CannedReply
from app.canned.service import MAX_BODY
from app.forms import Checkbox, ColumnText, FormModel, OptionalId, QueryModel, Text
from app.i18n import N_
from app.tickets.forms import MAX_TEXT


class CannedForm(FormModel):
    title: ColumnText(CannedReply, "title") = Field("", title=N_("Title"))
    body: Text(MAX_BODY) = Field("", title=N_("Text"))
    shared: Checkbox = False


class InsertQuery(QueryModel):
    """What the reply box sends to /tickets/{ref}/canned: the reply chosen and what was typed so far."""

    canned: OptionalId = None
    body: Text(MAX_TEXT, strip=False) = ""
    internal: Text(5) = ""
    submission: Text(64) = ""
    format: Text(10) = ""
