"""/admin/ticket-lists: categories, products and closure days, for admins."""

from starlette.requests import Request
from starlette.responses import Response

from app.i18n import _
from app.tickets import lists
from app.tickets.models import Category, Closure, Product
from app.tickets.service import TicketError
from app.web import field, flash, read_form, redirect, render
from app.permissions import Action
from app.routing import route

PATH = "/admin/ticket-lists"


async def _page(request: Request, error: str = "", typed: dict[str, str] | None = None, status: int = 200) -> Response:
    context = {"categories": await Category.all(), "products": await Product.all(), "closures": await Closure.all(),
               "error": error, "typed": typed or {}}
    return render(request, "tickets/admin_lists.html", context, status_code=status)


async def ticket_lists(request: Request) -> Response:
    if request.method != "POST":
        return await _page(request)
    form = await read_form(request)
    action = field(form, "action")
    typed = {k: field(form, k) for k in ("kind", "name", "name_en", "day", "reason")}
    entry = field(form, "id")
    try:
        if action == "add":
            await lists.add_list_entry(field(form, "kind"), field(form, "name"), field(form, "name_en"))
        elif action == "rename" and entry.isdigit():
            await lists.rename_list_entry(field(form, "kind"), int(entry), field(form, "name"), field(form, "name_en"))
        elif action == "toggle" and entry.isdigit():
            await lists.toggle_list_entry(field(form, "kind"), int(entry))
        elif action == "add_closure":
            await lists.add_closure(field(form, "day"), field(form, "reason"))
        elif action == "remove_closure" and entry.isdigit():
            await lists.remove_closure(int(entry))
        else:
            raise TicketError("Unknown list.")
    except TicketError as error:
        return await _page(request, _(str(error)), typed, status=400)
    flash(request, _("Lists saved."), "success")
    return redirect(PATH)


routes = [route(PATH, ticket_lists, Action.ADMINISTER, methods=["GET", "POST"])]
