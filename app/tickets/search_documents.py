"""Solved tickets as search documents: the knowledge the next requester or technician finds."""

from collections.abc import AsyncIterator, Sequence

from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Status
from search.types import SearchDocument

INDEXED_STATUSES: tuple[Status, ...] = (Status.RISOLTO, Status.CHIUSO)


def ticket_document(ticket: Ticket, public: Sequence[Comment], internal: Sequence[Comment]) -> SearchDocument:
    body = "\n\n".join([ticket.description, *(c.body for c in public)])
    return SearchDocument(
        id=f"ticket:{ticket.id}", kind="ticket", title=f"{ticket.code} {ticket.title}", body=body, tags=[],
        category=ticket.category.name if ticket.category else "",
        product=ticket.product.name if ticket.product else "",
        language=ticket.requester.locale if ticket.requester.locale in ("it", "en") else "it",
        audience="company", company_id=ticket.company_id, requester_id=ticket.requester_id,
        status=ticket.status.value, url=f"/tickets/{ticket.id}", updated_at=ticket.updated_at,
        staff_body="\n\n".join(c.body for c in internal), resolution=ticket.resolution,
    )


class TicketSource:
    name = "ticket"
    multi_document = False  # a ticket is one document, "ticket:<id>"

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        """Resolved and closed tickets get a document; any other id gets [] (removed from the index)."""
        ids = [int(i) for i in object_ids if i.isdigit()]
        tickets = await Ticket.filter(id__in=ids, status__in=list(INDEXED_STATUSES)).select_related(
            "requester", "category", "product"
        )
        comments: dict[int, list[Comment]] = {}
        for comment in await Comment.filter(ticket_id__in=[t.id for t in tickets]).order_by("id"):
            comments.setdefault(comment.ticket_id, []).append(comment)
        built: dict[str, list[SearchDocument]] = {object_id: [] for object_id in object_ids}
        for ticket in tickets:
            thread = comments.get(ticket.id, [])
            public = [c for c in thread if not c.internal]
            internal = [c for c in thread if c.internal]
            built[str(ticket.id)] = [ticket_document(ticket, public, internal)]
        return built

    async def all_object_ids(self) -> AsyncIterator[str]:
        for ticket_id in await Ticket.filter(status__in=list(INDEXED_STATUSES)).order_by("id").values_list("id", flat=True):
            yield str(ticket_id)


SOURCES = [TicketSource()]
