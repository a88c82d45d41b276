"""The query strings and the form of the insights pages, typed by app/forms.py."""

from typing import Literal

from pydantic import Field

from app.forms import Count, FormModel, NumberChoice, OptionalId, QueryModel, Text
from app.insights import reports, service
from app.insights.models import HIT_ID_MAX_CHARS
from app.i18n import N_

MAX_TARGET = 2000


class OpenQuery(QueryModel):
    to: Text(MAX_TARGET) = ""
    hit: Text(HIT_ID_MAX_CHARS) = ""
    rank: Count | None = None


class SolvedForm(FormModel):
    event: OptionalId = Field(None, title=N_("Search"))
    hit: Text(HIT_ID_MAX_CHARS) = Field("", title=N_("Result"))
    next: Text(MAX_TARGET) = "/"


class TableQuery(QueryModel):
    format: Literal["csv", "html"] = "html"
    table: Text(40) = ""


class ReportQuery(TableQuery):
    """Unknown values fall back to the defaults, as a filter link from an old bookmark should."""

    days: NumberChoice(reports.PERIODS) = reports.DEFAULT_PERIOD
    who: Literal[tuple(service.ROLE_GROUPS)] = "all"  # type: ignore[valid-type]
