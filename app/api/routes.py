"""The JSON API under /api/v1: another thin front over the services, with the pages' permission rules."""

import functools
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

from app.accounts.models import User, UserStatus
from app.api.guard import (
    ApiError,
    ApiRoute,
    error_response,
    json_body,
    parse_model,
    query_values,
)
from app.api.openapi import Operation, build_document
from app.api.schemas import (
    ArticleDetail,
    ArticleList,
    ArticleListQuery,
    ArticleSummary,
    AttachmentList,
    AttachmentOut,
    CommentCreate,
    CommentOut,
    FieldError,
    Person,
    SearchHit,
    SearchQueryParams,
    SearchResults,
    TicketCreate,
    TicketDetail,
    TicketList,
    TicketListQuery,
    TicketSummary,
)
from app.api.token_routes import routes as token_routes
from app.api.tokens import Scope
from app.insights.models import Purpose
from app.insights.service import record_search, role_of
from app.kb import service as kb
from app.kb.access import readable_articles_filter
from app.kb.content import render_article
from app.kb.models import Article, ArticleVersion
from app.permissions import Action, allowed
from app.searching.service import search_for
from app.settings import Settings
from app.tickets import listing, submissions
from app.tickets import service as tickets
from app.tickets.access import ticket_for
from app.tickets.detail import visible_attachments
from app.tickets.forms import NewTicketForm
from app.tickets.models import Attachment, Comment, Ticket
from app.tickets.routes import read_upload_form, uploads_in
from app.uploads import StoredFile, serve_stored
from app.web import app_settings

PREFIX = "/api/v1"


