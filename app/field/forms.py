"""The field-service forms: an intervention's times, the requester's answer, an expense, the calendar's query."""

from typing import Literal

from pydantic import Field

from app.field.calendar import View
from app.field.models import Expense, ExpenseKind, Intervention
from app.forms import (Choice, ColumnText, FormModel, OptionalDate, OptionalDateTime, OptionalHours, OptionalId,
                       QueryModel)
from app.i18n import N_


class InterventionForm(FormModel):
    """Times as a datetime-local input sends them ("2026-12-05T09:30"): Rome's time, the service decides."""

    technician: OptionalId = Field(None, title=N_("Technician"))
    starts_at: OptionalDateTime = Field(None, title=N_("Start"))
    ends_at: OptionalDateTime = Field(None, title=N_("End"))
    place: ColumnText(Intervention, "place") = Field("", title=N_("Place"))
    note: ColumnText(Intervention, "note") = Field("", title=N_("Note"))


class AnswerForm(FormModel):
    message: ColumnText(Intervention, "move_request") = Field("", title=N_("Message"))


class ExpenseForm(FormModel):
    kind: Choice(ExpenseKind) = Field(None, title=N_("Type"))
    amount: OptionalHours = Field(None, title=N_("Amount"))  # a decimal as typed: the service wants 2 places at most
    note: ColumnText(Expense, "note") = Field("", title=N_("Note"))


class FeedForm(FormModel):
    action: Literal["regenerate", "revoke"] = Field("regenerate", title=N_("Action"))


class CalendarQuery(QueryModel):
    technician: OptionalId = None
    view: Choice(View) = None
    date: OptionalDate = None
