"""Canned replies: shared by every technician or one technician's own; placeholders filled per ticket."""

import re
from collections.abc import Mapping

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.accounts.models import User
from app.audit import service as audit
from app.canned.models import CannedReply
from app.i18n import N_

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
PLACEHOLDERS: tuple[str, ...] = ("requester_name", "company_name", "ticket_code", "ticket_title", "technician_name")
MAX_TITLE = 120
MAX_BODY = 10_000


class CannedError(ValueError):
    """The message is an English msgid shown translated (with %(names)s where it names placeholders)."""


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def fill(body: str, values: Mapping[str, str]) -> str:
    """Every known {placeholder} replaced; any other brace is left as written."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def ticket_values(ticket: object, technician: User) -> dict[str, str]:
    """The placeholders' values for a ticket whose requester and company are loaded."""
    requester = ticket.requester  # type: ignore[attr-defined]
    company = ticket.company  # type: ignore[attr-defined]
    return {"requester_name": requester.full_name, "company_name": company.name if company else "",
            "ticket_code": ticket.code, "ticket_title": ticket.title,  # type: ignore[attr-defined]
            "technician_name": technician.full_name}


def _visible(user: User) -> Q:
    return Q(owner_id=None) | Q(owner_id=user.id)


async def replies_for(user: User) -> list[CannedReply]:
    """The shared replies and the technician's own."""
    return await CannedReply.filter(_visible(user))


async def reply_for(user: User, reply_id: int) -> CannedReply | None:
    return await CannedReply.filter(_visible(user), id=reply_id).first()


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = title.strip(), body.strip()
    if not title or not body or len(title) > MAX_TITLE or len(body) > MAX_BODY:
        raise CannedError(N_("Write a title (at most 120 characters) and the text of the reply."))
    if unknown_placeholders(body):
        raise CannedError(N_("Unknown placeholders: %(names)s."))
    return title, body


async def save_reply(user: User, title: str, body: str, shared: bool, reply: CannedReply | None = None) -> CannedReply:
    title, body = _checked(title, body)
    created = reply is None
    reply = reply or CannedReply()
    before = {} if created else _audited(reply)
    reply.title, reply.body, reply.owner_id = title, body, None if shared else user.id
    async with in_transaction():
        await reply.save()
        await audit.record(user, "canned.create" if created else "canned.update", f"canned:{reply.id}", title,
                           changed=audit.changed_fields(before, _audited(reply)))
    return reply


def _audited(reply: CannedReply) -> dict[str, object]:
    return {"title": reply.title, "body": reply.body, "shared": reply.owner_id is None}


async def delete_reply(user: User, reply_id: int) -> bool:
    async with in_transaction():
        reply = await CannedReply.filter(_visible(user), id=reply_id).first()
        if reply is None:
            return False
        await reply.delete()
        await audit.record(user, "canned.delete", f"canned:{reply_id}", reply.title)
    return True
