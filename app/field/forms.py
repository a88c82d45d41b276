"""The field-service forms: an intervention's times, the requester's answer, an expense, the calendar's query."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from app.field.calendar import View
from app.field.models import Expense, ExpenseKind, Intervention
from app.forms import Choice, ColumnText, FormModel, Hours, OptionalDate, OptionalId, QueryModel
from app.i18n import N_


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# What a datetime-local input sends ("2026-12-05T09:30"): read as Rome's time by the service.
OptionalDateTime = Annotated[datetime | None, BeforeValidator(_blank_is_none)]
OptionalAmount = Annotated[Hours | None, BeforeValidator(_blank_is_none)]


class InterventionForm(FormModel):
    technician: OptionalId = Field(None, title=N_("Technician"))
    starts_at: OptionalDateTime = Field(None, title=N_("Start"))
    ends_at: OptionalDateTime = Field(None, title=N_("End"))
    place: ColumnText(Intervention, "place") = Field("", title=N_("Place"))
    note: ColumnText(Intervention, "note") = Field("", title=N_("Note"))


class AnswerForm(FormModel):
    message: ColumnText(Intervention, "move_request") = Field("", title=N_("Message"))


class ExpenseForm(FormModel):
    kind: Choice(ExpenseKind) = Field(None, title=N_("Type"))
    amount: OptionalAmount = Field(None, title=N_("Amount"))
    note: ColumnText(Expense, "note") = Field("", title=N_("Note"))


class FeedForm(FormModel):
    action: Literal["regenerate", "revoke"] = Field("regenerate", title=N_("Action"))


class CalendarQuery(QueryModel):
    technician: OptionalId = None
    view: Choice(View) = None
    date: OptionalDate = None
