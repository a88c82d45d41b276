"""Who is asking: the session holds only ids; this module turns them into a User and guards routes."""

import functools
import time
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import i18n
from app.accounts.models import Role, User, UserStatus
from app.web import redirect

REMEMBER_SECONDS = 30 * 24 * 3600
SESSION_SECONDS = 12 * 3600

Endpoint = Callable[[Request], Awaitable[Response]]


def login(request: Request, user: User, remember: bool) -> None:
    request.session.clear()
    lifetime = REMEMBER_SECONDS if remember else SESSION_SECONDS
    request.session.update(
        {"uid": user.id, "ver": user.session_version, "exp": int(time.time()) + lifetime, "locale": user.locale}
    )


def logout(request: Request) -> None:
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale


async def _session_user(conn: HTTPConnection) -> User | None:
    session = conn.session
    uid, version, expires = session.get("uid"), session.get("ver"), session.get("exp", 0)
    if not isinstance(uid, int) or expires < time.time():
        return None
    user = await User.get_or_none(id=uid, status=UserStatus.ACTIVE).select_related("company")
    return user if user is not None and user.session_version == version else None


class CurrentUserMiddleware:
    """Loads the user (if any) into request.state.user and sets the request's language."""

    def __init__(self, app: ASGIApp, default_locale: str) -> None:
        self.app = app
        self.default_locale = default_locale

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        user = await _session_user(conn)
        scope.setdefault("state", {})["user"] = user
        i18n.set_locale(user.locale if user else conn.session.get("locale", self.default_locale))
        await self.app(scope, receive, send)


def current_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=404)
    return user


PASSWORD_CHANGE_PATH = "/password/change"


def login_required(endpoint: Endpoint) -> Endpoint:
    @functools.wraps(endpoint)
    async def guarded(request: Request) -> Response:
        user = current_user(request)
        if user is None:
            return redirect(f"/login?next={request.url.path}")
        if user.must_change_password and request.url.path != PASSWORD_CHANGE_PATH:
            return redirect(PASSWORD_CHANGE_PATH)
        return await endpoint(request)

    return guarded


def role_required(*roles: Role) -> Callable[[Endpoint], Endpoint]:
    """Staff areas answer 404 to everyone else: their existence is nobody else's business."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = current_user(request)
            if user is not None and not any(user.has_role(role) for role in roles):
                raise HTTPException(status_code=404)
            return await endpoint(request)

        return login_required(guarded)

    return decorate
