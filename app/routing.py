"""The route table's guard: every route names the action it needs, and the guard applies it before the
endpoint runs, so no page can forget its check and a test can read who may reach what."""

import functools
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Route

from app.auth import PASSWORD_CHANGE_PATH, current_user
from app.forms import valid_path_value
from app.permissions import Action, allowed
from app.web import redirect

Endpoint = Callable[[Request], Awaitable[Response]]


class IdConvertor(Convertor[int]):
    """`{name:id}`: a database id. Bounded digits, so int() never sees thousands of them; the guard
    answers 404 for one beyond the column."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


class GuardedRoute(Route):
    """A Route that carries its action; `temporary_ok` routes stay open to a person who must still replace
    a temporary password (login, logout, the password pages, the language switch)."""

    def __init__(self, path: str, endpoint: Endpoint, action: Action, *, methods: Sequence[str] = ("GET",),
                 name: str | None = None, temporary_ok: bool = False) -> None:
        self.action = action
        self.temporary_ok = temporary_ok
        super().__init__(path, _guarded(endpoint, action, temporary_ok), methods=list(methods),
                         name=name or f"{endpoint.__module__.removeprefix('app.')}:{endpoint.__name__}")


def route(path: str, endpoint: Endpoint, action: Action, *, methods: Sequence[str] = ("GET",),
          name: str | None = None, temporary_ok: bool = False) -> GuardedRoute:
    return GuardedRoute(path, endpoint, action, methods=methods, name=name, temporary_ok=temporary_ok)


def _guarded(endpoint: Endpoint, action: Action, temporary_ok: bool) -> Endpoint:
    @functools.wraps(endpoint)
    async def guard(request: Request) -> Response:
        if not all(valid_path_value(value) for value in request.path_params.values()):
            raise HTTPException(status_code=404)  # no row has that id, slug or name
        user = current_user(request)
        if user is not None and user.must_change_password and not temporary_ok:
            return redirect(PASSWORD_CHANGE_PATH)
        if not allowed(user, action):
            if user is None and action is not Action.BROWSE:
                return redirect(f"/login?next={quote(_path_and_query(request), safe='/')}")
            raise HTTPException(status_code=404)  # staff areas do not exist for everyone else
        return await endpoint(request)

    return guard


def _path_and_query(request: Request) -> str:
    query = request.url.query
    return f"{request.url.path}?{query}" if query else request.url.path
