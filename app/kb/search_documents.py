"""What the knowledge base puts in the search index: published FAQ, and documents (one hit per PDF page)."""

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

from app.kb import service
from app.kb.content import article_url, plain_text
from app.kb.models import Article, ArticleVersion, Audience, Document, DocumentPage
from search.types import SearchDocument


def _ids(object_ids: Sequence[str]) -> list[int]:
    return [int(i) for i in object_ids if str(i).isdigit()]


def _knowledge(**values: object) -> SearchDocument:
    defaults: dict[str, object] = {"product": "", "company_id": None, "requester_id": None, "status": ""}
    return SearchDocument(**{**defaults, **values})  # type: ignore[arg-type]


class FaqSource:
    name = "faq"
    multi_document = False  # always the one document "faq:<id>"

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        articles = await Article.filter(id__in=_ids(object_ids), published_number__isnull=False).select_related(
            "category")
        versions = await service.titles(articles, published=True)
        built: dict[str, list[SearchDocument]] = {}
        for article in articles:
            version = versions.get(article.id)
            if version is not None:
                built[str(article.id)] = [self._document(article, version)]
        return built

    def _document(self, article: Article, version: ArticleVersion) -> SearchDocument:
        return _knowledge(
            id=f"faq:{article.id}", kind="faq", title=version.title, body=plain_text(version.body),
            tags=list(version.tags), category=article.category.key if article.category else "",
            language=article.language, audience=article.audience.value, url=article_url(article.slug),
            updated_at=article.published_at or article.updated_at or datetime.now(UTC),
            extra={"slug": article.slug, "translation": article.translation_slug},  # one version per search
        )

    async def all_object_ids(self) -> AsyncIterator[str]:
        for article_id in await Article.filter(published_number__isnull=False).values_list("id", flat=True):
            yield str(article_id)


class DocumentSource:
    name = "document"

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        found = await Document.filter(id__in=_ids(object_ids)).select_related("category")
        pages = await DocumentPage.filter(document_id__in=[d.id for d in found]).order_by("number")
        by_document: dict[int, list[DocumentPage]] = {}
        for page in pages:
            by_document.setdefault(page.document_id, []).append(page)
        return {str(d.id): self._documents(d, by_document.get(d.id, [])) for d in found}

    def _documents(self, document: Document, pages: list[DocumentPage]) -> list[SearchDocument]:
        common = {
            "tags": [], "category": document.category.key if document.category else "",
            "language": document.language, "audience": document.audience.value,
            "company_id": document.company_id if document.audience is Audience.COMPANY else None,
            "updated_at": document.updated_at or datetime.now(UTC),
        }
        with_text = [page for page in pages if page.text.strip()]
        if not with_text:
            # Not a PDF, or a PDF without a text layer: its title and description are still findable.
            return [_knowledge(id=f"document:{document.id}", kind="document", title=document.title,
                               body=document.description, url=f"/documents/{document.id}", **common)]
        return [
            _knowledge(id=f"document:{document.id}:p{page.number}", kind="manual_page",
                       title=f"{document.title} — p. {page.number}", body=page.text, page=page.number,
                       url=f"/documents/{document.id}/file#page={page.number}",
                       extra={"manual": document.title, "manual_url": f"/documents/{document.id}"}, **common)
            for page in with_text
        ]

    async def all_object_ids(self) -> AsyncIterator[str]:
        for document_id in await Document.all().values_list("id", flat=True):
            yield str(document_id)


SOURCES = [FaqSource(), DocumentSource()]
