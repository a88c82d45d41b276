"""My preferences → API tokens: the owner makes (seeing the token once), lists and revokes his tokens."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.api import tokens
from app.api.forms import TokenForm
from app.auth import require_user
from app.forms import InvalidInput, parse, typed
from app.i18n import _
from app.permissions import Action
from app.routing import route
from app.web import flash, read_form, redirect, render

PAGE = "/preferences/api-tokens"


async def token_page(request: Request) -> Response:
    user = require_user(request)
    context: dict[str, object] = {"scopes": list(tokens.Scope), "chosen": [tokens.Scope.READ.value]}
    status = 200
    if request.method == "POST":
        form = await read_form(request)
        typed_values = typed(TokenForm, form)
        try:
            posted = parse(TokenForm, form)
            made = await tokens.create_token(user, posted.name, posted.scopes)
        except (InvalidInput, tokens.TokenError) as error:
            context.update(error=_(str(error)), name=typed_values.get("name", ""),
                           chosen=[str(s) for s in form.getlist("scopes")])
            status = 400
        else:  # shown in this answer only, never stored in the cookie or anywhere else
            context.update(new_token=made.token, new_name=made.row.name)
    context["tokens"] = await tokens.tokens_of(user)
    return render(request, "api/tokens.html", context, status_code=status)


async def revoke_token(request: Request) -> Response:
    if not await tokens.revoke(require_user(request), request.path_params["token_id"]):
        raise HTTPException(status_code=404)
    flash(request, _("The token has been revoked: it no longer works."), "success")
    return redirect(PAGE)


routes = [
    route(PAGE, token_page, Action.USE_PORTAL, methods=["GET", "POST"]),
    route(PAGE + "/{token_id:id}/revoke", revoke_token, Action.USE_PORTAL, methods=["POST"]),
]
