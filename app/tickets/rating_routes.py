"""Rating a closed ticket: the form on the ticket page, and the page of the signed link in the auto-close mail."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.auth import require_user
from app.i18n import _
from app.permissions import Action, allowed
from app.routing import route
from app.tickets import rating
from app.tickets.access import ticket_for
from app.tickets.models import Rating
from app.web import app_settings, field, flash, read_form, redirect, render

THANKS = "Thank you: your rating was saved."


async def post_rating(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    form = await read_form(request)
    try:
        await rating.rate(user, ticket, field(form, "score"), field(form, "comment"))
    except rating.RatingError as error:
        flash(request, _(str(error)), "error")
    else:
        flash(request, _(THANKS), "success")
    return redirect(f"/tickets/{ticket.code}#rating")


async def rating_page(request: Request) -> Response:
    """The signed link works without logging in: it names the ticket and its requester, for 30 days."""
    found = await rating.from_link(app_settings(request), request.path_params["token"])
    if found is None:
        raise HTTPException(status_code=404)
    ticket, requester = found
    current = await Rating.get_or_none(ticket_id=ticket.id)
    context = {"ticket": ticket, "rating": current, "scores": rating.SCORES, "action": request.url.path,
               "can_rate": allowed(requester, Action.RATE_TICKET, ticket)}
    if request.method != "POST":
        return render(request, "tickets/rate.html", context)
    form = await read_form(request)
    try:
        saved = await rating.rate(requester, ticket, field(form, "score"), field(form, "comment"))
    except rating.RatingError as error:
        return render(request, "tickets/rate.html", {**context, "error": _(str(error))}, status_code=400)
    return render(request, "tickets/rate.html", {**context, "rating": saved, "saved": True})


routes = [
    route("/tickets/{ref}/rating", post_rating, Action.RATE_TICKET, methods=["POST"]),
    route("/rating/{token}", rating_page, Action.BROWSE, methods=["GET", "POST"]),
]
