"""The query string of the inbound mail page."""

from app.forms import Choice, Count, QueryModel
from app.inbound.models import Outcome


class InboundQuery(QueryModel):
    outcome: Choice(Outcome) = None
    page: Count = 1
