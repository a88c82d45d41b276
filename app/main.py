"""The ASGI application: middleware, routes of every domain, background jobs."""

import contextlib
import importlib
from collections.abc import AsyncIterator
from datetime import date
from email.utils import parseaddr

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from tortoise.contrib.starlette import RegisterTortoise

from app import cache
from app.auth import CurrentUserMiddleware
from app.db import APP_DIR, tortoise_config
from app.forms import InvalidInput
from app.i18n import _
from app.jobs import Job, running
from app.live import bus as live_bus
from app.mail.service import deliver_due, mail_queued
from app.mail.transport import make_transport
from app.permissions import Action
from app.routing import route
from app.searching.engine import close_engines
from app.searching.service import open_search
from app.security import CSRFMiddleware, SecurityHeadersMiddleware
from app.settings import Settings, get_settings
from app.timing import ServerTimingMiddleware
from app.web import TEMPLATE_DIR, render, templates

STATIC_DIR = TEMPLATE_DIR.parent / "static"
# The day the accessibility statement was last reviewed (AgID asks for the date of the statement).
ACCESSIBILITY_REVIEWED = date(2026, 12, 3)


async def home(request: Request) -> Response:
    return render(request, "home.html")


async def accessibility(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    contact = settings.team_email or parseaddr(settings.mail_from)[1]
    return render(request, "accessibility.html", {"contact": contact, "reviewed": ACCESSIBILITY_REVIEWED})


async def favicon(request: Request) -> Response:
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


async def health(request: Request) -> Response:
    return Response("ok", media_type="text/plain")


async def http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    titles = {403: _("Not allowed"), 404: _("Page not found"), 405: _("Not allowed"), 413: _("Too large"),
              429: _("Too many attempts")}
    detail = exc.detail if isinstance(exc, HTTPException) and status not in (404, 405) else ""
    return render(request, "error.html", {"title": titles.get(status, _("Something went wrong")), "detail": detail},
                  status_code=status)


async def invalid_input(request: Request, exc: Exception) -> Response:
    """A form that does not fit, on a route that has no page of its own to show it on again."""
    return render(request, "error.html", {"title": _("Check what you entered"), "detail": str(exc)}, status_code=400)


def _domain_modules(name: str) -> list[object]:
    """app/<domain>/<name>.py of every domain that has one, in a stable order."""
    return [importlib.import_module(f"app.{p.parent.name}.{name}") for p in sorted(APP_DIR.glob(f"*/{name}.py"))]


def domain_routes() -> list[BaseRoute]:
    return [route for module in _domain_modules("routes") for route in module.routes]  # type: ignore[attr-defined]


def background_jobs(settings: Settings) -> list[Job]:
    """The mail sender plus whatever each domain's jobs.py offers (`def jobs(settings) -> list[Job]`)."""
    transport = make_transport(settings.smtp_url, settings.mail_sink_dir)
    mail = Job("mail", lambda: deliver_due(transport, settings.mail_from), interval=5.0, wake=mail_queued)
    return [mail, *(job for module in _domain_modules("jobs") for job in module.jobs(settings))]  # type: ignore[attr-defined]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    templates.env.auto_reload = settings.template_reload

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        cache.forget_all()  # what this process kept may come from another database (the tests open one per case)
        async with RegisterTortoise(app, config=tortoise_config(settings)), live_bus.running(settings.db_url):
            await open_search(settings)  # an engine that is down does not stop the portal from starting
            jobs = background_jobs(settings) if settings.run_jobs else []
            try:
                async with running(jobs):
                    yield
            finally:
                await close_engines()

    middleware = [
        Middleware(ServerTimingMiddleware),
        Middleware(SecurityHeadersMiddleware, production=settings.environment == "production"),
        Middleware(CSRFMiddleware, trusted_origins=(settings.base_url,), exempt_prefixes=("/api/",)),
        Middleware(
            SessionMiddleware,
            secret_key=settings.signing_key,
            session_cookie="sportello_session",
            max_age=30 * 24 * 3600,
            same_site="lax",
            https_only=settings.environment == "production",
        ),
        Middleware(CurrentUserMiddleware, default_locale=settings.default_locale),
    ]
    routes = [
        route("/", home, Action.BROWSE),
        route("/healthz", health, Action.BROWSE, temporary_ok=True),
        route("/accessibility", accessibility, Action.BROWSE),
        route("/favicon.ico", favicon, Action.BROWSE, temporary_ok=True),
        route("/favicon.svg", favicon, Action.BROWSE, temporary_ok=True),
        *domain_routes(),
        Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    exception_handlers={HTTPException: http_error, InvalidInput: invalid_input,
                                        500: http_error})
    app.state.settings = settings
    return app
