"""Administration: companies, users and roles, registration requests, the development mail sink."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts import service
from app.accounts.models import Company, Role, User, UserStatus
from app.accounts.sessions import end_sessions_of
from app.auth import require_user
from app.i18n import _
from app.mail.models import OutgoingMail
from app.mail.transport import FileSink

from app.admin.forms import CompanyForm, EditUserForm, NewUserForm, UsersQuery
from app.forms import InvalidInput, parse, parse_query, typed
from app.web import app_settings, flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route

ROLE_FIELDS = {role: f"is_{role.value}" for role in Role}
NOT_TEXT = ("shares_tickets", "support_start", "support_end")
USER_FIELDS = ("full_name", "phone", "mobile", "department", "job_title", "address", "sees_company_tickets",
               *ROLE_FIELDS.values())


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
    except InvalidInput as error:
        typed_text = {k: v for k, v in typed(CompanyForm, form).items() if k not in NOT_TEXT}
        shown = Company(**typed_text, shares_tickets="shares_tickets" in form)  # a refused date shows empty
        return render(request, "admin/company_form.html", {"company": shown, "error": str(error)}, status_code=400)
    company.update_from_dict(posted.model_dump())
    await company.save()
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
    flash(request, _("Account created: the temporary password was mailed to %(email)s.", email=user.email), "success")
    return redirect("/admin/users")


async def edit_user(request: Request) -> Response:
    target = await User.get_or_none(id=request.path_params["user_id"]).select_related("company")
    if target is None:
        raise HTTPException(status_code=404)
    context = {"target": target, "companies": await Company.all(), "roles": list(Role), "statuses": list(UserStatus)}
    if request.method != "POST":
        return render(request, "admin/user_edit.html", context)
    try:
        posted = parse(EditUserForm, await read_form(request))
    except InvalidInput as error:
        return render(request, "admin/user_edit.html", {**context, "error": str(error)}, status_code=400)
    if target.id == require_user(request).id and not posted.is_admin:
        return render(request, "admin/user_edit.html",
                      {**context, "error": _("You cannot remove your own admin role.")}, status_code=400)
    target.update_from_dict({name: getattr(posted, name) for name in USER_FIELDS})
    target.company = await _company_choice(posted.company)
    new_status = posted.status
    if new_status is UserStatus.ACTIVE and target.status is UserStatus.PENDING:
        await target.save()
        await service.approve_registration(app_settings(request), target)
        flash(request, _("Request approved: %(email)s received a link to set the password.", email=target.email),
              "success")
        return redirect("/admin/users")
    if new_status is not None:
        if new_status != target.status:
            await end_sessions_of(target.id)  # a disabled user is logged out everywhere
        target.status = new_status
    await target.save()
    flash(request, _("User saved."), "success")
    return redirect("/admin/users")


async def mail_log(request: Request) -> Response:
    settings = app_settings(request)
    sink = FileSink(settings.mail_sink_dir)
    files = [path.name for path in sink.list()[:100]]
    outbox = await OutgoingMail.all().order_by("-id").limit(50)
    return render(request, "admin/mail.html", {"files": files, "outbox": outbox, "sink": not settings.smtp_url})


async def mail_view(request: Request) -> Response:
    message = FileSink(app_settings(request).mail_sink_dir).read(request.path_params["name"])
    if message is None:
        raise HTTPException(status_code=404)
    text = message.get_body(preferencelist=("plain",))
    return render(request, "admin/mail_view.html",
                  {"message": message, "text": text.get_content() if text else "", "name": request.path_params["name"]})


routes = [
    route("/admin/companies", companies, Action.ADMINISTER),
    route("/admin/companies/new", company_form, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/companies/{company_id:id}", company_form, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users", users, Action.ADMINISTER),
    route("/admin/users/new", new_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/users/{user_id:id}", edit_user, Action.ADMINISTER, methods=["GET", "POST"]),
    route("/admin/mail", mail_log, Action.ADMINISTER),
    route("/admin/mail/{name}", mail_view, Action.ADMINISTER),
]