def _json(model: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(model.model_dump(mode="json"), status_code=status)


def _person(user: User | None) -> Person | None:
    return Person(id=user.id, name=user.full_name) if user is not None else None


def _ticket_summary(settings: Settings, ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id, "code": ticket.code, "title": ticket.title, "status": ticket.status,
        "ticket_type": ticket.ticket_type, "priority": ticket.priority, "severity": ticket.severity,
        "requester": _person(ticket.requester), "company": ticket.company.name if ticket.company else None,
        "assignee": _person(ticket.assignee), "category": ticket.category.name if ticket.category else None,
        "product": ticket.product.name if ticket.product else None, "created_at": ticket.created_at,
        "updated_at": ticket.updated_at, "url": f"{settings.base_url}/tickets/{ticket.code}",
    }


# ---- tickets ----

async def list_tickets(request: Request, user: User) -> Response:
    query = parse_model(TicketListQuery, query_values(request))
    filters = {name: value for name, value in (("f_status", query.status), ("f_priority", query.priority),
                                                ("f_type", query.type)) if value is not None}
    params = listing.ListParams(view=query.view, scope=query.scope, q=query.q, filters=filters, size=query.size,
                                page=query.page)
    page = await listing.ticket_page(user, params)
    settings = app_settings(request)
    return _json(TicketList(tickets=[TicketSummary(**_ticket_summary(settings, t)) for t in page.tickets],
                            total=page.total, page=page.params.page, pages=page.pages, size=query.size))


async def _detail(request: Request, user: User, ticket: Ticket) -> TicketDetail:
    settings = app_settings(request)
    comments = Comment.filter(ticket_id=ticket.id).select_related("author").order_by("id")
    if not allowed(user, Action.READ_INTERNAL_NOTES, ticket):
        comments = comments.filter(internal=False)
    files = await visible_attachments(user, ticket).order_by("id")
    return TicketDetail(
        **_ticket_summary(settings, ticket), description=ticket.description, resolution=ticket.resolution,
        channel=ticket.channel.value, planned_for=ticket.planned_for, sla_deadline=ticket.sla_deadline,
        resolved_at=ticket.resolved_at, closed_at=ticket.closed_at,
        comments=[_comment(number, c) for number, c in enumerate(await comments, start=1)],
        attachments=[_attachment(settings, ticket, a) for a in files],
    )


def _attachment(settings: Settings, ticket: Ticket, row: Attachment) -> AttachmentOut:
    return AttachmentOut(id=row.id, name=row.original_name, size=row.size, content_type=row.content_type,
                         internal=row.internal, created_at=row.created_at,
                         url=f"{settings.base_url}{PREFIX}/tickets/{ticket.code}/attachments/{row.id}")


def _comment(number: int, comment: Comment) -> CommentOut:
    return CommentOut(id=comment.id, number=number, author=_person(comment.author), body=comment.body,
                      internal=comment.internal, created_at=comment.created_at)


async def get_ticket(request: Request, user: User) -> Response:
    ticket = await ticket_for(user, request.path_params["ref"])
    return _json(await _detail(request, user, ticket))


async def _requester(user: User, requester_id: int | None) -> User | None:
    """Staff open tickets on a requester's behalf and must name him; a requester opens for himself."""
    if not allowed(user, Action.OPEN_TICKET_FOR_OTHERS):
        if requester_id is not None and requester_id != user.id:
            raise ApiError(400, "Only staff open tickets for someone else.",
                           [FieldError(field="requester_id", message="Leave it out: the ticket is yours.")])
        return None
    found = await User.get_or_none(id=requester_id, is_requester=True, status=UserStatus.ACTIVE) \
        if requester_id is not None else None
    if found is None:
        raise ApiError(400, "Choose the requester.",
                       [FieldError(field="requester_id", message="The id of an active requester is required.")])
    return found


def _idempotency_key(request: Request) -> str:
    """`Idempotency-Key`: the forms' one-time key, so a retried POST creates one ticket or comment."""
    key = request.headers.get("idempotency-key", "").strip()
    if key and not submissions.is_valid(key):
        raise ApiError(400, "Idempotency-Key must be 16 to 64 letters, digits, '-' or '_'.",
                       [FieldError(field="Idempotency-Key", message="16 to 64 of A-Z a-z 0-9 - _")])
    return key


async def create_ticket(request: Request, user: User) -> Response:
    key = _idempotency_key(request)
    data = parse_model(TicketCreate, await json_body(request))
    form = NewTicketForm(title=data.title, description=data.description, ticket_type=data.ticket_type,
                         priority=data.priority, severity=data.severity, category=data.category_id,
                         product=data.product_id)
    ticket_input = await tickets.ticket_input(form)
    requester = await _requester(user, data.requester_id)
    ticket = await tickets.create_ticket(app_settings(request), user, ticket_input, requester, submission=key)
    loaded = await ticket_for(user, ticket.code)
    return _json(await _detail(request, user, loaded), status=201)


async def create_comment(request: Request, user: User) -> Response:
    ticket = await ticket_for(user, request.path_params["ref"])
    key = _idempotency_key(request)
    data = parse_model(CommentCreate, await json_body(request))
    if data.internal and not allowed(user, Action.WRITE_INTERNAL_NOTE, ticket):
        raise ApiError(400, "Only technicians write internal notes.",
                       [FieldError(field="internal", message="Leave it out or false.")])
    comment = await tickets.add_comment(app_settings(request), user, ticket, data.body, internal=data.internal,
                                        submission=key)
    shown = Comment.filter(ticket_id=ticket.id, id__lte=comment.id)
    if not allowed(user, Action.READ_INTERNAL_NOTES, ticket):
        shown = shown.filter(internal=False)
    await comment.fetch_related("author")
    return _json(_comment(await shown.count(), comment), status=201)


async def upload_attachments(request: Request, user: User) -> Response:
    """The page's rules for files: at most 5 of UPLOAD_MAX_MB each, accepted by sniffed content."""
    ticket = await ticket_for(user, request.path_params["ref"])
    settings = app_settings(request)
    try:
        form = await read_upload_form(request)
    except tickets.TicketError as error:
        raise ApiError(413, str(error)) from None
    rows = await tickets.add_attachments(settings, user, ticket, uploads_in(form))
    return _json(AttachmentList(attachments=[_attachment(settings, ticket, row) for row in rows]), status=201)


async def get_attachment(request: Request, user: User) -> Response:
    ticket = await ticket_for(user, request.path_params["ref"])
    row: Attachment | None = await visible_attachments(user, ticket).get_or_none(id=request.path_params["attachment_id"])
    folder = tickets.attachments_dir(app_settings(request))
    if row is None or not (folder / row.stored_name).is_file():
        raise ApiError(404)
    return serve_stored(folder, StoredFile(row.stored_name, row.original_name, row.content_type, row.size),
                        inline_allowed=False)


# ---- knowledge base ----

def _article_summary(settings: Settings, article: Article, version: ArticleVersion) -> dict[str, Any]:
    category = article.category
    return {"slug": article.slug, "title": version.title, "language": article.language,
            "audience": article.audience.value, "category": category.name_en if category else None,
            "tags": list(version.tags), "published_at": article.published_at,
            "url": f"{settings.base_url}/kb/{article.slug}"}


async def list_articles(request: Request, user: User | None) -> Response:
    query = parse_model(ArticleListQuery, query_values(request))
    articles = Article.filter(readable_articles_filter(user), published_number__isnull=False)
    if query.language:
        articles = articles.filter(language=query.language)
    total = await articles.count()
    rows = await articles.order_by("slug").offset((query.page - 1) * query.size).limit(query.size) \
        .select_related("category")
    versions = await kb.titles(rows, published=True)
    settings = app_settings(request)
    return _json(ArticleList(
        articles=[ArticleSummary(**_article_summary(settings, a, versions[a.id])) for a in rows if a.id in versions],
        total=total, page=query.page, pages=max(1, -(-total // query.size)), size=query.size))


async def get_article(request: Request, user: User | None) -> Response:
    article = await Article.get_or_none(slug=request.path_params["slug"]).select_related("category")
    if article is None or not allowed(user, Action.READ_ARTICLE, article):
        raise ApiError(404)
    version = await kb.published_version(article)
    if version is None and allowed(user, Action.EDIT_KB):  # editors read drafts, as on the pages
        version = await kb.current_version(article)
    if version is None:
        raise ApiError(404)
    html = render_article(version.body, article.language, article.slug, await kb.readable_slugs(user)).html
    return _json(ArticleDetail(**_article_summary(app_settings(request), article, version), version=version.number,
                               body=version.body, html=str(html), translation_slug=article.translation_slug))


# ---- search ----

async def search(request: Request, user: User) -> Response:
    query = parse_model(SearchQueryParams, query_values(request))
    result = await search_for(app_settings(request), user, query.q, kinds=[query.kind] if query.kind else [],
                              page=query.page, per_page=query.size)
    if query.page == 1:  # counted like the search page's: a later page is the same search
        # No session behind a token: each call is an event of its own (no typing trail to continue).
        await record_search({}, query.q, user.locale, role_of(user), Purpose.SEARCH, result.total)
    hits = [SearchHit(id=h.id, kind=h.kind, title=h.title, snippet_html=str(h.snippet_html), url=h.url, page=h.page,
                      status=h.status, category=h.category, updated_at=h.updated_at) for h in result.hits]
    return _json(SearchResults(hits=hits, total=result.total, page=query.page, size=query.size))


# ---- the document and the rest ----

async def openapi_document(request: Request, user: User | None) -> Response:
    return JSONResponse(_document(app_settings(request).base_url))


@functools.cache
def _document(base_url: str) -> dict[str, Any]:
    return build_document(OPERATIONS, base_url + PREFIX)


async def not_found(request: Request, user: User | None) -> Response:
    """Any other address under /api/v1: JSON too; 405 where the path exists for another method."""
    scope = {**request.scope, "path": request.url.path}
    if any(r.matches(scope)[0] is Match.PARTIAL for r in routes if r.path != f"{PREFIX}/{{rest:path}}"):
        return error_response(405)
    return error_response(404)


OPERATIONS: list[Operation] = [
    Operation("GET", "/tickets", list_tickets, Action.USE_PORTAL, Scope.READ,
              "Tickets the caller may see, filtered and paged as in the ticket lists", TicketList, query=TicketListQuery),
    Operation("POST", "/tickets", create_ticket, Action.OPEN_TICKET, Scope.WRITE,
              "Open a ticket (staff: on behalf of `requester_id`)", TicketDetail, status=201, body=TicketCreate),
    Operation("GET", "/tickets/{ref}", get_ticket, Action.VIEW_TICKET, Scope.READ,
              "One ticket (`TT12` or its id) with its comments and files", TicketDetail),
    Operation("POST", "/tickets/{ref}/comments", create_comment, Action.COMMENT_TICKET, Scope.WRITE,
              "Add a reply, or (technicians) an internal note", CommentOut, status=201, body=CommentCreate),
    Operation("POST", "/tickets/{ref}/attachments", upload_attachments, Action.COMMENT_TICKET, Scope.WRITE,
              "Attach files to the ticket (multipart/form-data, field `files`)", AttachmentList, status=201,
              upload=True),
    Operation("GET", "/tickets/{ref}/attachments/{attachment_id:id}", get_attachment, Action.VIEW_TICKET,
              Scope.READ, "Download a file of the ticket", None),
    Operation("GET", "/kb/articles", list_articles, Action.USE_PORTAL, Scope.READ,
              "Published FAQ articles the caller may read", ArticleList, query=ArticleListQuery),
    Operation("GET", "/kb/articles/{slug}", get_article, Action.USE_PORTAL, Scope.READ,
              "One FAQ article: Markdown and rendered HTML", ArticleDetail),
    Operation("GET", "/search", search, Action.USE_PORTAL, Scope.READ,
              "The portal's search, as the caller would see it", SearchResults, query=SearchQueryParams,
              errors=(401, 403, 404, 429, 503)),
]

routes = [
    ApiRoute(PREFIX + "/openapi.json", openapi_document, Action.BROWSE, None, ["GET"]),
    *(ApiRoute(PREFIX + op.path, op.endpoint, op.action, op.scope, [op.method]) for op in OPERATIONS),
    ApiRoute(PREFIX + "/{rest:path}", not_found, Action.BROWSE, None,
             ["GET", "POST", "PUT", "PATCH", "DELETE"]),
    *token_routes,
]
