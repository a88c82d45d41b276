"""Administration: companies, users and roles, registration requests, the development mail sink."""

import functools
from collections.abc import Awaitable, Callable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from tortoise.transactions import in_transaction

from app.accounts import fiscal, service
from app.accounts.models import Company, Role, User, UserStatus
from app.accounts.sessions import end_sessions_of
from app.audit import service as audit
from app.auth import require_user
from app.i18n import N_, _
from app.mail.models import OutgoingMail

from app.admin.forms import CompanyForm, EditUserForm, MailQuery, NewUserForm, UsersQuery
from app.forms import InvalidInput, parse, parse_query, typed
from app.web import app_settings, flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route

ROLE_FIELDS = {role: f"is_{role.value}" for role in Role}
NOT_TEXT = ("shares_tickets", "support_start", "support_end")
USER_FIELDS = ("full_name", "phone", "mobile", "department", "job_title", "address", "sees_company_tickets",
               *ROLE_FIELDS.values())
USER_AUDITED = (*USER_FIELDS, "company_id", "status")
COMPANY_AUDITED = tuple(CompanyForm.model_fields)


def _audited(row: Company | User, names: tuple[str, ...]) -> dict[str, object]:
    """The values an audit entry compares, as JSON can keep them."""
    values = {name: getattr(row, name) for name in names}
    return {name: value if value is None or isinstance(value, bool | int | str) else str(value)
            for name, value in values.items()}


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
    try:
        posted = parse(CompanyForm, form)
        tax_numbers = {"vat_number": fiscal.clean_vat_number(posted.vat_number),
                       "fiscal_code": fiscal.clean_fiscal_code(posted.fiscal_code)}
    except (InvalidInput, fiscal.FiscalError) as error:
        typed_text = {k: v for k, v in typed(CompanyForm, form).items() if k not in NOT_TEXT}
        shown = Company(**typed_text, shares_tickets="shares_tickets" in form)  # a refused date shows empty
        return render(request, "admin/company_form.html", {"company": shown, "error": _(str(error))}, status_code=400)
    before = _audited(company, COMPANY_AUDITED)
    company.update_from_dict({**posted.model_dump(), **tax_numbers})
    async with in_transaction():
        created = company.id is None
        await company.save()
        await audit.record(require_user(request), "company.create" if created else "company.update",
                           f"company:{company.id}", company.name,
                           changed=audit.changed_fields(before, _audited(company, COMPANY_AUDITED)))
    flash(request, _("Company saved."), "success")
    return redirect("/admin/companies")


async def users(request: Request) -> Response:
    status = parse_query(UsersQuery, request.query_params).status
    query = User.all().select_related("company").order_by("full_name")
    if status is not None:
        query = query.filter(status=status)
    return render(request, "admin/users.html", {"users": await query, "status": status or "",
                                                "statuses": list(UserStatus)})


def _roles_from(form: NewUserForm) -> set[str]:
    return {role.value for role in Role if getattr(form, ROLE_FIELDS[role])}


async def _company_choice(chosen: int | None) -> Company | None:
    return await Company.get_or_none(id=chosen) if chosen is not None else None


async def new_user(request: Request) -> Response:
    context = {"companies": await Company.all(), "roles": list(Role), "form": {}}
    if request.method != "POST":
        return render(request, "admin/user_new.html", context)
    form = await read_form(request)
    context["form"] = typed(NewUserForm, form)
    try:
        posted = parse(NewUserForm, form)
        user, _temporary = await service.create_account(
            app_settings(request), email=posted.email, full_name=posted.full_name,
            company=await _company_choice(posted.company), roles=_roles_from(posted) or {Role.REQUESTER.value},
            locale=posted.locale,
        )
    except (InvalidInput, service.AccountError) as error:
        return render(request, "admin/user_new.html", {**context, "error": _(str(error))}, status_code=400)
    await audit.record(require_user(request), "user.create", f"user:{user.id}", user.email,
                       roles=sorted(_roles_from(posted)))
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
    try:
        posted = parse(EditUserForm, await read_form(request))
    except InvalidInput as error:
        return render(request, "admin/user_edit.html", {**context, "error": str(error)}, status_code=400)
    if target.id == require_user(request).id and not posted.is_admin:
        return render(request, "admin/user_edit.html",
                      {**context, "error": _("You cannot remove your own admin role.")}, status_code=400)
    before = _audited(target, USER_AUDITED)
    target.update_from_dict({name: getattr(posted, name) for name in USER_FIELDS})
    target.company = await _company_choice(posted.company)
    new_status = posted.status
    if target.status is not UserStatus.PENDING and new_status in (UserStatus.ACTIVE, UserStatus.DISABLED):
        if new_status != target.status:
            await end_sessions_of(target.id)  # a disabled user is logged out everywhere
        target.status = new_status
    async with in_transaction():
        await target.save()
        await audit.record(require_user(request), "user.update", f"user:{target.id}", target.email,
                           changed=audit.changed_fields(before, _audited(target, USER_AUDITED)))
    flash(request, _("User saved."), "success")
    return redirect("/admin/users")


async def _decide(request: Request, decision: Callable[[User], Awaitable[None]], action: str, done: str) -> Response:
    """Approve or refuse a registration request; `done` is the msgid of the message shown after it."""
    target = await _user_or_404(request)
    try:
        await decision(target)
    except service.AccountError as error:
        flash(request, _(str(error)), "error")
    else:
        await audit.record(require_user(request), action, f"user:{target.id}", target.email)
        flash(request, _(done, email=target.email), "success")
    return redirect("/admin/users?status=pending")


async def approve_request(request: Request) -> Response:
    return await _decide(request, functools.partial(service.approve_registration, app_settings(request)),
                         "registration.approve", N_("Request approved: %(email)s received a link to set the password."))


async def reject_request(request: Request) -> Response:
    return await _decide(request, service.reject_registration, "registration.reject", N_("Request refused: %(email)s was told by mail."))


MAIL_PER_PAGE = 50
# The mail's own HTML, shown in a sandboxed frame of the mail page: no script, no request anywhere, no form.
MAIL_FRAME_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"


async def mail_log(request: Request) -> Response:
    """Every mail the portal wrote, newest first: sent, waiting or failed, whichever the transport."""
    settings = app_settings(request)
    asked = parse_query(MailQuery, request.query_params)
    recipient = asked.to
    query = OutgoingMail.all()
    if recipient:
        query = query.filter(recipient__icontains=recipient)
    total = await query.count()
    pages = max(1, -(-total // MAIL_PER_PAGE))
    page = min(max(asked.page, 1), pages)
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
    route("/admin/companies/{company_id:id}", company_form, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users", users, Action.ADMINISTER),
    route("/admin/users/new", new_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users/{user_id:id}", edit_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users/{user_id:id}/approve", approve_request, Action.ADMINISTER, methods=["POST"]),
    route("/admin/users/{user_id:id}/reject", reject_request, Action.ADMINISTER, methods=["POST"]),
    route("/admin/mail", mail_log, Action.ADMINISTER),
    route("/admin/mail/{mail_id:id}", mail_view, Action.ADMINISTER),
    route("/admin/mail/{mail_id:id}/html", mail_html, Action.ADMINISTER),
]
