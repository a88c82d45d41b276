"""What a ticket's event stream reads: where to resume (`?after=` from the page, or the browser's
Last-Event-ID header when it reconnects)."""

from app.forms import Count, QueryModel


class StreamQuery(QueryModel):
    after: Count | None = None  # None: from now on
