"""Export and erasure of one person's data.

Erasure anonymises rather than deletes: tickets stay (the company's records, the search index's solved
cases), but the person's name, email address and phone numbers are replaced wherever they were written
(tickets, comments, extracted attachment text, interventions and expenses, the audit log), the account can no
longer sign in, its sessions, tokens (API tokens and calendar feeds too) and mails are deleted, the mails
received from the person lose sender and subject, and every touched ticket is queued for the index again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from app.accounts.models import AccountToken, Session, User, UserStatus
from app.api.models import ApiToken
from app.audit.models import AuditEntry
from app.audit.service import record
from app.field.models import CalendarFeed, Expense, Intervention
from app.inbound.models import InboundMessage
from app.mail.models import OutgoingMail
from app.searching.outbox import enqueue
from app.tickets.models import Attachment, Comment, Ticket
from app.tickets.service import SEARCH_SOURCE

ERASED = "[anonimizzato]"
MIN_IDENTIFIER_CHARS = 3  # shorter values (an initial, "-") would replace parts of unrelated words
ACCOUNT_FIELDS = ("email", "full_name", "phone", "mobile", "department", "job_title", "address", "locale")


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export_person(user: User) -> dict[str, Any]:
    """Everything the portal keeps about `user`, as JSON-ready data (never the password hash)."""
    await user.fetch_related("company")
    tickets = await Ticket.filter(requester_id=user.id).order_by("id")
    comments = await Comment.filter(author_id=user.id).select_related("ticket").order_by("id")
    attachments = await Attachment.filter(uploaded_by_id=user.id).select_related("ticket").order_by("id")
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "account": {**{name: getattr(user, name) for name in ACCOUNT_FIELDS},
                    "roles": sorted(role.value for role in user.roles), "status": user.status.value,
                    "company": user.company.name if user.company else None},
        "sessions": [{"created_at": _when(s.created_at), "last_seen_at": _when(s.last_seen_at),
                      "user_agent": s.user_agent} for s in await Session.filter(user_id=user.id).order_by("id")],
        "tickets": [{"code": t.code, "title": t.title, "description": t.description, "status": t.status.value,
                     "resolution": t.resolution, "created_at": _when(t.created_at)} for t in tickets],
        "comments": [{"ticket": c.ticket.code, "created_at": _when(c.created_at), "internal": c.internal,
                      "body": c.body} for c in comments],
        "attachments": [{"ticket": a.ticket.code, "name": a.original_name, "size": a.size,
                         "created_at": _when(a.created_at)} for a in attachments],
        "mails": [{"subject": m.subject, "created_at": _when(m.created_at), "status": m.status.value}
                  for m in await OutgoingMail.filter(recipient=user.email).order_by("id")],
        "received_mails": [{"subject": m.subject, "received_at": _when(m.received_at), "outcome": m.outcome.value}
                           for m in await InboundMessage.filter(sender=user.email).order_by("id")],
        "interventions": [{"ticket": i.ticket.code, "starts_at": _when(i.starts_at), "ends_at": _when(i.ends_at),
                           "place": i.place, "state": i.state.value, "note": i.note, "move_request": i.move_request}
                          for i in await Intervention.filter(Q(technician_id=user.id) | Q(ticket__requester_id=user.id))
                          .select_related("ticket").order_by("id")],
        "expenses": [{"kind": e.kind.value, "amount": str(e.amount), "note": e.note, "created_at": _when(e.created_at)}
                     for e in await Expense.filter(created_by_id=user.id).order_by("id")],
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "scopes": t.scopes, "created_at": _when(t.created_at),
                        "last_used_at": _when(t.last_used_at)} for t in await ApiToken.filter(user_id=user.id)],
        "audit": [{"at": _when(e.at), "action": e.action, "target": e.target, "summary": e.summary}
                  for e in await AuditEntry.filter(actor_id=user.id).order_by("id")],
    }


def identifiers_of(user: User) -> list[str]:
    values = {user.full_name, user.email, user.phone, user.mobile}
    return sorted((v.strip() for v in values if len(v.strip()) >= MIN_IDENTIFIER_CHARS), key=len, reverse=True)


def scrubbed(text: str, identifiers: Iterable[str]) -> str:
    for identifier in identifiers:
        text = re.sub(re.escape(identifier), ERASED, text, flags=re.IGNORECASE)
    return text


def _mentions(fields: Iterable[str], identifiers: list[str]) -> Q:
    where = Q(id=-1)
    for name in fields:
        for identifier in identifiers:
            where |= Q(**{f"{name}__icontains": identifier})
    return where


async def erase_person(actor: User, user: User) -> dict[str, int]:
    """Anonymise `user` everywhere (see the module's docstring); returns what was touched, by kind."""
    identifiers = identifiers_of(user)
    counts = {"tickets": 0, "comments": 0, "attachments": 0, "mails": 0, "received_mails": 0, "sessions": 0}
    async with in_transaction():
        touched: set[int] = set()
        for ticket in await Ticket.filter(_mentions(("title", "description", "resolution"), identifiers)):
            for name in ("title", "description", "resolution"):
                setattr(ticket, name, scrubbed(getattr(ticket, name), identifiers))
            await ticket.save(update_fields=["title", "description", "resolution"])
            touched.add(ticket.id)
        for comment in await Comment.filter(_mentions(("body",), identifiers)):
            comment.body = scrubbed(comment.body, identifiers)
            await comment.save(update_fields=["body"])
            touched.add(comment.ticket_id)  # type: ignore[attr-defined]
            counts["comments"] += 1
        for attachment in await Attachment.filter(_mentions(("text", "original_name"), identifiers)):
            attachment.text = scrubbed(attachment.text, identifiers)
            attachment.original_name = scrubbed(attachment.original_name, identifiers)
            await attachment.save(update_fields=["text", "original_name"])
            touched.add(attachment.ticket_id)
            counts["attachments"] += 1
        counts["interventions"], counts["expenses"] = await _scrub_field_work(identifiers)
        counts["tickets"] = len(touched)
        counts["mails"] = await OutgoingMail.filter(recipient=user.email).delete()
        # kept, without who and what, under their Message-ID: a mail read again is still known as done
        counts["received_mails"] = await InboundMessage.filter(sender=user.email).update(sender=ERASED, subject="")
        counts["sessions"] = await Session.filter(user_id=user.id).delete()
        await AccountToken.filter(user_id=user.id).delete()
        await ApiToken.filter(user_id=user.id).delete()
        await CalendarFeed.filter(technician_id=user.id).delete()
        await _anonymise_account(user)
        await AuditEntry.filter(actor_id=user.id).update(actor_name=user.full_name)
        for ticket_id in sorted(touched):
            await enqueue(SEARCH_SOURCE, ticket_id)
        await record(actor, "person.erase", f"user:{user.id}", "Personal data erased", **counts)
    return counts


async def _scrub_field_work(identifiers: list[str]) -> tuple[int, int]:
    """Interventions' places, notes and move requests, and expenses' notes and receipt names, that name the
    person; how many of each were changed."""
    interventions = await Intervention.filter(_mentions(("place", "note", "move_request"), identifiers))
    for intervention in interventions:
        for name in ("place", "note", "move_request"):
            setattr(intervention, name, scrubbed(getattr(intervention, name), identifiers))
        await intervention.save(update_fields=["place", "note", "move_request"])
    expenses = await Expense.filter(_mentions(("note", "receipt_original_name"), identifiers))
    for expense in expenses:
        expense.note = scrubbed(expense.note, identifiers)
        expense.receipt_original_name = scrubbed(expense.receipt_original_name, identifiers)
        await expense.save(update_fields=["note", "receipt_original_name"])
    return len(interventions), len(expenses)


async def _anonymise_account(user: User) -> None:
    user.full_name = f"Utente anonimizzato {user.id}"
    user.email = f"anonimizzato-{user.id}@invalid.invalid"
    for name in ("phone", "mobile", "department", "job_title", "address", "registration_note"):
        setattr(user, name, "")
    user.password_hash = None
    user.status = UserStatus.DISABLED
    await user.save()
