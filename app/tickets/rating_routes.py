"""Rating a closed ticket by the signed link of the auto-close mail (the ticket page's form is a ticket action)."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.forms import InvalidInput, parse
from app.i18n import _
from app.permissions import Action, allowed
from app.routing import route
from app.tickets import rating
from app.tickets.forms import RatingForm
from app.tickets.models import Rating
from app.web import app_settings, read_form, render

THANKS = "Thank you: your rating was saved."


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
    try:
        posted = parse(RatingForm, await read_form(request))
        saved = await rating.rate(requester, ticket, posted.score, posted.comment)
    except (InvalidInput, rating.RatingError) as error:
        return render(request, "tickets/rate.html", {**context, "error": _(str(error))}, status_code=400)
    return render(request, "tickets/rate.html", {**context, "rating": saved, "saved": True})


routes = [
    route("/rating/{token}", rating_page, Action.BROWSE, methods=["GET", "POST"]),
]
