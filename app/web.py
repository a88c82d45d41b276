"""Rendering helpers shared by every route: templates, flash messages, redirects, reading forms."""

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from app import i18n
from app.autolink import autolink
from app.permissions import Action, allowed
from app.settings import Settings

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_FORM_FIELDS = 200
MAX_FORM_PART_BYTES = 1024 * 1024

templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        auto_reload=False,  # TEMPLATE_RELOAD turns it on: otherwise every render stats every file it uses
        autoescape=select_autoescape(disabled_extensions=("txt",), default=True, default_for_string=True),
    )
)
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    lambda message: i18n.translate(message),
    lambda singular, plural, n: i18n.ntranslate(singular, plural, n),
    newstyle=True,
)
templates.env.filters["when"] = lambda value, style="medium": i18n.format_when(value, style=style)
templates.env.globals["LOCALE_NAMES"] = i18n.LOCALE_NAMES


@pass_context
def _current_locale(_context: Any) -> str:
    return i18n.get_locale()


templates.env.globals["current_locale"] = _current_locale


@pass_context
def _can(context: Any, action: str, resource: Any = None) -> bool:
    """`can("edit-kb")` in a template: the permission API, asked for the page's user."""
    return allowed(context.get("user"), Action(action), resource)


templates.env.globals["can"] = _can


def render(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    values = {"user": getattr(request.state, "user", None), "flashes": pop_flashes(request)}
    values.update(context or {})
    return templates.TemplateResponse(request, name, values, status_code=status_code)


def flash(request: Request, message: str, category: str = "info") -> None:
    # Reassigned, not appended in place, so the session sees the change.
    request.session["flash"] = [*request.session.get("flash", []), [category, message]]


def pop_flashes(request: Request) -> list[tuple[str, str]]:
    return [(c, m) for c, m in request.session.pop("flash", [])]


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def read_form(request: Request) -> FormData:
    return await request.form(max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_PART_BYTES)


def nl2br(text: str) -> Markup:
    return Markup("<br>").join(text.splitlines())


templates.env.filters["nl2br"] = nl2br


@pass_context
def _autolink(context: Any, text: str) -> Markup:
    """`{{ comment.body|autolink }}`: escaped text with its addresses as links, the portal's own ones internal."""
    request = context.get("request")
    return autolink(text, request.app.state.settings.base_url if request is not None else "")


templates.env.filters["autolink"] = _autolink


def app_settings(request: Request) -> Settings:
    return request.app.state.settings
