"""Admin pages under Gestione: SLA plans (with the companies' default plans) and service contracts."""

from decimal import Decimal

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import Company
from app.auth import require_user
from app.contracts import service
from app.contracts.forms import CompanyPlanForm, ContractForm, PlanForm
from app.contracts.models import CompanyPlan, ServiceContract, SlaPlan
from app.contracts.plans import PlanError, parse_work_days
from app.forms import InvalidInput, parse, typed
from app.i18n import N_, _
from app.permissions import Action
from app.routing import route
from app.tickets.choices import Priority
from app.tickets.service import local_today
from app.web import flash, read_form, redirect, render

PLANS = "/admin/sla-plans"
CONTRACTS = "/admin/contracts"
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


async def plans_page(request: Request) -> Response:
    return render(request, "contracts/plans.html", await _plans_context())


async def _plans_context() -> dict[str, object]:
    return {"plans": await SlaPlan.all(), "companies": await Company.all().order_by("name"),
            "defaults": await CompanyPlan.all().select_related("company", "plan"), "priorities": list(Priority)}


async def company_plan(request: Request) -> Response:
    try:
        posted = parse(CompanyPlanForm, await read_form(request))
        if posted.company is None:
            raise PlanError(N_("Choose a company and a plan from the lists."))
        await service.set_company_plan(require_user(request), posted.company, posted.plan)
    except (InvalidInput, PlanError) as error:
        return render(request, "contracts/plans.html", {**await _plans_context(), "error": _(str(error))},
                      status_code=400)
    flash(request, _("Default plan saved."), "success")
    return redirect(PLANS)


def _plan_input(posted: PlanForm) -> service.PlanInput:
    take = {Priority.URGENTE: posted.take_urgent, Priority.MEDIA: posted.take_medium,
            Priority.NON_URGENTE: posted.take_low}
    resolve = {Priority.URGENTE: posted.resolve_urgent, Priority.MEDIA: posted.resolve_medium,
               Priority.NON_URGENTE: posted.resolve_low}
    days = sorted(parse_work_days(",".join(posted.work_days)))
    return service.PlanInput(posted.name, {k: v for k, v in take.items() if v is not None},
                             {k: v for k, v in resolve.items() if v is not None}, days, posted.work_hours,
                             posted.closed_on_holidays, posted.is_portal_default)


async def plan_form(request: Request) -> Response:
    plan = await _row_or_404(SlaPlan, request.path_params.get("plan_id"))
    shown = _plan_shown(plan)
    if request.method != "POST":
        return render(request, "contracts/plan_form.html", {"plan": plan, "form": shown, "weekdays": WEEKDAYS})
    form = await read_form(request)
    try:
        saved = await service.save_plan(require_user(request), plan, _plan_input(parse(PlanForm, form)))
    except (InvalidInput, PlanError) as error:
        values = {**typed(PlanForm, form), "work_days": [str(d) for d in form.getlist("work_days")],
                  "closed_on_holidays": "closed_on_holidays" in form, "is_portal_default": "is_portal_default" in form}
        return render(request, "contracts/plan_form.html", {"plan": plan, "form": values, "weekdays": WEEKDAYS,
                                                            "error": _(str(error))}, status_code=400)
    flash(request, _("Plan %(name)s saved.", name=saved.name), "success")
    return redirect(PLANS)


def _plan_shown(plan: SlaPlan | None) -> dict[str, object]:
    if plan is None:  # a new plan starts as the built-in standard
        return {"take_urgent": "4", "take_medium": "8", "take_low": "16", "resolve_urgent": "16",
                "resolve_medium": "40", "resolve_low": "80", "work_days": ["0", "1", "2", "3", "4"],
                "work_hours": "09:00-13:00,14:00-18:00", "closed_on_holidays": True, "name": ""}
    values: dict[str, object] = {name: _number(getattr(plan, name)) for name in PlanForm.model_fields
                                 if name.startswith(("take_", "resolve_"))}
    return {**values, "name": plan.name, "work_days": plan.work_days.split(","), "work_hours": plan.work_hours,
            "closed_on_holidays": plan.closed_on_holidays, "is_portal_default": plan.is_portal_default}


def _number(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


async def _row_or_404(model: type[SlaPlan] | type[ServiceContract], row_id: int | None) -> SlaPlan | ServiceContract | None:
    if row_id is None:
        return None
    row = await model.get_or_none(id=row_id)
    if row is None:
        raise HTTPException(status_code=404)
    return row


async def contracts_page(request: Request) -> Response:
    return render(request, "contracts/contracts.html", {"balances": await service.balances(), "today": local_today()})


async def contract_form(request: Request) -> Response:
    contract = await _row_or_404(ServiceContract, request.path_params.get("contract_id"))
    context: dict[str, object] = {"contract": contract, "companies": await Company.all().order_by("name"),
                                  "plans": await SlaPlan.all()}
    if request.method != "POST":
        shown = {"company": contract.company_id, "name": contract.name, "number": contract.number,
                 "starts_on": contract.starts_on, "ends_on": contract.ends_on,
                 "hours_bought": _number(contract.hours_bought), "plan": contract.plan_id} if contract else {}
        return render(request, "contracts/contract_form.html", {**context, "form": shown})
    form = await read_form(request)
    try:
        posted = parse(ContractForm, form)
        saved = await service.save_contract(require_user(request), contract, service.ContractInput(
            posted.company, posted.name, posted.number, posted.starts_on, posted.ends_on, posted.hours_bought,
            posted.plan))
    except (InvalidInput, PlanError) as error:
        return render(request, "contracts/contract_form.html", {**context, "form": typed(ContractForm, form),
                                                                "error": _(str(error))}, status_code=400)
    flash(request, _("Contract %(name)s saved.", name=saved.name), "success")
    return redirect(CONTRACTS)


routes = [
    route(PLANS, plans_page, Action.MANAGE_CONTRACTS),
    route(PLANS + "/new", plan_form, Action.MANAGE_CONTRACTS, methods=["GET", "POST"]),
    route(PLANS + "/{plan_id:id}", plan_form, Action.MANAGE_CONTRACTS, methods=["GET", "POST"]),
    route(PLANS + "/company-default", company_plan, Action.MANAGE_CONTRACTS, methods=["POST"]),
    route(CONTRACTS, contracts_page, Action.MANAGE_CONTRACTS),
    route(CONTRACTS + "/new", contract_form, Action.MANAGE_CONTRACTS, methods=["GET", "POST"]),
    route(CONTRACTS + "/{contract_id:id}", contract_form, Action.MANAGE_CONTRACTS, methods=["GET", "POST"]),
]
