"""The audit log page for administrators."""

from starlette.requests import Request
from starlette.responses import Response

from app.audit.service import audit_page
from app.permissions import Action
from app.routing import route
from app.web import render

MAX_PAGE_DIGITS = 6


async def audit_log(request: Request) -> Response:
    query = request.query_params
    raw_page = query.get("page", "")
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() and len(raw_page) <= MAX_PAGE_DIGITS else 1
    text, action = query.get("q", "").strip()[:200], query.get("action", "").strip()[:60]
    result = await audit_page(text, action, page)
    return render(request, "admin/audit.html", {"result": result, "q": text, "action": action})


routes = [route("/admin/audit", audit_log, Action.ADMINISTER)]
