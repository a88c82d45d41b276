"""Export of one's own data; export and erasure of anyone's by an administrator."""

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.admin.forms import EraseForm
from app.audit.service import record
from app.auth import require_user
from app.forms import InvalidInput, parse
from app.i18n import _
from app.permissions import Action
from app.privacy.service import erase_person, export_person
from app.routing import route
from app.web import flash, read_form, redirect, render


def _download(data: dict, user: User) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": f'attachment; filename="sportello-dati-{user.id}.json"', "Cache-Control": "no-store"}
    return Response(body, media_type="application/json", headers=headers)


async def _person_or_404(request: Request) -> User:
    person = await User.get_or_none(id=request.path_params["user_id"])
    if person is None:
        raise HTTPException(status_code=404)
    return person


async def export_own(request: Request) -> Response:
    user = require_user(request)
    return _download(await export_person(user), user)


async def export_for_admin(request: Request) -> Response:
    person = await _person_or_404(request)
    await record(require_user(request), "person.export", f"user:{person.id}", "Personal data exported")
    return _download(await export_person(person), person)


async def erase(request: Request) -> Response:
    admin, person = require_user(request), await _person_or_404(request)
    context = {"person": person}
    if request.method != "POST":
        return render(request, "admin/erase.html", context)
    try:
        confirm = parse(EraseForm, await read_form(request)).confirm
    except InvalidInput as error:
        return render(request, "admin/erase.html", {**context, "error": str(error)}, status_code=400)
    if person.id == admin.id:
        error = _("You cannot erase your own account: ask another administrator.")
    elif confirm.lower() != person.email.lower():
        error = _("Type the person's email address to confirm.")
    else:
        counts = await erase_person(admin, person)
        flash(request, _("Personal data erased: %(tickets)s tickets, %(comments)s comments, %(mails)s mails touched.",
                         **counts), "success")
        return redirect(f"/admin/users/{person.id}")
    return render(request, "admin/erase.html", {**context, "error": error}, status_code=400)


routes = [
    route("/account/export", export_own, Action.USE_PORTAL),
    route("/admin/users/{user_id:id}/export", export_for_admin, Action.ADMINISTER),
    route("/admin/users/{user_id:id}/erase", erase, Action.ADMINISTER, methods=["GET", "POST"]),
]
