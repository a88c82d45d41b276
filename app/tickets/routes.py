"""Ticket pages: lists, new ticket, detail with comments and attachments, staff actions, queues, print view."""

import functools
from collections.abc import Awaitable, Callable

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User, UserStatus
from app.auth import require_user
from app.forms import InvalidInput, parse, parse_query, typed
from app.i18n import N_, _
from app.insights.service import record_ticket_opened
from app.tickets import admin_routes, listing, rating, rating_routes, references, service, submissions
from app.tickets.forms import AssignForm, CommentForm, DetailsForm, DuplicateForm, NewTicketForm, NewTicketQuery, \
    RatingForm, TransitionForm, WorklogForm
from app.tickets.access import can_see, sees_company_tickets, ticket_for
from app.tickets.choices import Priority, Severity
from app.tickets.detail import detail_context, visible_attachments
from app.tickets.models import Channel, Ticket, WorkKind
from app.tickets.promote import routes as promote_routes
from app.tickets.similar import routes as similar_routes
from app.tickets.suggestions import review_context
from app.tickets.suggestions import routes as suggestion_routes
from app.tickets.workflow import Event, TicketType
from app.uploads import StoredFile, serve_stored
from app.web import app_settings, flash, read_form, redirect, render
from app.permissions import Action, allowed
from app.routing import route

TOO_LARGE = N_("The upload is too large or has too many parts: at most 5 files of %(mb)s MB each.")


async def read_upload_form(request: Request) -> FormData:
    settings = app_settings(request)
    try:
        return await request.form(max_files=service.MAX_FILES, max_fields=50,
                                  max_part_size=settings.upload_max_mb * 1024 * 1024 + 1)
    except MultiPartException:
        raise service.TicketError(_(TOO_LARGE, mb=settings.upload_max_mb)) from None


def uploads_in(form: FormData) -> list[UploadFile]:
    return [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]


async def _form_choices(user: User) -> dict[str, object]:
    choices: dict[str, object] = {
        "types": list(TicketType), "priorities": list(Priority), "severities": list(Severity),
        "categories": await references.all_categories(active_only=True),
        "products": await references.all_products(active_only=True),
        "channels": list(Channel),
    }
    if allowed(user, Action.OPEN_TICKET_FOR_OTHERS):
        choices["requesters"] = await User.filter(is_requester=True, status=UserStatus.ACTIVE).select_related(
            "company").order_by("full_name")
    return choices


# ---- lists ----

async def ticket_list(request: Request) -> Response:
    user = require_user(request)
    params = listing.parse_params(request.query_params)
    page = await listing.ticket_page(user, params)
    return render(request, "tickets/list.html", {
        "page": page, "params": page.params, "statuses": listing.STATUS_CHOICES, "priorities": list(Priority),
        "types": list(TicketType), "sizes": listing.PAGE_SIZES, "can_share": sees_company_tickets(user),
    })


async def queues(request: Request) -> Response:
    user = require_user(request)
    params = parse_query(listing.QueueQuery, request.query_params)
    now = service.now_utc()
    counts = await listing.queue_counts(user, now)
    page = await listing.queue(user, params.queue, now, counts[params.queue], params.page)
    return render(request, "tickets/queues.html", {
        "queue_name": params.queue, "page": page, "tickets": page.tickets, "counts": counts,
        "clocks": await listing.clocks_for(page.tickets, now),
    })


# ---- new ticket ----

