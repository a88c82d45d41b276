"""The admin page of received mail: what each message became, newest first."""

from starlette.requests import Request
from starlette.responses import Response

from app.forms import parse_query
from app.inbound.forms import InboundQuery
from app.inbound.models import Outcome
from app.inbound.service import received_page
from app.permissions import Action
from app.routing import route
from app.web import app_settings, render


async def inbound_log(request: Request) -> Response:
    settings = app_settings(request)
    asked = parse_query(InboundQuery, request.query_params)
    page = await received_page(asked.outcome, asked.page)
    return render(request, "inbound/admin.html", {
        "listing": page, "outcome": asked.outcome, "outcomes": list(Outcome),
        "enabled": bool(settings.inbound_imap_url), "address": settings.support_address,
    })


routes = [route("/admin/inbound", inbound_log, Action.ADMINISTER)]
