"""Request forgery protection, security headers and password hashing."""

import asyncio
import functools
import secrets
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
TRUSTED_FETCH_SITES = frozenset({"same-origin", "none"})

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """One argon2 verification whatever the account: without a hash a dummy one is checked, so the time
    taken does not tell an unknown or password-less account from a real one."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


async def hashed_off_loop(password: str) -> str:
    """hash_password on a worker thread: argon2 takes tens of milliseconds of CPU by design, and the
    event loop keeps serving other requests meanwhile (argon2-cffi releases the GIL)."""
    return await asyncio.to_thread(hash_password, password)


async def verified_off_loop(password_hash: str | None, password: str) -> bool:
    """verify_password on a worker thread (see hashed_off_loop)."""
    return await asyncio.to_thread(verify_password, password_hash, password)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class CSRFMiddleware:
    """Refuses unsafe requests that a browser says come from another site, or that carry no origin at all.

    Modern browsers send Sec-Fetch-Site; older ones send Origin on every POST. A request with neither
    is not from a browser form of ours, so it is refused too. `exempt_prefixes` are paths that never read
    the session cookie (the JSON API authenticates each call by its token), so a forged request gains nothing.
    """

    def __init__(self, app: ASGIApp, trusted_origins: tuple[str, ...], exempt_prefixes: tuple[str, ...] = ()) -> None:
        self.app = app
        self.trusted = frozenset(_origin(o) for o in trusted_origins)
        self.exempt = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS \
                and not scope["path"].startswith(self.exempt) and not self._allowed(scope):
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


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), interest-cohort=()"
)
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(production: bool) -> list[tuple[bytes, bytes]]:
    headers = {
        "content-security-policy": CONTENT_SECURITY_POLICY,
        "x-frame-options": "DENY",
        "referrer-policy": "strict-origin-when-cross-origin",
        "permissions-policy": PERMISSIONS_POLICY,
        "x-content-type-options": "nosniff",
        "cross-origin-opener-policy": "same-origin",
    }
    if production:  # over plain HTTP in development the header would be ignored, or pin a dev host to HTTPS
        headers["strict-transport-security"] = HSTS
    return [(name.encode(), value.encode()) for name, value in headers.items()]


class SecurityHeadersMiddleware:
    """Adds the browser's protections to every response: no framing, no inline script, no sniffing.
    A header the response already set wins (a served upload keeps its stricter sandboxing policy)."""

    def __init__(self, app: ASGIApp, production: bool) -> None:
        self.app = app
        self.headers = security_headers(production)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                present = {name.lower() for name, _ in own}
                message = {**message, "headers": own + [(k, v) for k, v in self.headers if k not in present]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