async def new_ticket(request: Request) -> Response:
    user = require_user(request)
    context = {**await _form_choices(user), "form": {"priority": "media", "severity": "non_bloccante",
                                                     "channel": "phone"}, "submission_key": submissions.new_key()}
    if request.method != "POST":  # ?title= comes from a search that found nothing
        context["form"]["title"] = parse_query(NewTicketQuery, request.query_params).title
        return render(request, "tickets/new.html", context)
    try:
        form = await read_upload_form(request)
    except service.TicketError as error:
        return render(request, "tickets/new.html", {**context, "error": _(str(error))}, status_code=400)
    values = context["form"] = typed(NewTicketForm, form)
    on_behalf = allowed(user, Action.OPEN_TICKET_FOR_OTHERS)
    try:
        posted = parse(NewTicketForm, form)
        data = await service.ticket_input(posted)
        if not (on_behalf or posted.confirmed):  # without JavaScript a requester first sees the answers we know
            return render(request, "tickets/new.html", {**context, **await review_context(request, user, values)})
        requester = await _requester_choice(user, posted.requester)
        ticket = await service.create_ticket(app_settings(request), user, data, requester, uploads=uploads_in(form),
                                             submission=posted.submission)
    except (InvalidInput, service.TicketError) as error:
        review = {} if on_behalf or isinstance(error, InvalidInput) else await review_context(request, user, values)
        return render(request, "tickets/new.html", {**context, **review, "error": _(str(error))}, status_code=400)
    if not on_behalf:
        await record_ticket_opened(request.session)
    flash(request, _("Ticket %(code)s opened. We will answer as soon as possible.", code=ticket.code), "success")
    return redirect(f"/tickets/{ticket.code}")


async def _requester_choice(user: User, chosen: int | None) -> User | None:
    if not allowed(user, Action.OPEN_TICKET_FOR_OTHERS):
        return None
    requester = await User.get_or_none(id=chosen, is_requester=True, status=UserStatus.ACTIVE) if chosen else None
    if requester is None:
        raise service.TicketError(N_("Choose the requester from the list."))
    return requester


# ---- detail and print ----

