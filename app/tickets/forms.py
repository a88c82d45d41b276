"""The ticket forms and list query strings, as app/forms.py types them; limits come from the models."""

from typing import Literal

from pydantic import Field

from app.forms import (
    Checkbox, Choice, ColumnText, Count, FormModel, Hours, Id, OptionalDate, OptionalHours, OptionalId, QueryModel, Text,
)
from app.i18n import N_
from app.tickets.rating import MAX_COMMENT_CHARS as MAX_RATING_COMMENT
from app.kb.models import Audience
from app.tickets import submissions
from app.tickets.choices import Priority, Severity
from app.tickets.models import Category, Channel, Closure, Ticket, WorkKind, WorkLog
from app.tickets.workflow import Event, TicketType

MAX_TEXT = 20_000  # description, comment, solution (TEXT columns: a bound for people, not for the database)
SubmissionKey = Text(64)
Version = Count


class TicketFields(FormModel):
    """What the new-ticket form and the staff's details form share."""

    title: ColumnText(Ticket, "title") = Field("", title=N_("Title"))
    ticket_type: Choice(TicketType) = Field(None, title=N_("Type"))
    priority: Choice(Priority) = Field(None, title=N_("Priority"))
    severity: Choice(Severity) = Field(None, title=N_("Severity"))
    category: OptionalId = Field(None, title=N_("Category"))
    product: OptionalId = Field(None, title=N_("Product"))


class NewTicketForm(TicketFields):
    description: Text(MAX_TEXT) = Field("", title=N_("Description"))
    channel: Choice(Channel) = Field(None, title=N_("Channel"))
    requester: OptionalId = Field(None, title=N_("Requester"))
    submission: SubmissionKey = Field("", alias=submissions.KEY_FIELD)
    confirmed: Checkbox = False


class NewTicketQuery(QueryModel):
    title: ColumnText(Ticket, "title") = ""  # from a search that found nothing


class DetailsForm(TicketFields):
    planned_hours: OptionalHours = Field(None, title=N_("Planned hours"), le=100_000)
    planned_days: OptionalHours = Field(None, title=N_("Planned days"), le=3650)
    resolution: Text(MAX_TEXT) = Field("", title=N_("Solution"))
    version: Version = -1


class CommentForm(FormModel):
    body: Text(MAX_TEXT) = Field("", title=N_("Comment"))
    internal: Checkbox = False
    submission: SubmissionKey = Field("", alias=submissions.KEY_FIELD)


class TransitionForm(FormModel):
    event: Choice(Event) = Field(None, title=N_("Action"))
    version: Version = -1
    resolution: Text(MAX_TEXT) | None = Field(None, title=N_("Solution"))  # absent: the ticket's own stays
    planned_for: OptionalDate = Field(None, title=N_("Agreed date"))


class AssignForm(FormModel):
    assignee: OptionalId = Field(None, title=N_("Assignee"))
    version: Version = -1


class WorklogForm(FormModel):
    day: OptionalDate = Field(None, title=N_("Day"))
    hours: Hours = Field(title=N_("Hours"), le=24)
    note: ColumnText(WorkLog, "note") = Field("", title=N_("Note"))
    kind: Choice(WorkKind) = Field(None, title=N_("Kind"))
    contract: OptionalId = Field(None, title=N_("Contract"))


class DuplicateForm(FormModel):
    original: Text(30) = Field("", title=N_("Original ticket"))
    version: Version = -1


class ListsForm(FormModel):
    """/admin/ticket-lists: one form per action (add, rename or toggle an entry, add or remove a closure day)."""

    action: Literal["add", "rename", "toggle", "add_closure", "remove_closure"] = Field(title=N_("Action"))
    kind: Literal["category", "product", ""] = Field("", title=N_("List"))
    name: ColumnText(Category, "name") = Field("", title=N_("Name"))
    name_en: ColumnText(Category, "name_en") = Field("", title=N_("English name"))
    day: OptionalDate = Field(None, title=N_("Day"))
    reason: ColumnText(Closure, "reason") = Field("", title=N_("Reason"))
    id: OptionalId = None


class PromoteForm(FormModel):
    """A solved ticket as an FAQ draft; what was typed is scrubbed of personal data again on saving."""

    title: Text(300) = Field("", title=N_("Title"))
    question: Text(MAX_TEXT) = Field("", title=N_("Question"))
    resolution: Text(MAX_TEXT) = Field("", title=N_("Solution"))
    category_key: Text(80) = Field("", alias="category", title=N_("Category"))
    audience: Choice(Audience) = Field(Audience.CUSTOMERS, title=N_("Audience"))
    language: Text(2) = Field("it", title=N_("Language"))


class SuggestionForm(FormModel):
    """The new-ticket panel: what was typed so far (the search reads a bounded part of it)."""

    title: ColumnText(Ticket, "title") = Field("", title=N_("Title"))
    description: Text(MAX_TEXT, strip=False) = Field("", title=N_("Description"))


class HitQuery(QueryModel):
    hit: Text(64) = ""
    event: Id | None = None
    rank: Count | None = None


class HitForm(FormModel):
    hit: Text(64) = Field("", title=N_("Result"))
    event: OptionalId = Field(None, title=N_("Search"))


class RatingForm(FormModel):
    score: Text(1) = Field("", title=N_("Score"))
    comment: Text(MAX_RATING_COMMENT) = Field("", title=N_("Comment"))
