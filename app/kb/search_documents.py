"""What the knowledge base puts in the search index: published FAQ, and documents (one hit per PDF page)."""

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

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
        articles = await Article.filter(id__in=_ids(object_ids), published_number__isnull=False)
        published = {a.id: a.published_number for a in articles}
        rows = await ArticleVersion.filter(article_id__in=list(published)).select_related("category")
        versions = {v.article_id: v for v in rows if published[v.article_id] == v.number}
        return {str(a.id): [self._document(a, versions[a.id])] for a in articles if a.id in versions}

    def _document(self, article: Article, version: ArticleVersion) -> SearchDocument:
        """All from the published version: a saved draft changes nothing in the index."""
        return _knowledge(
            id=f"faq:{article.id}", kind="faq", title=version.title, body=plain_text(version.body),
            tags=list(version.tags), category=version.category.key if version.category else "",
            language=version.language, audience=Audience(version.audience).value, url=article_url(version.slug),
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
