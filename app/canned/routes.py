"""Canned replies: the technicians' list and editor, and the insert into a ticket's reply box (with and without
JavaScript: the Insert button sends the reply form here, which answers the ticket page with the text added)."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from app.auth import require_user
from app.forms import InvalidInput, parse, parse_query, typed
from app.canned import service
from app.canned.forms import CannedForm, InsertQuery
from app.canned.models import CannedReply
from app.i18n import _
from app.permissions import Action
from app.routing import route
from app.tickets.access import ticket_for
from app.tickets.detail import detail_context
from app.web import flash, read_form, redirect, render

PAGE = "/canned"


def _message(error: service.CannedError, body: str) -> str:
    return _(str(error), names=", ".join("{" + n + "}" for n in service.unknown_placeholders(body)))


async def _form_page(request: Request, reply: CannedReply | None) -> Response:
    user = require_user(request)
    context: dict[str, object] = {"reply": reply, "placeholders": service.PLACEHOLDERS,
                                  "form": {"title": reply.title if reply else "", "body": reply.body if reply else "",
                                           "shared": reply is None or reply.owner_id is None}}
    if request.method == "POST":
        form = await read_form(request)
        values = {"title": "", "body": "", **typed(CannedForm, form), "shared": "shared" in form}
        try:
            posted = parse(CannedForm, form)
            await service.save_reply(user, posted.title, posted.body, posted.shared, reply)
        except InvalidInput as error:
            context.update(form=values, error=str(error))
            return render(request, "canned/form.html", context, status_code=400)
        except service.CannedError as error:
            context.update(form=values, error=_message(error, str(values["body"])))
            return render(request, "canned/form.html", context, status_code=400)
        flash(request, _("Canned reply saved."), "success")
        return redirect(PAGE)
    if reply is None:
        context["replies"] = await service.replies_for(user)
        return render(request, "canned/list.html", context)
    return render(request, "canned/form.html", context)


async def canned_list(request: Request) -> Response:
    return await _form_page(request, None)


async def canned_edit(request: Request) -> Response:
    reply = await service.reply_for(require_user(request), request.path_params["reply_id"])
    if reply is None:
        raise HTTPException(status_code=404)
    return await _form_page(request, reply)


async def canned_delete(request: Request) -> Response:
    if not await service.delete_reply(require_user(request), request.path_params["reply_id"]):
        raise HTTPException(status_code=404)
    flash(request, _("Canned reply deleted."), "success")
    return redirect(PAGE)


async def insert_into_reply(request: Request) -> Response:
    """GET /tickets/{ref}/canned?canned=ID[&body=typed][&format=text]: the reply filled for this ticket, as text
    for the script, or as the ticket page with the reply box holding what was typed plus the reply."""
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    asked = parse_query(InsertQuery, request.query_params)
    reply = await service.reply_for(user, asked.canned) if asked.canned is not None else None
    if reply is None:
        raise HTTPException(status_code=404)
    text = service.fill(reply.body, service.ticket_values(ticket, user))
    if asked.format == "text":
        return PlainTextResponse(text)
    written = asked.body.rstrip()
    context = await detail_context(user, ticket)
    context["typed"] = {"body": f"{written}\n\n{text}" if written else text, "internal": asked.internal,
                        "submission": asked.submission}
    return render(request, "tickets/detail.html", context)


routes = [
    route(PAGE, canned_list, Action.WORK_QUEUES, methods=["GET", "POST"]),
    route(PAGE + "/{reply_id:id}", canned_edit, Action.WORK_QUEUES, methods=["GET", "POST"]),
    route(PAGE + "/{reply_id:id}/delete", canned_delete, Action.WORK_QUEUES, methods=["POST"]),
    route("/tickets/{ref}/canned", insert_into_reply, Action.WORK_TICKET),
]
