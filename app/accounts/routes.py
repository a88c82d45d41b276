"""Login, logout, registration, password links, preferences and the requester's company page."""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app import i18n, ratelimit
from app.accounts import service, sessions
from app.accounts.forms import (
    ChangePasswordForm, ForgotForm, LanguageForm, LoginForm, NextQuery, PreferencesForm, RegisterForm, SetPasswordForm,
)
from app.accounts.models import User, UserStatus
from app.auth import current_session, current_user, login, logout, require_user
from app.forms import InvalidInput, parse, parse_query, typed
from app.i18n import N_, _
from app.contracts.service import balances
from app.permissions import Action, allowed
from app.routing import route
from app.tickets.service import local_today
from app.web import app_settings, flash, read_form, redirect, render

SAME_ANSWER_RESET = N_("If the address belongs to an account, a message with a link is on its way.")
SAME_ANSWER_REGISTER = N_("Thank you. If the request can be accepted you will receive an email with the next step.")


def _safe_next(target: str) -> str:
    parts = urlsplit(target)
    return target if target.startswith("/") and not target.startswith("//") and not parts.netloc else "/"


async def login_page(request: Request) -> Response:
    if request.method != "POST":
        if current_user(request):
            return redirect("/")
        return render(request, "accounts/login.html", {"next": parse_query(NextQuery, request.query_params).next})
    form = await read_form(request)
    shown = typed(LoginForm, form)
    context = {"email": shown.get("email", ""), "next": shown.get("next") or "/"}
    try:
        posted = parse(LoginForm, form)
    except InvalidInput as error:
        return render(request, "accounts/login.html", {**context, "error": str(error)}, status_code=400)
    counters = ratelimit.login_counters(posted.email, ratelimit.client_key(request))
    if await ratelimit.exhausted(counters):
        context["error"] = _("Too many attempts. Wait a few minutes and try again.")
        return render(request, "accounts/login.html", context, status_code=429)
    user = await service.authenticate(posted.email, posted.password)
    if user is None:
        await ratelimit.record(counters)  # failures only: a person who logs in often is never locked out
        context["error"] = _("Wrong email or password.")
        return render(request, "accounts/login.html", context, status_code=400)
    await ratelimit.forget(counters[0])  # the pair's earlier typos are forgiven
    await login(request, user, remember=posted.remember)
    await User.filter(id=user.id).update(last_login_at=datetime.now(UTC))
    return redirect(_safe_next(posted.next or "/"))


async def logout_action(request: Request) -> Response:
    await logout(request)
    flash(request, _("You are logged out."))
    return redirect("/login")


async def choose_language(request: Request) -> Response:
    posted = parse(LanguageForm, await read_form(request))
    request.session["locale"] = posted.locale
    user = current_user(request)
    if user is not None:
        user.locale = posted.locale
        await user.save(update_fields=["locale"])  # saved, not updated in bulk: the cached technicians hear of it
    return redirect(_safe_next(posted.next or "/"))


async def register_page(request: Request) -> Response:
    settings = app_settings(request)
    if settings.registration == "closed":
        return render(request, "accounts/register_closed.html", status_code=404)
    if request.method != "POST":
        return render(request, "accounts/register.html", {"form": {}})
    form = await read_form(request)
    values = typed(RegisterForm, form)
    try:
        posted = parse(RegisterForm, form)
    except InvalidInput as error:
        return render(request, "accounts/register.html", {"form": values, "error": str(error)}, status_code=400)
    if not await ratelimit.hit_per_client(request, ratelimit.REGISTER, "register"):
        return render(
            request, "accounts/register.html",
            {"form": values, "error": _("Too many attempts. Wait a few minutes and try again.")}, status_code=429,
        )
    try:
        await service.register(settings, service.Registration(**posted.model_dump(), locale=i18n.get_locale()))
    except service.AccountError as error:
        return render(request, "accounts/register.html", {"form": values, "error": _(str(error))}, status_code=400)
    flash(request, _(SAME_ANSWER_REGISTER), "success")
    return redirect("/login")


async def forgot_password(request: Request) -> Response:
    if request.method != "POST":
        return render(request, "accounts/forgot.html")
    try:
        email = parse(ForgotForm, await read_form(request)).email
    except InvalidInput as error:
        return render(request, "accounts/forgot.html", {"error": str(error)}, status_code=400)
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
    try:
        posted = parse(SetPasswordForm, await read_form(request))
        user = await service.set_password_with_token(app_settings(request), token, posted.password, posted.confirm)
    except (InvalidInput, service.AccountError) as error:
        return render(request, "accounts/set_password.html", {"error": _(str(error))}, status_code=400)
    await logout(request)
    flash(request, _("Your password is set. You can log in now."), "success")
    request.session["locale"] = user.locale
    return redirect("/login")


async def change_password(request: Request) -> Response:
    user = require_user(request)
    if request.method != "POST":
        return render(request, "accounts/change_password.html")
    try:
        posted = parse(ChangePasswordForm, await read_form(request))
        await service.change_password(user, posted.old, posted.password, posted.confirm)
    except (InvalidInput, service.AccountError) as error:
        return render(request, "accounts/change_password.html", {"error": _(str(error))}, status_code=400)
    await user.refresh_from_db()
    await login(request, user, remember=False)
    flash(request, _("Your password has been changed."), "success")
    return redirect("/preferences")


PREFERENCE_FIELDS = ("full_name", "phone", "mobile", "department", "job_title", "locale", "notify_own_tickets",
                     "notify_company_tickets")


async def preferences(request: Request) -> Response:
    user = require_user(request)
    if request.method != "POST":
        return await _preferences_page(request, user)
    try:
        posted = parse(PreferencesForm, await read_form(request))
    except InvalidInput as error:
        return await _preferences_page(request, user, str(error))
    for name in PREFERENCE_FIELDS:
        setattr(user, name, getattr(posted, name))
    await user.save(update_fields=list(PREFERENCE_FIELDS))
    request.session["locale"] = posted.locale
    i18n.set_locale(posted.locale)
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
    contracts = await balances(user.company.id) if allowed(user, Action.SEE_CONTRACTS, user.company) else []
    return render(request, "accounts/company.html", {"company": user.company, "contacts": contacts,
                                                     "contracts": contracts, "today": local_today()})


routes = [
    route("/login", login_page, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/logout", logout_action, Action.BROWSE, methods=["POST"], temporary_ok=True),
    route("/language", choose_language, Action.BROWSE, methods=["POST"], temporary_ok=True),
    route("/register", register_page, Action.BROWSE, methods=["GET", "POST"]),
    route("/password/forgot", forgot_password, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/password/set/{token}", set_password, Action.BROWSE, methods=["GET", "POST"], temporary_ok=True),
    route("/password/change", change_password, Action.USE_PORTAL, methods=["GET", "POST"], temporary_ok=True),
    route("/preferences", preferences, Action.USE_PORTAL, methods=["GET", "POST"]),
    route("/preferences/sessions/{session_id:id}/end", end_session, Action.USE_PORTAL, methods=["POST"]),
    route("/company", my_company, Action.SEE_OWN_COMPANY),
]
