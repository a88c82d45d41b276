"""Who is asking: the cookie holds a session id; this module turns it into a User (app/routing.py guards routes)."""

from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from app import i18n
from app.accounts import sessions
from app.accounts.models import Session, User, UserStatus
from app.reads import TEXT_STAND_INS, Prepared

SESSION_ID = "sid"


async def login(request: Request, user: User, remember: bool) -> None:
    """Start a server-side session; the cookie keeps only its id and the language."""
    await logout(request)  # a new id at every login: a session id planted before it is worth nothing
    session_id = await sessions.start_session(user.id, remember, request.headers.get("user-agent", ""))
    request.session.update({SESSION_ID: session_id, "locale": user.locale})


async def logout(request: Request) -> None:
    """End the session on the server: a copy of the cookie is anonymous from now on."""
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        await sessions.end_session(session_id)
    locale = request.session.get("locale")
    request.session.clear()
    if locale:
        request.session["locale"] = locale


# One query a request finds the session, its user and the user's company.
_session_query = Prepared(
    Session,
    lambda token_hash: Session.filter(token_hash=token_hash, user__status=UserStatus.ACTIVE)
    .select_related("user__company").limit(2),
    TEXT_STAND_INS[0],
)


async def _load_session(session_id: str) -> Session | None:
    found = await _session_query.rows(sessions.digest(session_id))
    return found[0] if len(found) == 1 else None


async def _current_session(conn: HTTPConnection) -> Session | None:
    session_id = conn.session.get(SESSION_ID)
    if not isinstance(session_id, str):
        return None
    row = await _load_session(session_id)
    now = datetime.now(UTC)
    if row is None or not sessions.is_current(row, now):
        return None
    await sessions.note_seen(row, now)
    return row


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
        row = await _current_session(conn)
        user = row.user if row is not None else None
        state = scope.setdefault("state", {})
        state["user"], state["session"] = user, row
        i18n.set_locale(user.locale if user else conn.session.get("locale", self.default_locale))
        await self.app(scope, receive, send)


def current_user(request: Request) -> User | None:
    return getattr(request.state, "user", None)


def current_session(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise HTTPException(status_code=404)
    return user


PASSWORD_CHANGE_PATH = "/password/change"
