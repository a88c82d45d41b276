"""Request forgery protection and password hashing."""

from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class CSRFMiddleware:
    """Refuses unsafe requests that a browser says come from another site, or that carry no origin at all.

    Modern browsers send Sec-Fetch-Site; older ones send Origin on every POST. A request with neither
    is not from a browser form of ours, so it is refused too.
    """

    def __init__(self, app: ASGIApp, trusted_origins: tuple[str, ...]) -> None:
        self.app = app
        self.trusted = frozenset(_origin(o) for o in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS and not self._allowed(scope):
            response = PlainTextResponse("Forbidden: cross-site request refused.", status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:
            return fetch_site in TRUSTED_FETCH_SITES
        origin = headers.get("origin")
        if not origin or origin == "null":
            return False
        host = headers.get("host", "")
        own = f"{scope.get('scheme', 'http')}://{host}".lower()
        return _origin(origin) in self.trusted or _origin(origin) == own
