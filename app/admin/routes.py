"""Administration: companies, users and roles, registration requests, the development mail sink."""

import functools
from collections.abc import Awaitable, Callable
from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from app import i18n
from app.accounts import fiscal, service
from app.accounts.models import Company, Role, User, UserStatus
from app.accounts.sessions import end_sessions_of
from app.auth import require_user
from app.i18n import N_, _
from app.mail.models import OutgoingMail

from app.web import app_settings, checkbox, field, flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route

COMPANY_TEXT_FIELDS = (
    "name", "vat_number", "fiscal_code", "phone", "email", "website", "address", "city", "postal_code", "province",
    "country", "email_domains",
)
USER_TEXT_FIELDS = ("full_name", "phone", "mobile", "department", "job_title", "address")
ROLE_FIELDS = {role: f"is_{role.value}" for role in Role}


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise service.AccountError(N_("Dates must be written as YYYY-MM-DD.")) from None


async def _company_or_404(request: Request) -> Company:
    company = await Company.get_or_none(id=request.path_params["company_id"])
    if company is None:
        raise HTTPException(status_code=404)
    return company


async def companies(request: Request) -> Response:
    rows = await Company.all().order_by("name")
    counts = {c.id: await User.filter(company_id=c.id).count() for c in rows}
    return render(request, "admin/companies.html", {"companies": rows, "counts": counts})


async def company_form(request: Request) -> Response:
    company = await _company_or_404(request) if "company_id" in request.path_params else Company()
    if request.method != "POST":
        return render(request, "admin/company_form.html", {"company": company})
    form = await read_form(request)
    for name in COMPANY_TEXT_FIELDS:
        setattr(company, name, field(form, name))
    company.shares_tickets = checkbox(form, "shares_tickets")
    try:
        if not company.name:
            raise service.AccountError(N_("Enter the company name."))
        company.vat_number = fiscal.clean_vat_number(company.vat_number)
        company.fiscal_code = fiscal.clean_fiscal_code(company.fiscal_code)
        company.support_start = _parse_date(field(form, "support_start"))
        company.support_end = _parse_date(field(form, "support_end"))
    except (service.AccountError, fiscal.FiscalError) as error:
        return render(request, "admin/company_form.html", {"company": company, "error": _(str(error))}, status_code=400)
    await company.save()
    flash(request, _("Company saved."), "success")
    return redirect("/admin/companies")


async def users(request: Request) -> Response:
    status = request.query_params.get("status", "")
    query = User.all().select_related("company").order_by("full_name")
    if status in UserStatus._value2member_map_:
        query = query.filter(status=status)
    return render(request, "admin/users.html", {"users": await query, "status": status, "statuses": list(UserStatus)})


def _roles_from(form: object) -> set[str]:
    return {role.value for role in Role if checkbox(form, ROLE_FIELDS[role])}  # type: ignore[arg-type]


async def _company_choice(value: str) -> Company | None:
    return await Company.get_or_none(id=int(value)) if value.isdigit() else None


async def new_user(request: Request) -> Response:
    context = {"companies": await Company.all(), "roles": list(Role), "form": {}}
    if request.method != "POST":
        return render(request, "admin/user_new.html", context)
    form = await read_form(request)
    context["form"] = {k: field(form, k) for k in ("email", "full_name", "company", "locale")}
    locale = field(form, "locale") if field(form, "locale") in i18n.LOCALES else "it"
    try:
        user, _temporary = await service.create_account(
            app_settings(request),
            email=field(form, "email"),
            full_name=field(form, "full_name"),
            company=await _company_choice(field(form, "company")),
            roles=_roles_from(form) or {Role.REQUESTER.value},
            locale=locale,
        )
    except service.AccountError as error:
        return render(request, "admin/user_new.html", {**context, "error": _(str(error))}, status_code=400)
    flash(request, _("Account created: the temporary password was mailed to %(email)s.", email=user.email), "success")
    return redirect("/admin/users")


async def _user_or_404(request: Request) -> User:
    target = await User.get_or_none(id=request.path_params["user_id"]).select_related("company")
    if target is None:
        raise HTTPException(status_code=404)
    return target


