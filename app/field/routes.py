"""Field service pages: interventions on a ticket, their expenses and receipts, the PDF form, the calendar,
and the technicians' iCalendar feed."""

import functools
from collections.abc import Awaitable, Callable
from datetime import date

from babel.dates import format_date
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.auth import require_user
from app.field import feed, service
from app.field.calendar import View, calendar
from app.field.forms import AnswerForm, CalendarQuery, ExpenseForm, FeedForm, InterventionForm
from app.field.models import Intervention
from app.field.pdf import FormData, intervention_form
from app.forms import InvalidInput, parse, parse_query, typed
from app.i18n import N_, _, get_locale
from app.permissions import Action
from app.routing import route
from app.tickets.access import ticket_for
from app.tickets.detail import detail_context
from app.tickets.models import Ticket, WorkLog
from app.tickets.routes import read_upload_form
from app.tickets.references import technicians
from app.tickets.service import TicketError, local_today
from app.uploads import serve_stored
from app.web import app_settings, flash, read_form, redirect, render

FieldAction = Callable[[Request, User, Ticket], Awaitable[Response]]


def field_action(action: FieldAction) -> Callable[[Request], Awaitable[Response]]:
    """Loads the caller's ticket (404 when not his to see); a refused step shows the ticket page again (400)."""

    @functools.wraps(action)
    async def endpoint(request: Request) -> Response:
        user = require_user(request)
        ticket = await ticket_for(user, request.path_params["ref"])
        try:
            return await action(request, user, ticket)
        except (InvalidInput, service.FieldError, TicketError) as error:
            context = await detail_context(user, ticket)
            message = error.message() if isinstance(error, service.FieldError) else _(str(error))
            context.update(error=message, typed=getattr(request.state, "typed", {}))
            return render(request, "tickets/detail.html", context, status_code=400)

    return endpoint


async def _intervention(request: Request, ticket: Ticket) -> Intervention:
    found = await service.intervention_of(ticket, request.path_params["intervention_id"])
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _back(ticket: Ticket) -> Response:
    return redirect(f"/tickets/{ticket.code}#interventions")


@field_action
async def plan(request: Request, user: User, ticket: Ticket) -> Response:
    form = await read_form(request)
    request.state.typed = typed(InterventionForm, form)
    posted = parse(InterventionForm, form)
    planned = service.slot(posted.starts_at, posted.ends_at, posted.place, posted.note)
    await service.propose(app_settings(request), user, ticket, posted.technician, planned)
    flash(request, _("Intervention proposed to the requester."), "success")
    return _back(ticket)


@field_action
async def move(request: Request, user: User, ticket: Ticket) -> Response:
    intervention = await _intervention(request, ticket)
    posted = parse(InterventionForm, await read_form(request))
    planned = service.slot(posted.starts_at, posted.ends_at, posted.place, posted.note)
    await service.move(app_settings(request), user, ticket, intervention, planned)
    flash(request, _("Intervention moved and proposed again."), "success")
    return _back(ticket)


def step_route(name: str, done: str) -> Callable[[Request], Awaitable[Response]]:
    async def answer(request: Request, user: User, ticket: Ticket) -> Response:
        intervention = await _intervention(request, ticket)
        posted = parse(AnswerForm, await read_form(request))
        await service.step(app_settings(request), user, ticket, intervention, name, posted.message)
        flash(request, _(done), "success")
        return _back(ticket)

    answer.__name__ = f"intervention_{name}"
    return field_action(answer)


@field_action
async def add_expense(request: Request, user: User, ticket: Ticket) -> Response:
    intervention = await _intervention(request, ticket)
    form = await read_upload_form(request)
    posted = parse(ExpenseForm, form)
    receipt = form.get("receipt")
    upload = receipt if isinstance(receipt, UploadFile) and receipt.filename else None
    await service.add_expense(app_settings(request), user, ticket, intervention, posted.kind, posted.amount,
                              posted.note, upload)
    flash(request, _("Expense added."), "success")
    return _back(ticket)


