"""/admin/ticket-lists: categories, products and closure days, for admins."""

from starlette.requests import Request
from starlette.responses import Response

from app.auth import require_user
from app.forms import InvalidInput, parse, typed
from app.i18n import N_, _
from app.tickets import lists
from app.tickets.models import Category, Closure, Product
from app.tickets.service import TicketError
from app.tickets.forms import ListsForm
from app.web import flash, read_form, redirect, render
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
    typed_values = typed(ListsForm, form)
    try:
        posted = parse(ListsForm, form)
        admin = require_user(request)
        if posted.action == "add":
            await lists.add_list_entry(admin, posted.kind, posted.name, posted.name_en)
        elif posted.action == "rename" and posted.id is not None:
            await lists.rename_list_entry(admin, posted.kind, posted.id, posted.name, posted.name_en)
        elif posted.action == "toggle" and posted.id is not None:
            await lists.toggle_list_entry(admin, posted.kind, posted.id)
        elif posted.action == "add_closure":
            await lists.add_closure(admin, posted.day, posted.reason)
        elif posted.action == "remove_closure" and posted.id is not None:
            await lists.remove_closure(admin, posted.id)
        else:
            raise TicketError(N_("Unknown list."))
    except (InvalidInput, TicketError) as error:
        return await _page(request, _(str(error)), typed_values, status=400)
    flash(request, _("Lists saved."), "success")
    return redirect(PATH)


routes = [route(PATH, ticket_lists, Action.ADMINISTER, methods=["GET", "POST"])]
