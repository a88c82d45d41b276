"""Document rules: upload and edit (streamed, sniffed, PDFs checked), text extracted page by page later, removal."""

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from starlette.datastructures import UploadFile
from tortoise.transactions import in_transaction

from app.accounts.models import Company, User
from app.i18n import N_
from app.kb.models import Audience, Category, Document, DocumentKind, DocumentPage, TextStatus
from app.kb.pdftext import PdfError, extract_pdf_pages
from app.permissions import Action, allowed
from app.searching.outbox import enqueue
from app.settings import Settings
from app.uploads import StoredFile, UploadRefused, partial_path, publish, remove_stored, store_upload

log = logging.getLogger(__name__)

extraction_queued = asyncio.Event()
ENCRYPTED_PDF = N_("The PDF is encrypted or password-protected: upload a copy without a password.")
BROKEN_PDF = N_("The file is damaged or is not a valid PDF.")
PDF = "application/pdf"
DETAIL_FIELDS = ("title", "description", "kind", "category_id", "audience", "company_id", "language", "updated_at")
FILE_FIELDS = (
    "stored_name", "original_name", "content_type", "size", "sha256", "text_status", "text_error", "page_count",
)


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


@dataclass(frozen=True)
class NewFile:
    """A file stored under its random name and checked, not yet recorded on a document."""

    stored: StoredFile
    sha256: str


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
    if allowed(uploader, Action.MANAGE_DOCUMENTS):
        if meta.audience not in Audience._value2member_map_ or meta.kind not in DocumentKind._value2member_map_:
            raise DocumentError(N_("Choose who may read the document."))
    elif allowed(uploader, Action.SHARE_FILES):
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
    async with _checked_upload(settings, upload) as new_file:
        document = await _create(meta, category, company, new_file, uploader)
    await publish(documents_dir(settings), [new_file.stored])
    extraction_queued.set()
    return document


async def update_document(settings: Settings, staff: User, document: Document, meta: DocumentMeta,
                          upload: UploadFile | None) -> None:
    """Staff correct the details and may replace the file; a refused change leaves the document as it was."""
    if not allowed(staff, Action.MANAGE_DOCUMENTS):
        raise DocumentError(N_("You cannot edit documents."))
    meta, category, company = await check_meta(meta, staff)
    old_name = document.stored_name
    async with _checked_upload(settings, upload) if upload is not None else nullcontext() as new_file:
        _set_meta(document, meta, category, company)
        await _save(document, new_file)
    if new_file is not None:
        await publish(documents_dir(settings), [new_file.stored])
        await remove_stored(documents_dir(settings), old_name)
        if document.is_pdf:
            extraction_queued.set()


@asynccontextmanager
async def _checked_upload(settings: Settings, upload: UploadFile) -> AsyncIterator[NewFile]:
    """Store an upload (size cap, sniffed type) and check a PDF; the file is removed again if the block fails."""
    try:
        stored = await store_upload(upload, documents_dir(settings), settings.upload_max_mb * 1024 * 1024)
    except UploadRefused as refused:
        raise DocumentError(str(refused)) from None
    async with _removed_on_error(settings, stored):
        path = partial_path(documents_dir(settings), stored.stored_name)
        problem = await asyncio.to_thread(_pdf_problem, path) if stored.content_type == PDF else None
        if problem:
            raise DocumentError(problem)
        yield NewFile(stored, await asyncio.to_thread(_sha256, path))


@asynccontextmanager
async def _removed_on_error(settings: Settings, stored: StoredFile) -> AsyncIterator[None]:
    try:
        yield
    except BaseException:
        await remove_stored(documents_dir(settings), stored.stored_name)
        raise


def _set_meta(document: Document, meta: DocumentMeta, category: Category | None, company: Company | None) -> None:
    document.title, document.description = meta.title.strip()[:300], meta.description.strip()
    document.kind, document.audience = DocumentKind(meta.kind), Audience(meta.audience)
    document.category, document.company, document.language = category, company, meta.language


def _set_file(document: Document, new_file: NewFile) -> None:
    stored = new_file.stored
    document.stored_name, document.original_name = stored.stored_name, stored.original_name
    document.content_type, document.size, document.sha256 = stored.content_type, stored.size, new_file.sha256
    document.text_status = TextStatus.PENDING if stored.content_type == PDF else TextStatus.NOT_PDF
    document.text_error, document.page_count = "", 0


async def _save(document: Document, new_file: NewFile | None = None) -> None:
    """The document's changes and its search outbox row in one transaction; a file that is no PDF has no pages.
    A new document is inserted whole; an existing one gets only the fields changed here, so that a text
    extraction finishing meanwhile is not undone."""
    fields = DETAIL_FIELDS
    async with in_transaction():
        if new_file is not None:
            _set_file(document, new_file)
            fields += FILE_FIELDS
            if not document.is_pdf:
                await DocumentPage.filter(document_id=document.id).delete()
        await document.save(update_fields=fields)
        await enqueue("document", document.id)


async def _create(meta: DocumentMeta, category: Category | None, company: Company | None, new_file: NewFile,
                  uploader: User | None, source: str = "") -> Document:
    document = Document(uploaded_by=uploader, source=source)
    _set_meta(document, meta, category, company)
    _set_file(document, new_file)
    await _save(document)
    return document


async def extract_text(settings: Settings, document: Document) -> None:
    """Replace the stored pages of a PDF with its text, page by page (off the event loop)."""
    try:
        result = await extract_pdf_pages(documents_dir(settings) / document.stored_name)
    except PdfError as error:
        await _record_text(document, [], TextStatus.FAILED, error.message[:300])
        return
    await _record_text(document, result.pages, TextStatus.READY if result.has_text else TextStatus.NO_TEXT, "")


async def _record_text(document: Document, pages: list[str], status: TextStatus, error: str) -> None:
    """Store what the extraction found, unless the file was replaced while it ran: then its text (or its
    failure, the old file being gone) is not the document's, and the new file waits for its own turn."""
    async with in_transaction():
        still_this_file = await Document.filter(id=document.id, stored_name=document.stored_name).update(
            text_status=status, text_error=error, page_count=len(pages), updated_at=datetime.now(UTC))
        if not still_this_file:
            return
        await DocumentPage.filter(document_id=document.id).delete()
        await DocumentPage.bulk_create(
            [DocumentPage(document_id=document.id, number=n, text=text) for n, text in enumerate(pages, 1)]
        )
        await enqueue("document", document.id)
    document.text_status, document.text_error, document.page_count = status, error, len(pages)


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
    async with _removed_on_error(settings, stored):
        await _save(document, NewFile(stored, await asyncio.to_thread(_sha256, source_path)))
    await publish(documents_dir(settings), [stored])
    await remove_stored(documents_dir(settings), old_name)


async def create_from_file(settings: Settings, meta: DocumentMeta, source_path: Path, source: str) -> Document:
    """Used by the kb_content importer: a manual shipped as a file."""
    stored = await _store_local(settings, source_path)
    category = await Category.get_or_none(key=meta.category_key) if meta.category_key else None
    async with _removed_on_error(settings, stored):
        new_file = NewFile(stored, await asyncio.to_thread(_sha256, source_path))
        document = await _create(meta, category, None, new_file, None, source)
    await publish(documents_dir(settings), [stored])
    return document


async def _store_local(settings: Settings, source_path: Path) -> StoredFile:
    with source_path.open("rb") as handle:
        upload = UploadFile(handle, filename=source_path.name)  # type: ignore[arg-type]
        return await store_upload(upload, documents_dir(settings), max_bytes=10**10)


def file_sha256(path: Path) -> str:
    return _sha256(path)
