"""Admin pages for webhooks: the endpoints, a new one (its secret shown once), disable/enable, the delivery log."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.auth import require_user
from app.forms import InvalidInput, parse, typed
from app.i18n import _
from app.permissions import Action
from app.routing import route
from app.web import flash, read_form, redirect, render
from app.webhooks import service
from app.webhooks.forms import ActiveForm, EndpointForm
from app.webhooks.models import WebhookEndpoint, WebhookEvent

PAGE = "/admin/webhooks"


async def endpoints_page(request: Request) -> Response:
    context: dict[str, object] = {"events": list(WebhookEvent), "form": {"events": []}}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        values = {"url": "", "description": "", **typed(EndpointForm, form), "events": [str(e) for e in form.getlist("events")]}
        try:
            posted = parse(EndpointForm, form)
            made = await service.create_endpoint(require_user(request), posted.url, posted.events, posted.description)
        except (InvalidInput, service.WebhookError) as error:
            context.update(error=_(str(error)), form=values)
            status = 400
        else:  # shown in this answer only
            context.update(new_secret=made.secret, new_url=made.endpoint.url)
    context["endpoints"] = await WebhookEndpoint.all()
    return render(request, "webhooks/endpoints.html", context, status_code=status)


async def endpoint_log(request: Request) -> Response:
    endpoint = await WebhookEndpoint.get_or_none(id=request.path_params["endpoint_id"])
    if endpoint is None:
        raise HTTPException(status_code=404)
    return render(request, "webhooks/log.html", {"endpoint": endpoint, "log": await service.delivery_log(endpoint)})


async def toggle_endpoint(request: Request) -> Response:
    try:
        active = parse(ActiveForm, await read_form(request)).active == "1"
    except InvalidInput:
        raise HTTPException(status_code=400) from None
    if not await service.set_active(require_user(request), request.path_params["endpoint_id"], active):
        raise HTTPException(status_code=404)
    flash(request, _("Endpoint enabled.") if active else _("Endpoint disabled: nothing more is sent to it."),
          "success")
    return redirect(PAGE)


routes = [
    route(PAGE, endpoints_page, Action.ADMINISTER, methods=["GET", "POST"]),
    route(PAGE + "/{endpoint_id:id}", endpoint_log, Action.ADMINISTER),
    route(PAGE + "/{endpoint_id:id}/active", toggle_endpoint, Action.ADMINISTER, methods=["POST"]),
]
