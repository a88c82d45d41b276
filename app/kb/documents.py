"""Document rules: upload (streamed, sniffed, PDFs checked), page-by-page text extraction in the background, removal."""

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from starlette.datastructures import UploadFile
from tortoise.transactions import in_transaction

from app.accounts.models import Company, User
from app.i18n import N_
from app.kb.access import can_manage_documents, can_share_with_support
from app.kb.models import Audience, Category, Document, DocumentKind, DocumentPage, TextStatus
from app.kb.pdftext import PdfError, extract_pdf_pages
from app.searching.outbox import enqueue
from app.settings import Settings
from app.uploads import StoredFile, UploadRefused, remove_stored, store_upload

log = logging.getLogger(__name__)

extraction_queued = asyncio.Event()
ENCRYPTED_PDF = N_("The PDF is encrypted or password-protected: upload a copy without a password.")
BROKEN_PDF = N_("The file is damaged or is not a valid PDF.")


class DocumentError(ValueError):
    """A rule refused the request; the message is an English msgid shown to the user translated."""


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    description: str = ""
    kind: str = DocumentKind.OTHER.value
    category_key: str = ""
    audience: str = Audience.CUSTOMERS.value
    company_id: int | None = None
    language: str = "it"


def documents_dir(settings: Settings) -> Path:
    return settings.data_dir / "documents"


def stored_file(document: Document) -> StoredFile:
    return StoredFile(document.stored_name, document.original_name, document.content_type, document.size)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pdf_problem(path: Path) -> str | None:
    """A quick structural check, so an unreadable PDF is refused at upload; the text comes later."""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return ENCRYPTED_PDF
        if len(reader.pages) == 0:
            return BROKEN_PDF
    except DependencyError:
        return ENCRYPTED_PDF
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return BROKEN_PDF
    return None


async def check_meta(meta: DocumentMeta, uploader: User) -> tuple[DocumentMeta, Category | None, Company | None]:
    """What the uploader may publish: staff choose; a requester shares only with support in their company's space."""
    if not meta.title.strip():
        raise DocumentError(N_("Enter a title."))
    if can_manage_documents(uploader):
        if meta.audience not in Audience._value2member_map_ or meta.kind not in DocumentKind._value2member_map_:
            raise DocumentError(N_("Choose who may read the document."))
    elif can_share_with_support(uploader):
        meta = DocumentMeta(meta.title, meta.description, DocumentKind.OTHER.value, "", Audience.COMPANY.value,
                            uploader.company_id, meta.language)
    else:
        raise DocumentError(N_("You cannot upload documents."))
    company = None
    if meta.audience == Audience.COMPANY:
        company = await Company.get_or_none(id=meta.company_id) if meta.company_id else None
        if company is None:
            raise DocumentError(N_("Choose the company that may read the document."))
    category = await Category.get_or_none(key=meta.category_key) if meta.category_key else None
    return meta, category, company


async def upload_document(settings: Settings, uploader: User, upload: UploadFile, meta: DocumentMeta) -> Document:
    """Store the file and its record; a PDF is checked now and its text extracted in the background."""
    meta, category, company = await check_meta(meta, uploader)
    try:
        stored = await store_upload(upload, documents_dir(settings), settings.upload_max_mb * 1024 * 1024)
    except UploadRefused as refused:
        raise DocumentError(str(refused)) from None
    path = documents_dir(settings) / stored.stored_name
    try:
        is_pdf = stored.content_type == "application/pdf"
        problem = await asyncio.to_thread(_pdf_problem, path) if is_pdf else None
        if problem:
            raise DocumentError(problem)
        document = await _create(meta, category, company, stored, await asyncio.to_thread(_sha256, path), uploader)
    except BaseException:
        await remove_stored(documents_dir(settings), stored.stored_name)
        raise
    extraction_queued.set()
    return document


