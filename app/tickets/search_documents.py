"""Solved tickets as search documents: the knowledge the next requester or technician finds."""

from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Protocol, TypeVar

from app.kb.models import TextStatus
from app.tickets.models import Attachment, Comment, Ticket
from app.tickets.workflow import Status
from search.types import SearchDocument

INDEXED_STATUSES: tuple[Status, ...] = (Status.RISOLTO, Status.CHIUSO)


class _OfTicket(Protocol):
    ticket_id: int


Row = TypeVar("Row", bound=_OfTicket)


def ticket_document(ticket: Ticket, public: Sequence[Comment], internal: Sequence[Comment],
                    attachments: Sequence[Attachment] = ()) -> SearchDocument:
    """Public text first (description, public comments, then each public attachment's text under its file
    name: whoever may see the ticket may open those); internal notes and their files go to staff_body only."""
    shared = [a for a in attachments if not a.internal]
    staff_only = [a for a in attachments if a.internal]
    body = "\n\n".join([ticket.description, *(c.body for c in public), *(_attachment_text(a) for a in shared)])
    staff_body = "\n\n".join([*(c.body for c in internal), *(_attachment_text(a) for a in staff_only)])
    return SearchDocument(
        id=f"ticket:{ticket.id}", kind="ticket", title=f"{ticket.code} {ticket.title}", body=body, tags=[],
        category=ticket.category.name if ticket.category else "",
        product=ticket.product.name if ticket.product else "",
        language=ticket.requester.locale if ticket.requester.locale in ("it", "en") else "it",
        audience="company", company_id=ticket.company_id, requester_id=ticket.requester_id,
        status=ticket.status.value, url=f"/tickets/{ticket.id}", updated_at=ticket.updated_at,
        staff_body=staff_body, resolution=ticket.resolution,
    )


def _attachment_text(attachment: Attachment) -> str:
    return f"{attachment.original_name}\n{attachment.text}"


def _by_ticket(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.ticket_id, []).append(row)
    return grouped


class TicketSource:
    name = "ticket"
    multi_document = False  # a ticket is one document, "ticket:<id>"

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        """Resolved and closed tickets get a document; any other id gets [] (removed from the index).
        Three queries per batch, however many tickets: the tickets, their comments, their attachments' text."""
        ids = [int(i) for i in object_ids if i.isdigit()]
        tickets = await Ticket.filter(id__in=ids, status__in=list(INDEXED_STATUSES)).select_related(
            "requester", "category", "product"
        )
        solved = [t.id for t in tickets]
        comments = _by_ticket(await Comment.filter(ticket_id__in=solved).order_by("id"))
        attachments = _by_ticket(
            await Attachment.filter(ticket_id__in=solved, text_status=TextStatus.READY).order_by("id")
        )
        built: dict[str, list[SearchDocument]] = {object_id: [] for object_id in object_ids}
        for ticket in tickets:
            thread = comments.get(ticket.id, [])
            public = [c for c in thread if not c.internal]
            internal = [c for c in thread if c.internal]
            built[str(ticket.id)] = [ticket_document(ticket, public, internal, attachments.get(ticket.id, []))]
        return built

    async def all_object_ids(self) -> AsyncIterator[str]:
        for ticket_id in await Ticket.filter(status__in=list(INDEXED_STATUSES)).order_by("id").values_list("id", flat=True):
            yield str(ticket_id)


SOURCES = [TicketSource()]
