"""Login, logout, registration, password links, preferences and the requester's company page."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app import i18n, ratelimit
from app.accounts import service, sessions
from app.accounts.models import User, UserStatus
from app.auth import current_session, current_user, login, logout, require_user
from app.i18n import N_, _
from app.permissions import Action
from app.routing import route
from app.web import app_settings, checkbox, field, flash, read_form, redirect, render

SAME_ANSWER_RESET = N_("If the address belongs to an account, a message with a link is on its way.")
SAME_ANSWER_REGISTER = N_("Thank you. If the request can be accepted you will receive an email with the next step.")


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    return target if target.startswith("/") and not target.startswith("//") and not parts.netloc else "/"


async def login_page(request: Request) -> Response:
    if request.method != "POST":
        if current_user(request):
            return redirect("/")
        return render(request, "accounts/login.html", {"next": request.query_params.get("next", "/")})
    form = await read_form(request)
    email, password = field(form, "email"), str(form.get("password") or "")
    context = {"email": email, "next": field(form, "next") or "/"}
    counters = ratelimit.login_counters(email, ratelimit.client_key(request))
    if await ratelimit.exhausted(counters):
        context["error"] = _("Too many attempts. Wait a few minutes and try again.")
        return render(request, "accounts/login.html", context, status_code=429)
    user = await service.authenticate(email, password)
    if user is None:
        await ratelimit.record(counters)  # failures only: a person who logs in often is never locked out
        context["error"] = _("Wrong email or password.")
        return render(request, "accounts/login.html", context, status_code=400)
    await ratelimit.forget(counters[0])  # the pair's earlier typos are forgiven
    await login(request, user, remember=checkbox(form, "remember"))
    await User.filter(id=user.id).update(last_login_at=datetime.now(UTC))
    return redirect(_safe_next(context["next"]))


async def logout_action(request: Request) -> Response:
    await logout(request)
    flash(request, _("You are logged out."))
    return redirect("/login")


async def choose_language(request: Request) -> Response:
    form = await read_form(request)
    locale = field(form, "locale")
    if locale in i18n.LOCALES:
        request.session["locale"] = locale
        user = current_user(request)
        if user is not None:
            await User.filter(id=user.id).update(locale=locale)
    return redirect(_safe_next(field(form, "next") or "/"))


async def register_page(request: Request) -> Response:
    settings = app_settings(request)
    if settings.registration == "closed":
        return render(request, "accounts/register_closed.html", status_code=404)
    if request.method != "POST":
        return render(request, "accounts/register.html", {"form": {}})
    form = await read_form(request)
    values = {k: field(form, k) for k in ("full_name", "email", "company_name", "tax_id", "phone", "note")}
    if not await ratelimit.hit_per_client(request, ratelimit.REGISTER, "register"):
        return render(
            request, "accounts/register.html",
            {"form": values, "error": _("Too many attempts. Wait a few minutes and try again.")}, status_code=429,
        )
    try:
        await service.register(settings, service.Registration(**values, locale=i18n.get_locale()))
    except service.AccountError as error:
        return render(request, "accounts/register.html", {"form": values, "error": _(str(error))}, status_code=400)
    flash(request, _(SAME_ANSWER_REGISTER), "success")
    return redirect("/login")


async def forgot_password(request: Request) -> Response:
    if request.method != "POST":
        return render(request, "accounts/forgot.html")
    form = await read_form(request)
    email = field(form, "email")
    if not await ratelimit.hit(ratelimit.reset_counters(email, ratelimit.client_key(request))):
        return render(
            request, "accounts/forgot.html",
            {"error": _("Too many attempts. Wait a few minutes and try again.")}, status_code=429,
        )
    if not service.valid_email(service.normalize_email(email)):
        return render(request, "accounts/forgot.html", {"error": _("Enter a valid email address.")}, status_code=400)
    await service.request_password_reset(app_settings(request), email)
    flash(request, _(SAME_ANSWER_RESET), "success")
    return redirect("/login")


async def set_password(request: Request) -> Response:
    token = request.path_params["token"]
    if request.method != "POST":
        if await service.find_valid_token(token) is None:
            return render(request, "accounts/link_invalid.html", status_code=404)
        return render(request, "accounts/set_password.html")
    form = await read_form(request)
    try:
        user = await service.set_password_with_token(
            app_settings(request), token, str(form.get("password") or ""), str(form.get("confirm") or "")
        )
    except service.AccountError as error:
        return render(request, "accounts/set_password.html", {"error": _(str(error))}, status_code=400)
    await logout(request)
    flash(request, _("Your password is set. You can log in now."), "success")
    request.session["locale"] = user.locale
    return redirect("/login")


async def change_password(request: Request) -> Response:
    user = require_user(request)
    if request.method != "POST":
        return render(request, "accounts/change_password.html")
    form = await read_form(request)
    try:
        await service.change_password(
            user, str(form.get("old") or ""), str(form.get("password") or ""), str(form.get("confirm") or "")
        )
    except service.AccountError as error:
        return render(request, "accounts/change_password.html", {"error": _(str(error))}, status_code=400)
    await user.refresh_from_db()
    await login(request, user, remember=False)
    flash(request, _("Your password has been changed."), "success")
    return redirect("/preferences")


PREFERENCE_FIELDS = ("full_name", "phone", "mobile", "department", "job_title")


async def preferences(request: Request) -> Response:
    user = require_user(request)
    if request.method != "POST":
        return await _preferences_page(request, user)
    form = await read_form(request)
    full_name = field(form, "full_name")
    locale = field(form, "locale")
    if not full_name or locale not in i18n.LOCALES:
        return await _preferences_page(request, user, _("Enter your name."))
    for name in PREFERENCE_FIELDS:
        setattr(user, name, field(form, name))
    user.locale = locale
    user.notify_own_tickets = checkbox(form, "notify_own_tickets")
    user.notify_company_tickets = checkbox(form, "notify_company_tickets")
    await user.save(update_fields=[*PREFERENCE_FIELDS, "locale", "notify_own_tickets", "notify_company_tickets"])
    request.session["locale"] = locale
    i18n.set_locale(locale)
    flash(request, _("Preferences saved."), "success")
    return redirect("/preferences")


async def _preferences_page(request: Request, user: User, error: str | None = None) -> Response:
    current = current_session(request)
    context = {"sessions": await sessions.active_sessions_of(user.id), "current_session_id": current and current.id}
    return render(request, "accounts/preferences.html", {**context, "error": error},
                  status_code=400 if error else 200)


async def end_session(request: Request) -> Response:
    """POST /preferences/sessions/{id}/end: sign out one of the person's other browsers."""
    if not await sessions.end_one_session_of(require_user(request).id, request.path_params["session_id"]):
        raise HTTPException(status_code=404)
    flash(request, _("The session has been ended."), "success")
    return redirect("/preferences")


async def my_company(request: Request) -> Response:
    user = require_user(request)
    if user.company is None:
        return render(request, "accounts/no_company.html", status_code=404)
    contacts = await User.filter(company_id=user.company_id, status=UserStatus.ACTIVE).order_by("full_name")
    return render(request, "accounts/company.html", {"company": user.company, "contacts": contacts})


routes = [
    route("/login", login_page, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/logout", logout_action, Action.BROWSE, methods=["POST"], temporary_ok=True),
    route("/language", choose_language, Action.BROWSE, methods=["POST"], temporary_ok=True),
    route("/register", register_page, Action.BROWSE, methods=["GET", "POST"]),
    route("/password/forgot", forgot_password, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/password/set/{token}", set_password, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/password/change", change_password, Action.USE_PORTAL, methods=["GET", "POST"], temporary_ok=True),
    route("/preferences", preferences, Action.USE_PORTAL, methods=["GET", "POST"]),
    route("/preferences/sessions/{session_id:int}/end", end_session, Action.USE_PORTAL, methods=["POST"]),
    route("/company", my_company, Action.SEE_OWN_COMPANY),
]
