"""The API's request and response bodies: pydantic models validate what comes in and define, through
`model_json_schema`, what the OpenAPI document promises about what goes out."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.forms import CONTROL_CHARS
from app.tickets.choices import Priority, Severity
from app.tickets.workflow import Status, TicketType


class Strict(BaseModel):
    """A request body or query: unknown keys refused, text stripped and without control characters (a NUL
    byte would reach PostgreSQL), as app/forms.py does for the pages."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _printable(cls, value: object) -> object:
        if isinstance(value, str) and CONTROL_CHARS.search(value):
            raise ValueError("contains characters that are not allowed")
        return value


# ---- errors ----

class FieldError(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    status: int
    message: str
    fields: list[FieldError] = []


class Error(BaseModel):
    error: ErrorBody


class PageQuery(Strict):
    page: int = Field(1, ge=1, le=10_000)
    size: int = Field(25, ge=1, le=100)


# ---- tickets ----

class TicketListQuery(PageQuery):
    view: Literal["open", "closed"] = "open"
    scope: Literal["mine", "company"] = Field("mine", description="company: every ticket of the caller's company, "
                                              "where the company shares tickets and the caller may see them")
    q: str = Field("", max_length=100, description="Words in title, description, requester, category, product")
    status: Status | None = None
    priority: Priority | None = None
    type: TicketType | None = None


class TicketCreate(Strict):
    title: str = Field(min_length=1, max_length=200)
    ticket_type: TicketType
    priority: Priority = Priority.MEDIA
    severity: Severity = Severity.NON_BLOCCANTE
    description: str = Field(min_length=1, max_length=20_000)
    category_id: int | None = None
    product_id: int | None = None
    requester_id: int | None = Field(None, description="Staff only: open the ticket on this requester's behalf")


class CommentCreate(Strict):
    body: str = Field(min_length=1, max_length=20_000)
    internal: bool = Field(False, description="An internal note (technicians only), never shown to requesters")


class Person(BaseModel):
    id: int
    name: str


class TicketSummary(BaseModel):
    id: int
    code: str
    title: str
    status: Status
    ticket_type: TicketType
    priority: Priority
    severity: Severity
    requester: Person
    company: str | None
    assignee: Person | None
    category: str | None
    product: str | None
    created_at: datetime
    updated_at: datetime
    url: str


class CommentOut(BaseModel):
    id: int
    number: int
    author: Person
    body: str
    internal: bool
    created_at: datetime


class AttachmentOut(BaseModel):
    id: int
    name: str
    size: int
    content_type: str
    internal: bool
    created_at: datetime
    url: str = Field(description="API address of the file")


class AttachmentList(BaseModel):
    attachments: list[AttachmentOut]


class TicketDetail(TicketSummary):
    description: str
    resolution: str
    channel: str
    planned_for: date | None
    sla_deadline: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    comments: list[CommentOut]
    attachments: list[AttachmentOut]


class Paged(BaseModel):
    total: int
    page: int
    pages: int
    size: int


class TicketList(Paged):
    tickets: list[TicketSummary]


# ---- knowledge base ----

class ArticleListQuery(PageQuery):
    language: Literal["it", "en"] | None = None


class ArticleSummary(BaseModel):
    slug: str
    title: str
    language: str
    audience: str
    category: str | None
    tags: list[str]
    published_at: datetime | None
    url: str


class ArticleDetail(ArticleSummary):
    version: int
    body: str = Field(description="Markdown")
    html: str = Field(description="The Markdown rendered as the portal shows it")
    translation_slug: str


class ArticleList(Paged):
    articles: list[ArticleSummary]


# ---- search ----

class SearchQueryParams(Strict):
    q: str = Field(min_length=1, max_length=300)
    kind: Literal["faq", "manual_page", "ticket", "document"] | None = None
    page: int = Field(1, ge=1, le=100)
    size: int = Field(10, ge=1, le=50)


class SearchHit(BaseModel):
    id: str
    kind: str
    title: str
    snippet_html: str = Field(description="Escaped text with <mark> around the matched words")
    url: str
    page: int | None
    status: str
    category: str
    updated_at: datetime


class SearchResults(BaseModel):
    hits: list[SearchHit]
    total: int
    page: int
    size: int
