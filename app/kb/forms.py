"""The knowledge-base and documents forms, typed by app/forms.py with the models' limits."""

from typing import Literal

from pydantic import Field

from app.forms import Checkbox, Choice, ColumnText, Count, FormModel, OptionalId, QueryModel, Text
from app.i18n import N_
from app.kb.models import Article, ArticleVersion, Audience, Category, Document, DocumentKind

MAX_BODY = 200_000  # an FAQ in Markdown; a manual is a PDF document, not an article
MAX_QUESTION = 10_000
MAX_LIST = 2000  # tags or related addresses, comma-separated
MAX_COMMENT = 2000


class SuggestForm(FormModel):
    title: ColumnText(ArticleVersion, "title") = Field("", title=N_("Question"))
    question: Text(MAX_QUESTION) = Field("", title=N_("Details"))


class FeedbackForm(FormModel):
    helpful: Literal["yes", "no"] = Field(title=N_("Was this helpful?"))
    comment: Text(MAX_COMMENT) = Field("", title=N_("Comment"))


class EditorForm(FormModel):
    title: ColumnText(ArticleVersion, "title") = Field("", title=N_("Title"))
    slug: ColumnText(Article, "slug") = Field("", title=N_("Address"))
    language: ColumnText(Article, "language") = Field("", title=N_("Language"))
    category: ColumnText(Category, "key") = Field("", title=N_("Category"))
    audience: Text(20) = Field("", title=N_("Audience"))
    body: Text(MAX_BODY, strip=False) = Field("", title=N_("Text"))
    tags: Text(MAX_LIST) = Field("", title=N_("Tags"))
    translation_slug: ColumnText(Article, "translation_slug") = Field("", title=N_("Translation"))
    related: Text(MAX_LIST) = Field("", title=N_("Related articles"))
    note: ColumnText(ArticleVersion, "note") = Field("", title=N_("Note"))
    action: Text(20) = ""


class EditorQuery(QueryModel):
    title: ColumnText(ArticleVersion, "title") = ""  # "write an FAQ" from the search report


class PreviewForm(FormModel):
    title: ColumnText(ArticleVersion, "title") = Field("", title=N_("Title"))
    slug: ColumnText(Article, "slug") = Field("", title=N_("Address"))
    language: ColumnText(Article, "language") = Field("", title=N_("Language"))
    body: Text(MAX_BODY, strip=False) = Field("", title=N_("Text"))


class PublishForm(FormModel):
    unpublish: Checkbox = False


class RestoreForm(FormModel):
    number: Count = Field(title=N_("Version"))


class DiffQuery(QueryModel):
    old: Count | None = Field(None, alias="from")
    new: Count | None = Field(None, alias="to")


class DocumentForm(FormModel):
    title: ColumnText(Document, "title") = Field("", title=N_("Title"))
    description: Text(5000) = Field("", title=N_("Description"))
    kind: Choice(DocumentKind) = Field(None, title=N_("Kind"))
    category: ColumnText(Category, "key") = Field("", title=N_("Category"))
    audience: Choice(Audience) = Field(None, title=N_("Audience"))
    company: OptionalId = Field(None, title=N_("Company"))
    language: ColumnText(Document, "language") = Field("", title=N_("Language"))


class ArticleListQuery(QueryModel):
    """The editors' article list; values outside the lists fall back to "any" in app/kb/listing.py."""

    q: Text(200) = ""
    category: Text(200) = ""
    language: Text(5) = ""
    audience: Text(20) = ""
    status: Text(20) = ""
    sort: Text(20) = ""
    page: Count = 1