async def ticket_detail(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    return render(request, "tickets/detail.html", await detail_context(user, ticket))


async def ticket_print(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    return render(request, "tickets/print.html", await detail_context(user, ticket))


async def _back_with_error(request: Request, user: User, ref: str, error: ValueError) -> Response:
    """The detail page again with the message and what was typed, so nothing is lost (400)."""
    ticket = await ticket_for(user, ref)
    context = await detail_context(user, ticket)
    context.update(error=_(str(error)), typed=getattr(request.state, "typed", {}))
    return render(request, "tickets/detail.html", context, status_code=409 if isinstance(
        error, service.TicketConflict) else 400)


# ---- actions ----

TicketAction = Callable[[Request, User, Ticket], Awaitable[Response]]


def ticket_action(action: TicketAction) -> Callable[[Request], Awaitable[Response]]:
    """Loads the caller's ticket (404 when it is not theirs to see) and shows a refused action on its page."""

    @functools.wraps(action)
    async def endpoint(request: Request) -> Response:
        user = require_user(request)
        ref = request.path_params["ref"]
        ticket = await ticket_for(user, ref)
        try:
            return await action(request, user, ticket)
        except (InvalidInput, service.TicketError) as error:
            return await _back_with_error(request, user, ref, error)

    return endpoint


@ticket_action
async def post_comment(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_upload_form(request)
    request.state.typed = typed(CommentForm, form)
    posted = parse(CommentForm, form)
    await service.add_comment(app_settings(request), user, ticket, posted.body, internal=posted.internal,
                              uploads=uploads_in(form), submission=posted.submission)
    flash(request, _("Your comment was added."), "success")
    return redirect(f"/tickets/{ticket.code}#comments")


@ticket_action
async def post_attachments(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_upload_form(request)
    count = len(await service.add_attachments(app_settings(request), user, ticket, uploads_in(form)))
    flash(request, _("Files attached: %(count)s.", count=count), "success")
    return redirect(f"/tickets/{ticket.code}#attachments")


async def get_attachment(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    row = await visible_attachments(user, ticket).get_or_none(id=request.path_params["attachment_id"])
    folder = service.attachments_dir(app_settings(request))
    if row is None or not can_see(user, ticket) or not (folder / row.stored_name).is_file():
        raise HTTPException(status_code=404)
    return serve_stored(folder, StoredFile(row.stored_name, row.original_name, row.content_type, row.size))


@ticket_action
async def post_transition(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_form(request)
    request.state.typed = typed(TransitionForm, form)
    posted = parse(TransitionForm, form)
    if posted.event is None:
        raise service.TicketError(service.REFUSED)
    status = await service.transition(app_settings(request), user, ticket, posted.event, posted.version,
                                      posted.resolution, posted.planned_for)
    flash(request, _("Status: %(status)s.", status=status.label), "success")
    if posted.event is Event.CONFIRM_RESOLVED:  # the requester confirmed the solution: ask how it went
        return redirect(f"/tickets/{ticket.code}#rating")
    return redirect(f"/tickets/{ticket.code}")


@ticket_action
async def post_rating(request: Request, user: User, ticket: Ticket) -> Response:
    posted = parse(RatingForm, await read_form(request))
    try:
        await rating.rate(user, ticket, posted.score, posted.comment)
    except rating.RatingError as error:
        raise service.TicketError(str(error)) from None  # shown on the ticket page, like a refused action
    flash(request, _(rating_routes.THANKS), "success")
    return redirect(f"/tickets/{ticket.code}#rating")


@ticket_action
async def post_assign(request: Request, user: User, ticket: Ticket) -> Response:
    posted = parse(AssignForm, await read_form(request))
    await service.assign(app_settings(request), user, ticket, posted.assignee, posted.version)
    flash(request, _("Assignment saved."), "success")
    return redirect(f"/tickets/{ticket.code}")


@ticket_action
async def post_details(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_form(request)
    request.state.typed = typed(DetailsForm, form)
    posted = parse(DetailsForm, form)
    changed = await service.update_details(app_settings(request), user, ticket, posted, posted.version)
    flash(request, _("Ticket saved.") if changed else _("Nothing to change."), "success")
    return redirect(f"/tickets/{ticket.code}")


@ticket_action
async def post_worklog(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_form(request)
    request.state.typed = typed(WorklogForm, form)
    posted = parse(WorklogForm, form)
    await service.log_work(user, ticket, posted.day or service.local_today(), posted.hours, posted.note,
                           posted.kind or WorkKind.BILLABLE, posted.contract)
    flash(request, _("Work logged."), "success")
    return redirect(f"/tickets/{ticket.code}#work")


@ticket_action
async def post_duplicate(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_form(request)
    request.state.typed = typed(DuplicateForm, form)
    posted = parse(DuplicateForm, form)
    original = await service.mark_duplicate(app_settings(request), user, ticket, posted.original, posted.version)
    flash(request, _("Marked as a duplicate of %(code)s.", code=original.code), "success")
    return redirect(f"/tickets/{ticket.code}")


routes = [
    route("/tickets", ticket_list, Action.USE_PORTAL),
    route("/tickets/new", new_ticket, Action.OPEN_TICKET, methods=["GET", "POST"]),
    route("/tickets/queues", queues, Action.WORK_QUEUES),
    route("/tickets/{ref}", ticket_detail, Action.VIEW_TICKET),
    route("/tickets/{ref}/print", ticket_print, Action.VIEW_TICKET),
    route("/tickets/{ref}/comments", post_comment, Action.COMMENT_TICKET, methods=["POST"]),
    route("/tickets/{ref}/attachments", post_attachments, Action.COMMENT_TICKET, methods=["POST"]),
    route("/tickets/{ref}/attachments/{attachment_id:id}", get_attachment, Action.VIEW_TICKET),
    route("/tickets/{ref}/transition", post_transition, Action.CHANGE_TICKET_STATUS, methods=["POST"]),
    route("/tickets/{ref}/assign", post_assign, Action.WORK_TICKET, methods=["POST"]),
    route("/tickets/{ref}/details", post_details, Action.WORK_TICKET, methods=["POST"]),
    route("/tickets/{ref}/worklog", post_worklog, Action.WORK_TICKET, methods=["POST"]),
    route("/tickets/{ref}/duplicate", post_duplicate, Action.WORK_TICKET, methods=["POST"]),
    route("/tickets/{ref}/rating", post_rating, Action.RATE_TICKET, methods=["POST"]),
    *suggestion_routes,
]
routes += admin_routes.routes
routes += rating_routes.routes
routes += [*similar_routes, *promote_routes]