async def edit_user(request: Request) -> Response:
    target = await _user_or_404(request)
    context = {"target": target, "companies": await Company.all(), "roles": list(Role),
               "statuses": [UserStatus.ACTIVE, UserStatus.DISABLED]}  # a request is decided by its buttons
    if request.method != "POST":
        return render(request, "admin/user_edit.html", context)
    form = await read_form(request)
    me = require_user(request)
    for name in USER_TEXT_FIELDS:
        setattr(target, name, field(form, name))
    for role, attribute in ROLE_FIELDS.items():
        setattr(target, attribute, checkbox(form, attribute))
    if target.id == me.id and not target.is_admin:
        return render(request, "admin/user_edit.html",
                      {**context, "error": _("You cannot remove your own admin role.")}, status_code=400)
    target.company = await _company_choice(field(form, "company"))
    target.sees_company_tickets = checkbox(form, "sees_company_tickets")
    if not target.full_name:
        return render(request, "admin/user_edit.html", {**context, "error": _("Enter the name.")}, status_code=400)
    new_status = field(form, "status")
    if target.status is not UserStatus.PENDING and new_status in (UserStatus.ACTIVE, UserStatus.DISABLED):
        if new_status != target.status:
            await end_sessions_of(target.id)  # a disabled user is logged out everywhere
        target.status = UserStatus(new_status)
    await target.save()
    flash(request, _("User saved."), "success")
    return redirect("/admin/users")


async def _decide(request: Request, decision: Callable[[User], Awaitable[None]], done: str) -> Response:
    """Approve or refuse a registration request; `done` is the msgid of the message shown after it."""
    target = await _user_or_404(request)
    try:
        await decision(target)
    except service.AccountError as error:
        flash(request, _(str(error)), "error")
    else:
        flash(request, _(done, email=target.email), "success")
    return redirect("/admin/users?status=pending")


async def approve_request(request: Request) -> Response:
    return await _decide(request, functools.partial(service.approve_registration, app_settings(request)),
                         N_("Request approved: %(email)s received a link to set the password."))


async def reject_request(request: Request) -> Response:
    return await _decide(request, service.reject_registration, N_("Request refused: %(email)s was told by mail."))


MAIL_PER_PAGE = 50
# The mail's own HTML, shown in a sandboxed frame of the mail page: no script, no request anywhere, no form.
MAIL_FRAME_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


def _page_number(raw: str) -> int:
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


async def mail_log(request: Request) -> Response:
    """Every mail the portal wrote, newest first: sent, waiting or failed, whichever the transport."""
    settings = app_settings(request)
    recipient = request.query_params.get("to", "").strip()[:254]
    query = OutgoingMail.all()
    if recipient:
        query = query.filter(recipient__icontains=recipient)
    total = await query.count()
    pages = max(1, -(-total // MAIL_PER_PAGE))
    page = min(_page_number(request.query_params.get("page", "1")), pages)
    rows = await query.order_by("-id").offset((page - 1) * MAIL_PER_PAGE).limit(MAIL_PER_PAGE)
    return render(request, "admin/mail.html", {"outbox": rows, "total": total, "page": page, "pages": pages,
                                                "to": recipient, "sink": not settings.smtp_url,
                                                "sink_dir": settings.mail_sink_dir})


async def _mail_or_404(request: Request) -> OutgoingMail:
    row = await OutgoingMail.get_or_none(id=request.path_params["mail_id"])
    if row is None:
        raise HTTPException(status_code=404)
    return row


async def mail_view(request: Request) -> Response:
    return render(request, "admin/mail_view.html", {"mail": await _mail_or_404(request)})


async def mail_html(request: Request) -> Response:
    row = await _mail_or_404(request)
    return HTMLResponse(row.html_body, headers={"Content-Security-Policy": MAIL_FRAME_POLICY,
                                                "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"})


routes = [
    route("/admin/companies", companies, Action.ADMINISTER),
    route("/admin/companies/new", company_form, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/companies/{company_id:int}", company_form, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users", users, Action.ADMINISTER),
    route("/admin/users/new", new_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users/{user_id:int}", edit_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users/{user_id:int}/approve", approve_request, Action.ADMINISTER, methods=["POST"]),
    route("/admin/users/{user_id:int}/reject", reject_request, Action.ADMINISTER, methods=["POST"]),
    route("/admin/mail", mail_log, Action.ADMINISTER),
    route("/admin/mail/{mail_id:int}", mail_view, Action.ADMINISTER),
    route("/admin/mail/{mail_id:int}/html", mail_html, Action.ADMINISTER),
]