async def _create(meta: DocumentMeta, category: Category | None, company: Company | None, stored: StoredFile,
                  sha256: str, uploader: User | None, source: str = "") -> Document:
    async with in_transaction():
        document = await Document.create(
            title=meta.title.strip()[:300], description=meta.description.strip(), kind=DocumentKind(meta.kind),
            category=category, audience=Audience(meta.audience), company=company, language=meta.language,
            stored_name=stored.stored_name, original_name=stored.original_name, content_type=stored.content_type,
            size=stored.size, sha256=sha256, uploaded_by=uploader, source=source,
            text_status=TextStatus.PENDING if stored.content_type == "application/pdf" else TextStatus.NOT_PDF,
        )
        await enqueue("document", document.id)
    return document


async def extract_text(settings: Settings, document: Document) -> None:
    """Replace the stored pages of a PDF with its text, page by page (off the event loop)."""
    try:
        result = await extract_pdf_pages(documents_dir(settings) / document.stored_name)
    except PdfError as error:
        async with in_transaction():
            await DocumentPage.filter(document_id=document.id).delete()
            document.text_status, document.text_error, document.page_count = TextStatus.FAILED, error.message[:300], 0
            await document.save(update_fields=["text_status", "text_error", "page_count", "updated_at"])
            await enqueue("document", document.id)
        return
    async with in_transaction():
        await DocumentPage.filter(document_id=document.id).delete()
        await DocumentPage.bulk_create(
            [DocumentPage(document_id=document.id, number=n, text=text) for n, text in enumerate(result.pages, 1)]
        )
        document.text_status = TextStatus.READY if result.has_text else TextStatus.NO_TEXT
        document.text_error, document.page_count = "", len(result.pages)
        await document.save(update_fields=["text_status", "text_error", "page_count", "updated_at"])
        await enqueue("document", document.id)


async def extract_pending(settings: Settings) -> int:
    """The background job: extract every PDF waiting for it."""
    pending = await Document.filter(text_status=TextStatus.PENDING).order_by("id")
    for document in pending:
        try:
            await extract_text(settings, document)
        except Exception as error:  # one unreadable file must not hold back the others
            log.exception("text extraction of document %s failed", document.id)
            document.text_status, document.text_error = TextStatus.FAILED, f"{type(error).__name__}: {error}"[:300]
            await document.save(update_fields=["text_status", "text_error", "updated_at"])
    return len(pending)


async def delete_document(settings: Settings, document: Document) -> None:
    async with in_transaction():
        await document.delete()
        await enqueue("document", document.id)
    await remove_stored(documents_dir(settings), document.stored_name)


async def replace_file(settings: Settings, document: Document, source_path: Path) -> None:
    """Used by the kb_content importer: a new PDF for an existing manual, text extracted again."""
    stored = await _store_local(settings, source_path)
    old_name = document.stored_name
    async with in_transaction():
        document.stored_name, document.size = stored.stored_name, stored.size
        document.original_name, document.content_type = stored.original_name, stored.content_type
        document.sha256, document.text_status = await asyncio.to_thread(_sha256, source_path), TextStatus.PENDING
        await document.save()
        await enqueue("document", document.id)
    await remove_stored(documents_dir(settings), old_name)


async def create_from_file(settings: Settings, meta: DocumentMeta, source_path: Path, source: str) -> Document:
    """Used by the kb_content importer: a manual shipped as a file."""
    stored = await _store_local(settings, source_path)
    category = await Category.get_or_none(key=meta.category_key) if meta.category_key else None
    return await _create(meta, category, None, stored, await asyncio.to_thread(_sha256, source_path), None, source)


async def _store_local(settings: Settings, source_path: Path) -> StoredFile:
    with source_path.open("rb") as handle:
        upload = UploadFile(handle, filename=source_path.name)  # type: ignore[arg-type]
        return await store_upload(upload, documents_dir(settings), max_bytes=10**10)


def file_sha256(path: Path) -> str:
    return _sha256(path)
