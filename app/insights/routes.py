"""The click-through redirect, "this solved my problem", the editors' report and the managers' dashboard."""

from datetime import UTC, datetime

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app import ratelimit
from app.i18n import _, get_locale
from app.insights import reports, service
from app.insights.panels import managers_dashboard
from app.insights.tables import Table, csv_response, find
from app.insights.text import safe_local_path
from app.insights.forms import OpenQuery, ReportQuery, SolvedForm, TableQuery
from app.forms import parse, parse_query
from app.web import flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route


async def open_hit(request: Request) -> Response:
    """GET /insights/open/{event_id}?hit=faq:12&rank=2&to=/kb/slug: note the click, then go there."""
    params = parse_query(OpenQuery, request.query_params)
    target = safe_local_path(params.to)
    if target is None:
        raise HTTPException(status_code=400, detail=_("This link does not lead to a page of the portal."))
    await service.record_open(request.session, request.path_params["event_id"], params.hit or None, params.rank)
    return redirect(target)


async def solved(request: Request) -> Response:
    """POST /insights/solved (event, hit, next): the answer search `event` showed solved the problem."""
    await ratelimit.enforce_per_client(request, ratelimit.FEEDBACK, "insights-solved")
    posted = parse(SolvedForm, await read_form(request))
    await service.record_solved(request.session, posted.event, posted.hit or None)
    if request.headers.get("HX-Request"):
        return render(request, "insights/_solved_thanks.html")
    flash(request, _("Glad it helped. Thank you for telling us."), "success")
    return redirect(safe_local_path(posted.next) or "/")


def _csv(query: TableQuery, tables: list[Table], period: str) -> Response:
    table = find(tables, query.table)
    if table is None:
        raise HTTPException(status_code=404)
    day = datetime.now(UTC).date().isoformat()
    return csv_response(table, get_locale(), f"sportello-{table.name}-{period}-{day}.csv")


async def search_report(request: Request) -> Response:
    query = parse_query(ReportQuery, request.query_params)
    choice = reports.ReportFilter(query.days, query.who)
    tables = await reports.editors_report(choice, datetime.now(UTC))
    if query.format == "csv":
        return _csv(query, tables, f"{choice.days}d")
    return render(request, "insights/search_report.html", {
        "tables": tables, "choice": choice, "periods": reports.PERIODS, "audiences": reports.AUDIENCE_LABELS,
    })


async def dashboard(request: Request) -> Response:
    panels = await managers_dashboard(datetime.now(UTC))
    query = parse_query(TableQuery, request.query_params)
    if query.format == "csv":
        return _csv(query, [p.table for p in panels], "12w")
    return render(request, "insights/dashboard.html", {"panels": panels})


routes = [
    route("/insights/open/{event_id:id}", open_hit, Action.BROWSE),
    route("/insights/solved", solved, Action.BROWSE, methods=["POST"]),
    route("/insights/search", search_report, Action.SEE_SEARCH_INSIGHTS),
    route("/insights/dashboard", dashboard, Action.SEE_DASHBOARD),
]
