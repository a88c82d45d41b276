"""The audit log page for administrators."""

from starlette.requests import Request
from starlette.responses import Response

from app.admin.forms import AuditQuery
from app.audit.service import audit_page
from app.forms import parse_query
from app.permissions import Action
from app.routing import route
from app.web import render


async def audit_log(request: Request) -> Response:
    query = parse_query(AuditQuery, request.query_params)
    result = await audit_page(query.q, query.action, query.page)
    return render(request, "admin/audit.html", {"result": result, "q": query.q, "action": query.action})


routes = [route("/admin/audit", audit_log, Action.ADMINISTER)]