@field_action
async def delete_expense(request: Request, user: User, ticket: Ticket) -> Response:
    expense = await service.expense_of(ticket, request.path_params["expense_id"])
    if expense is None:
        raise HTTPException(status_code=404)
    await service.delete_expense(app_settings(request), user, ticket, expense)
    flash(request, _("Expense deleted."), "success")
    return _back(ticket)


async def receipt(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    expense = await service.expense_of(ticket, request.path_params["expense_id"])
    stored = service.receipt_file(expense) if expense is not None else None
    folder = service.receipts_dir(app_settings(request))
    if stored is None or not (folder / stored.stored_name).is_file():
        raise HTTPException(status_code=404)
    return serve_stored(folder, stored)


async def form_pdf(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    data = FormData(ticket, await WorkLog.filter(ticket_id=ticket.id).select_related("technician"),
                    await service.interventions_of(ticket))
    return Response(intervention_form(data), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{ticket.code}-intervento.pdf"',
        "X-Content-Type-Options": "nosniff"})


async def calendar_page(request: Request) -> Response:
    query = parse_query(CalendarQuery, request.query_params)
    team = await technicians()
    chosen = next((t for t in team if t.id == query.technician), None)
    today = local_today()
    anchor = query.date or today
    if not date(1, 2, 1) <= anchor <= date(9998, 12, 1):  # the view's neighbours must exist
        anchor = today
    shown = await calendar(query.view or View.MONTH, anchor, today, chosen.id if chosen else None)
    return render(request, "field/calendar.html", {
        "cal": shown, "technicians": team, "chosen": chosen, "View": View, "today": today, "clock": service.clock,
        "month_title": format_date(shown.anchor, "LLLL yyyy", locale=get_locale())})


async def feed_settings(request: Request) -> Response:
    """One's own feed: regenerate (the new address is shown once) or revoke."""
    user = require_user(request)
    address = ""
    if request.method == "POST":
        posted = parse(FeedForm, await read_form(request))
        if posted.action == "revoke":
            await feed.revoke(user)
            flash(request, _("Calendar address revoked."), "success")
            return redirect("/field/feed")
        address = f"{app_settings(request).base_url.rstrip('/')}/field/ical/{await feed.regenerate(user)}"
    return render(request, "field/feed.html", {"address": address, "active": await feed.has_feed(user)})


async def ical(request: Request) -> Response:
    owner = await feed.owner(request.path_params["token"])
    if owner is None:
        raise HTTPException(status_code=404)
    return Response(await feed.ical(owner, app_settings(request).base_url), media_type="text/calendar",
                    headers={"Cache-Control": "private, max-age=300"})


STEP = "/tickets/{ref}/interventions/{intervention_id:id}"
routes = [
    route("/tickets/{ref}/interventions", plan, Action.PLAN_INTERVENTION, methods=["POST"]),
    route(STEP + "/move", move, Action.PLAN_INTERVENTION, methods=["POST"]),
    route(STEP + "/done", step_route("done", N_("Intervention marked as done.")), Action.PLAN_INTERVENTION,
          methods=["POST"]),
    route(STEP + "/cancel", step_route("cancel", N_("Intervention cancelled.")), Action.PLAN_INTERVENTION,
          methods=["POST"]),
    route(STEP + "/confirm", step_route("confirm", N_("Intervention confirmed.")), Action.ANSWER_INTERVENTION,
          methods=["POST"]),
    route(STEP + "/ask-move", step_route("ask_move", N_("Your request to move the intervention was sent.")),
          Action.ANSWER_INTERVENTION, methods=["POST"]),
    route(STEP + "/expenses", add_expense, Action.PLAN_INTERVENTION, methods=["POST"]),
    route("/tickets/{ref}/expenses/{expense_id:id}/delete", delete_expense, Action.PLAN_INTERVENTION,
          methods=["POST"]),
    route("/tickets/{ref}/expenses/{expense_id:id}/receipt", receipt, Action.VIEW_TICKET),
    route("/tickets/{ref}/intervention-form.pdf", form_pdf, Action.VIEW_TICKET),
    route("/field/calendar", calendar_page, Action.SEE_CALENDAR),
    route("/field/feed", feed_settings, Action.SEE_CALENDAR, methods=["GET", "POST"]),
    route("/field/ical/{token}", ical, Action.BROWSE),
]
