"""Documents pages: the list (manuals, contract and SLA, forms, company files), upload, edit, detail, file, delete."""

from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from app.accounts.models import Company, User
from app.auth import current_user, require_user
from app.forms import InvalidInput, parse, typed
from app.i18n import N_, _
from app.kb import documents
from app.kb.access import (
    readable_documents_filter,
)
from app.kb.models import (
    AUDIENCE_LABELS, KIND_LABELS, KIND_SECTIONS, TEXT_STATUS_LABELS, Audience, Category, Document, DocumentKind,
)
from app.uploads import serve_stored
from app.kb.forms import DocumentForm
from app.web import MAX_FORM_FIELDS, MAX_FORM_PART_BYTES, app_settings, flash, read_form, redirect, render
from app.permissions import Action, allowed
from app.routing import route

SaveDocument = Callable[[documents.DocumentMeta, UploadFile | None], Awaitable[Document]]

LABELS = {"audience_labels": AUDIENCE_LABELS, "kind_labels": KIND_LABELS, "kind_sections": KIND_SECTIONS,
          "status_labels": TEXT_STATUS_LABELS}


async def _readable_document(request: Request) -> Document:
    document = await Document.get_or_none(id=request.path_params["document_id"]).select_related(
        "company", "category", "uploaded_by")
    if document is None or not allowed(current_user(request), Action.READ_DOCUMENT, document):
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
    return allowed(user, Action.MANAGE_DOCUMENTS) or allowed(user, Action.SHARE_FILES)


async def _upload_context(user: User) -> dict[str, object]:
    staff = allowed(user, Action.MANAGE_DOCUMENTS)
    return {
        "staff": staff, "companies": await Company.all().order_by("name") if staff else [],
        "categories": await Category.all().order_by("position") if staff else [], **LABELS,
    }


def _meta_from(form: FormData) -> documents.DocumentMeta:
    posted = parse(DocumentForm, form)
    return documents.DocumentMeta(
        title=posted.title, description=posted.description, kind=(posted.kind or DocumentKind.OTHER).value,
        category_key=posted.category, audience=(posted.audience or Audience.CUSTOMERS).value,
        company_id=posted.company, language=posted.language or "it",
    )


def _form_page(request: Request, page: str, context: dict[str, object], status_code: int = 200) -> Response:
    # htmx posts the form and swaps only the form back in (with its error), keeping the progress bar.
    template = "kb/_upload_form.html" if request.headers.get("HX-Request") else page
    return render(request, template, context, status_code=status_code)


def _chosen_file(form: FormData) -> UploadFile | None:
    upload = form.get("file")
    return upload if isinstance(upload, UploadFile) and upload.filename else None


async def _posted_form(request: Request, page: str, context: dict[str, object], save: SaveDocument,
                       done: str) -> Response:
    """Parse the posted form and let `save` apply it: the document's page follows, or the form again with the error."""
    form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_PART_BYTES)
    try:
        document = await save(_meta_from(form), _chosen_file(form))
    except (InvalidInput, documents.DocumentError) as error:
        shown = typed(DocumentForm, form)
        return _form_page(request, page, {**context, "form": shown, "error": _(str(error))}, status_code=400)
    finally:
        await form.close()
    flash(request, _(done), "success")
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": f"/documents/{document.id}"})
    return redirect(f"/documents/{document.id}")


async def document_upload(request: Request) -> Response:
    user = require_user(request)
    if not _can_upload(user):
        raise HTTPException(status_code=404)
    context = {**await _upload_context(user), "form_action": "/documents/new", "submit_label": N_("Upload")}
    if request.method != "POST":
        return render(request, "kb/document_upload.html", {**context, "form": {}})

    async def save(meta: documents.DocumentMeta, upload: UploadFile | None) -> Document:
        if upload is None:
            raise documents.DocumentError(N_("Choose a file."))
        return await documents.upload_document(app_settings(request), user, upload, meta)

    return await _posted_form(request, "kb/document_upload.html", context, save, N_("Document uploaded."))


async def document_edit(request: Request) -> Response:
    """Staff correct a document's details or replace its file, keeping its id and links; others get 404."""
    user = require_user(request)  # the route table lets only staff (MANAGE_DOCUMENTS) reach this
    document = await _readable_document(request)
    context = {**await _upload_context(user), "document": document, "form_action": f"/documents/{document.id}/edit",
               "submit_label": N_("Save changes"), "current_file": document.original_name}
    if request.method != "POST":
        return render(request, "kb/document_edit.html", {**context, "form": _values_of(document)})

    async def save(meta: documents.DocumentMeta, upload: UploadFile | None) -> Document:
        await documents.update_document(app_settings(request), user, document, meta, upload)
        return document

    return await _posted_form(request, "kb/document_edit.html", context, save, N_("Document saved."))


def _values_of(document: Document) -> dict[str, str]:
    return {
        "title": document.title, "description": document.description, "kind": document.kind.value,
        "category": document.category.key if document.category else "", "audience": document.audience.value,
        "company": str(document.company_id or ""), "language": document.language,
    }


async def document_detail(request: Request) -> Response:
    user = current_user(request)
    document = await _readable_document(request)
    return render(request, "kb/document.html", {
        "document": document, "can_edit": allowed(user, Action.MANAGE_DOCUMENTS),
        "can_delete": allowed(user, Action.DELETE_DOCUMENT, document),
        **LABELS,
    })


async def document_status(request: Request) -> Response:
    """Polled by the detail page while the text of a PDF is being extracted."""
    document = await _readable_document(request)
    return render(request, "kb/_document_status.html", {"document": document, **LABELS})


async def document_file(request: Request) -> Response:
    document = await _readable_document(request)
    folder = documents.documents_dir(app_settings(request))
    if not (folder / document.stored_name).is_file():  # lost from the disk: the row alone serves nothing
        raise HTTPException(status_code=404)
    return serve_stored(folder, documents.stored_file(document))


async def document_delete(request: Request) -> Response:
    document = await _readable_document(request)
    if not allowed(current_user(request), Action.DELETE_DOCUMENT, document):
        raise HTTPException(status_code=404)
    await read_form(request)
    await documents.delete_document(app_settings(request), document)
    flash(request, _("Document deleted."), "success")
    return redirect("/documents")


routes: list[BaseRoute] = [
    route("/documents", document_list, Action.BROWSE),
    route("/documents/new", document_upload, Action.USE_PORTAL, methods=["GET", "POST"]),
    route("/documents/{document_id:id}", document_detail, Action.BROWSE),
    route("/documents/{document_id:id}/edit", document_edit, Action.MANAGE_DOCUMENTS, methods=["GET", "POST"]),
    route("/documents/{document_id:id}/status", document_status, Action.BROWSE),
    route("/documents/{document_id:id}/file", document_file, Action.BROWSE),
    route("/documents/{document_id:id}/delete", document_delete, Action.USE_PORTAL, methods=["POST"]),
]
