"""Knowledge base: FAQ articles with their versions and feedback, documents and manuals with their PDF pages."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from app.i18n import N_

if TYPE_CHECKING:  # imported models would be registered a second time under this app label
    from app.accounts.models import Company, User
    from app.tickets.models import Ticket


class Audience(StrEnum):
    """Who may read an item. Articles use public, customers and staff; documents also company."""

    PUBLIC = "public"
    CUSTOMERS = "customers"
    COMPANY = "company"
    STAFF = "staff"


ARTICLE_AUDIENCES: tuple[Audience, ...] = (Audience.PUBLIC, Audience.CUSTOMERS, Audience.STAFF)


class DocumentKind(StrEnum):
    MANUAL = "manual"
    CONTRACT = "contract"
    FORM = "form"
    OTHER = "other"


class TextStatus(StrEnum):
    """Where the PDF text extraction of a document stands."""

    NOT_PDF = "not_pdf"
    PENDING = "pending"
    READY = "ready"
    NO_TEXT = "no_text"
    FAILED = "failed"


class Category(Model):
    # The category tree of kb_content/categories.yml, two levels deep.

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=80, unique=True)
    name_it = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    parent: fields.ForeignKeyNullableRelation["Category"] = fields.ForeignKeyField(
        "kb.Category", related_name="children", null=True, on_delete=fields.SET_NULL
    )
    position = fields.IntField(default=0)

    parent_id: int | None

    class Meta:
        table = "kb_category"
        ordering = ["position"]

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_it


class Article(Model):
    # An FAQ article. Everything readers see lives in versions: readers see the published one, editors the
    # latest. The columns below that a version also holds (slug, language, category, audience, translation,
    # related) are the published version's, copied on publishing, so a saved draft changes nothing readers
    # see; while the article is not published they follow the latest version.

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=120, unique=True)
    language = fields.CharField(max_length=2)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "kb.Category", related_name="articles", null=True, on_delete=fields.SET_NULL
    )
    audience = fields.CharEnumField(Audience, default=Audience.PUBLIC)
    translation_slug = fields.CharField(max_length=120, default="", description="Slug of the other language version")
    related = fields.JSONField(default=list, description="Slugs shown as see also")
    source = fields.CharField(max_length=300, default="", description="File under kb_content when imported")
    current_number = fields.IntField(default=0, description="Number of the latest version")
    published_number = fields.IntField(null=True, description="Version readers see, none when unpublished")
    suggested_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="suggested_articles", null=True, on_delete=fields.SET_NULL
    )
    source_ticket: fields.OneToOneNullableRelation["Ticket"] = fields.OneToOneField(
        "tickets.Ticket", related_name="faq_article", null=True, on_delete=fields.SET_NULL,
        description="The solved ticket this FAQ was promoted from",
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    category_id: int | None
    suggested_by_id: int | None
    source_ticket_id: int | None

    class Meta:
        table = "kb_article"

    @property
    def is_published(self) -> bool:
        return self.published_number is not None

    @property
    def has_unpublished_changes(self) -> bool:
        return self.current_number != self.published_number


class ArticleVersion(Model):
    # An immutable snapshot of everything readers see of an article, numbered from 1.

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "kb.Article", related_name="versions", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    title = fields.CharField(max_length=300)
    body = fields.TextField()
    tags = fields.JSONField(default=list)
    slug = fields.CharField(max_length=120, default="", db_default="", description="Address once published")
    language = fields.CharField(max_length=2, default="it", db_default="it")
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "kb.Category", related_name="article_versions", null=True, on_delete=fields.SET_NULL
    )
    audience = fields.CharEnumField(Audience, default=Audience.PUBLIC, db_default=Audience.PUBLIC)
    translation_slug = fields.CharField(max_length=120, default="", db_default="")
    related = fields.JSONField(default=list, db_default="[]")
    published_at = fields.DatetimeField(null=True, description="Last time this version was published")
    note = fields.CharField(max_length=300, default="")
    author: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="article_versions", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    article_id: int
    author_id: int | None
    category_id: int | None

    class Meta:
        table = "kb_article_version"
        unique_together = (("article", "number"),)
        ordering = ["-number"]


class ArticleFeedback(Model):
    # A reader answer to was this helpful, tied to the version they read: one per reader and version.

    id = fields.IntField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "kb.Article", related_name="feedback", on_delete=fields.CASCADE
    )
    version: fields.ForeignKeyRelation[ArticleVersion] = fields.ForeignKeyField(
        "kb.ArticleVersion", related_name="feedback", on_delete=fields.CASCADE
    )
    helpful = fields.BooleanField()
    comment = fields.TextField(default="")
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="article_feedback", null=True, on_delete=fields.SET_NULL
    )
    # Votes cast before one vote per reader have none: NULLs never collide in the unique constraint.
    reader = fields.CharField(max_length=40, null=True,
                              description="user:<id>, or session:<random id> for anonymous readers")
    created_at = fields.DatetimeField(auto_now_add=True)

    article_id: int
    version_id: int

    class Meta:
        table = "kb_article_feedback"
        unique_together = (("version", "reader"),)


class Document(Model):
    # A downloadable file: a manual, the service contract, a form, or a file shared with one company.

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=300)
    description = fields.TextField(default="")
    kind = fields.CharEnumField(DocumentKind, default=DocumentKind.OTHER)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "kb.Category", related_name="documents", null=True, on_delete=fields.SET_NULL
    )
    audience = fields.CharEnumField(Audience, default=Audience.CUSTOMERS)
    company: fields.ForeignKeyNullableRelation["Company"] = fields.ForeignKeyField(
        "accounts.Company", related_name="documents", null=True, on_delete=fields.CASCADE
    )
    language = fields.CharField(max_length=2, default="it")
    stored_name = fields.CharField(max_length=80)
    original_name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=120)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64, default="")
    text_status = fields.CharEnumField(TextStatus, default=TextStatus.NOT_PDF)
    text_error = fields.CharField(max_length=300, default="")
    page_count = fields.IntField(default=0)
    source = fields.CharField(max_length=300, default="", description="Folder under kb_content when imported")
    uploaded_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "accounts.User", related_name="uploaded_documents", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    category_id: int | None
    company_id: int | None
    uploaded_by_id: int | None

    class Meta:
        table = "kb_document"
        ordering = ["title"]

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


class DocumentPage(Model):
    # The extracted text of one PDF page, indexed so a hit can point at the page.

    id = fields.IntField(primary_key=True)
    document: fields.ForeignKeyRelation[Document] = fields.ForeignKeyField(
        "kb.Document", related_name="pages", on_delete=fields.CASCADE
    )
    number = fields.IntField()
    text = fields.TextField()

    document_id: int

    class Meta:
        table = "kb_document_page"
        unique_together = (("document", "number"),)
        ordering = ["number"]


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.PUBLIC: N_("Everyone"),
    Audience.CUSTOMERS: N_("Customers (logged in)"),
    Audience.COMPANY: N_("One company only"),
    Audience.STAFF: N_("Staff only"),
}
KIND_LABELS: dict[DocumentKind, str] = {
    DocumentKind.MANUAL: N_("Manual"),
    DocumentKind.CONTRACT: N_("Contract and SLA"),
    DocumentKind.FORM: N_("Form"),
    DocumentKind.OTHER: N_("Other document"),
}
KIND_SECTIONS: dict[DocumentKind, str] = {
    DocumentKind.MANUAL: N_("Manuals"),
    DocumentKind.CONTRACT: N_("Contract and SLA"),
    DocumentKind.FORM: N_("Forms"),
    DocumentKind.OTHER: N_("Other documents"),
}
TEXT_STATUS_LABELS: dict[TextStatus, str] = {
    TextStatus.NOT_PDF: N_("Not a PDF"),
    TextStatus.PENDING: N_("Text extraction in progress"),
    TextStatus.READY: N_("Searchable page by page"),
    TextStatus.NO_TEXT: N_("No searchable text"),
    TextStatus.FAILED: N_("Text extraction failed"),
}
