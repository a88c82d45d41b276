"""Who hears about a ticket change, and the mail that tells them. Called inside the change's transaction."""

from dataclasses import dataclass
from typing import Any

from app.accounts.models import User, UserStatus
from app.inbound.replies import reply_address
from app.mail.models import OutgoingMail
from app.mail.service import outbox_row, queue_mails, reads, same_mail_to
from app.settings import Settings
from app.tickets.models import Ticket
from app.tickets.references import technicians


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str
    name: str = ""


def ticket_link(settings: Settings, ticket: Ticket) -> str:
    return f"{settings.base_url.rstrip('/')}/tickets/{ticket.code}"


def _as_recipient(user: User) -> Recipient:
    return Recipient(user.email, user.locale, user.full_name)


async def requester_side(ticket: Ticket, exclude: User | None = None) -> list[Recipient]:
    """The requester (if he wants mail about his tickets) and colleagues who follow the company's tickets."""
    people: list[User] = []
    requester = await User.get(id=ticket.requester_id)
    if requester.notify_own_tickets and requester.status is UserStatus.ACTIVE:
        people.append(requester)
    if ticket.company_id is not None:
        company = await ticket.company
        if company is not None and company.shares_tickets:
            people.extend(
                await User.filter(
                    company_id=ticket.company_id, notify_company_tickets=True, sees_company_tickets=True,
                    status=UserStatus.ACTIVE,
                ).exclude(id=ticket.requester_id)
            )
    return [_as_recipient(u) for u in people if exclude is None or u.id != exclude.id]


async def team(settings: Settings, exclude: User | None = None) -> list[Recipient]:
    if settings.team_email:
        return [Recipient(settings.team_email, settings.default_locale)]
    return [_as_recipient(u) for u in await technicians() if exclude is None or u.id != exclude.id]


async def staff_side(settings: Settings, ticket: Ticket, exclude: User | None = None) -> list[Recipient]:
    """The assignee when there is one, otherwise the whole team."""
    if ticket.assignee_id is not None:
        assignee = await User.get(id=ticket.assignee_id)
        active = assignee.status is UserStatus.ACTIVE
        return [_as_recipient(assignee)] if active and (exclude is None or assignee.id != exclude.id) else []
    return await team(settings, exclude)


async def send(
    settings: Settings, template: str, recipients: list[Recipient], ticket: Ticket, context: dict[str, Any]
) -> None:
    reply_to = reply_address(settings, ticket.id)
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        unique.setdefault(recipient.email, recipient)
    # A mail that says nothing of its recipient is rendered once per language, then copied.
    personal = reads(template, "recipient")
    rendered: dict[str, OutgoingMail] = {}
    rows = []
    for recipient in unique.values():
        key = recipient.email if personal else recipient.locale
        first = rendered.get(key)
        if first is None:
            first = rendered[key] = outbox_row(
                template, recipient.email, recipient.locale,
                {"ticket": ticket, "link": ticket_link(settings, ticket), "recipient": recipient,
                 "replies_read": bool(reply_to), **context}, reply_to=reply_to)
            rows.append(first)
        else:
            rows.append(same_mail_to(first, recipient.email))
    await queue_mails(rows)
