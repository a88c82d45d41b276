"""Documents pages: the list (manuals, contract and SLA, forms, the company's files), upload, detail, file, delete."""

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from app.accounts.models import Company, User
from app.auth import current_user, login_required, require_user
from app.i18n import N_, _
from app.kb import documents
from app.kb.access import (
    can_delete_document, can_manage_documents, can_read_document, can_share_with_support, readable_documents_filter,
)
from app.kb.models import (
    AUDIENCE_LABELS, KIND_LABELS, KIND_SECTIONS, TEXT_STATUS_LABELS, Audience, Category, Document, DocumentKind,
)
from app.uploads import serve_stored
from app.web import MAX_FORM_FIELDS, MAX_FORM_PART_BYTES, app_settings, field, flash, read_form, redirect, render

LABELS = {"audience_labels": AUDIENCE_LABELS, "kind_labels": KIND_LABELS, "kind_sections": KIND_SECTIONS,
          "status_labels": TEXT_STATUS_LABELS}


async def _readable_document(request: Request) -> Document:
    document = await Document.get_or_none(id=request.path_params["document_id"]).select_related(
        "company", "category", "uploaded_by")
    if document is None or not can_read_document(current_user(request), document):
        raise HTTPException(status_code=404)
    return document


async def document_list(request: Request) -> Response:
    user = current_user(request)
    rows = await Document.filter(readable_documents_filter(user)).select_related("company").order_by("title")
    company_files = [d for d in rows if d.audience is Audience.COMPANY]
    shared = [d for d in rows if d.audience is not Audience.COMPANY]
    by_kind = {kind: [d for d in shared if d.kind is kind] for kind in DocumentKind}
    return render(request, "kb/documents.html", {
        "by_kind": by_kind, "company_files": company_files, "can_upload": _can_upload(user), **LABELS,
    })


def _can_upload(user: User | None) -> bool:
    return can_manage_documents(user) or can_share_with_support(user)


async def _upload_context(user: User) -> dict[str, object]:
    staff = can_manage_documents(user)
    return {
        "staff": staff, "companies": await Company.all().order_by("name") if staff else [],
        "categories": await Category.all().order_by("position") if staff else [], **LABELS,
    }


def _meta_from(form: FormData) -> documents.DocumentMeta:
    company = field(form, "company")
    return documents.DocumentMeta(
        title=field(form, "title"), description=field(form, "description"), kind=field(form, "kind") or "other",
        category_key=field(form, "category"), audience=field(form, "audience") or "customers",
        company_id=int(company) if company.isdigit() else None, language=field(form, "language") or "it",
    )


def _upload_page(request: Request, context: dict[str, object], status_code: int = 200) -> Response:
    # htmx posts the form and swaps only the form back in (with its error), keeping the progress bar.
    template = "kb/_upload_form.html" if request.headers.get("HX-Request") else "kb/document_upload.html"
    return render(request, template, context, status_code=status_code)


@login_required
async def document_upload(request: Request) -> Response:
    user = require_user(request)
    if not _can_upload(user):
        raise HTTPException(status_code=404)
    context = await _upload_context(user)
    if request.method == "GET":
        return render(request, "kb/document_upload.html", {**context, "form": {}})
    settings = app_settings(request)
    form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_PART_BYTES)
    values = {k: field(form, k) for k in ("title", "description", "kind", "category", "audience", "company",
                                          "language")}
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise documents.DocumentError(N_("Choose a file."))
        document = await documents.upload_document(settings, user, upload, _meta_from(form))
    except documents.DocumentError as error:
        return _upload_page(request, {**context, "form": values, "error": _(str(error))}, status_code=400)
    finally:
        await form.close()
    flash(request, _("Document uploaded."), "success")
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": f"/documents/{document.id}"})
    return redirect(f"/documents/{document.id}")


async def document_detail(request: Request) -> Response:
    document = await _readable_document(request)
    return render(request, "kb/document.html", {
        "document": document, "can_delete": can_delete_document(current_user(request), document), **LABELS,
    })


async def document_status(request: Request) -> Response:
    """Polled by the detail page while the text of a PDF is being extracted."""
    document = await _readable_document(request)
    return render(request, "kb/_document_status.html", {"document": document, **LABELS})


async def document_file(request: Request) -> Response:
    document = await _readable_document(request)
    return serve_stored(documents.documents_dir(app_settings(request)), documents.stored_file(document))


@login_required
async def document_delete(request: Request) -> Response:
    document = await _readable_document(request)
    if not can_delete_document(current_user(request), document):
        raise HTTPException(status_code=404)
    await read_form(request)
    await documents.delete_document(app_settings(request), document)
    flash(request, _("Document deleted."), "success")
    return redirect("/documents")


routes: list[BaseRoute] = [
    Route("/documents", document_list),
    Route("/documents/new", document_upload, methods=["GET", "POST"]),
    Route("/documents/{document_id:int}", document_detail),
    Route("/documents/{document_id:int}/status", document_status),
    Route("/documents/{document_id:int}/file", document_file),
    Route("/documents/{document_id:int}/delete", document_delete, methods=["POST"]),
]
