"""How an API call is let in: a personal token (`Authorization: Bearer`), never the session cookie, so no
cross-site form can act through it; then the token's scope, then the same permission rules as the pages.
Every refusal and failure is a JSON error with a clear message."""

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from limits import parse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app import i18n, ratelimit
from app.accounts.models import User
from app.api import tokens
from app.api.schemas import Error, ErrorBody, FieldError
from app.forms import valid_path_value
from app.kb.service import KbError
from app.permissions import Action, allowed
from app.routing import GuardedRoute
from app.tickets.service import TicketError
from search.types import EngineUnavailable

M = TypeVar("M", bound=BaseModel)
ApiEndpoint = Callable[[Request, User], Awaitable[Response]]

TOKEN_FAILURES = parse("30/15 minutes")  # wrong tokens from one client: guessing
MAX_BODY_BYTES = 1024 * 1024
MESSAGES = {400: "Bad request.", 401: "A valid API token is required: Authorization: Bearer <token>.",
            403: "This token does not have the scope this call needs.", 404: "Not found.",
            405: "Method not allowed.", 413: "The request body is too large.",
            429: "Too many failed attempts. Wait a few minutes and try again.",
            503: "Search is unavailable at the moment: try again later."}

TEMPORARY_PASSWORD = ("This account still has a temporary password: sign in on the portal and replace it "
                      "(/password/change), then the token works.")


class ApiError(Exception):
    def __init__(self, status: int, message: str = "", fields: Sequence[FieldError] = ()) -> None:
        super().__init__(message)
        self.status, self.message, self.fields = status, message or MESSAGES.get(status, ""), list(fields)


def error_response(status: int, message: str = "", fields: Sequence[FieldError] = ()) -> JSONResponse:
    body = Error(error=ErrorBody(status=status, message=message or MESSAGES.get(status, ""), fields=list(fields)))
    headers = {"WWW-Authenticate": 'Bearer realm="sportello"'} if status == 401 else None
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def field_errors(error: ValidationError) -> list[FieldError]:
    return [FieldError(field=".".join(str(p) for p in e["loc"]) or "body", message=e["msg"]) for e in error.errors()]


def parse_model(model: type[M], values: Any) -> M:
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise ApiError(400, "The request has invalid fields.", field_errors(error)) from None


def query_values(request: Request) -> dict[str, str]:
    return {key: value for key, value in request.query_params.items() if value != ""}


async def json_body(request: Request) -> Any:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks) or b"null")
    except ValueError:
        raise ApiError(400, "The body is not valid JSON.") from None


async def _caller(request: Request, scope: tokens.Scope) -> User:
    counter = ratelimit.Counter(TOKEN_FAILURES, "api-token", ratelimit.client_key(request))
    if await ratelimit.exhausted([counter]):
        raise ApiError(429)
    kind, _space, raw = request.headers.get("authorization", "").partition(" ")
    found = await tokens.authenticate(raw.strip()) if kind.lower() == "bearer" and raw else None
    if found is None:
        if raw:
            await ratelimit.record([counter])
        raise ApiError(401)
    user, token = found
    if user.must_change_password:  # as on the pages: nothing else until the temporary password is replaced
        raise ApiError(403, TEMPORARY_PASSWORD)
    if scope not in token.scopes:
        raise ApiError(403)
    return user


def _api_guard(endpoint: ApiEndpoint, action: Action, scope: tokens.Scope | None) -> Callable[[Request], Awaitable[Response]]:
    async def guard(request: Request) -> Response:
        i18n.set_locale("en")  # API messages are English whoever asks
        try:
            if not all(valid_path_value(value) for value in request.path_params.values()):
                raise ApiError(404)  # no row has that id or reference
            user = await _caller(request, scope) if scope is not None else None
            if not allowed(user, action):
                raise ApiError(404)
            return await endpoint(request, user)  # type: ignore[arg-type]
        except ApiError as error:
            return error_response(error.status, error.message, error.fields)
        except HTTPException as error:  # the services' and access modules' 404
            return error_response(error.status_code, "" if error.status_code in MESSAGES else str(error.detail))
        except (TicketError, KbError) as error:
            return error_response(400, str(error))
        except EngineUnavailable:
            return error_response(503)

    guard.__name__ = endpoint.__name__
    guard.__module__ = endpoint.__module__
    return guard


class ApiRoute(GuardedRoute):
    """A GuardedRoute whose caller is the token's owner: the route table names its action as for pages,
    and also the token scope it needs (None: open to anyone, like the OpenAPI document)."""

    def __init__(self, path: str, endpoint: ApiEndpoint, action: Action, scope: tokens.Scope | None,
                 methods: Sequence[str]) -> None:
        self.action, self.temporary_ok, self.scope = action, True, scope
        Route.__init__(self, path, _api_guard(endpoint, action, scope), methods=list(methods),
                       name=f"api:{endpoint.__name__}")
