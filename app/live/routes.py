"""A ticket's live updates: a Server-Sent Events stream, checked like the ticket page (404 when the ticket
is not the caller's to see), carrying what changed as the page's own fragments."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from app.accounts.models import Session
from app.auth import current_session, require_user
from app.forms import parse_query
from app.live import bus, service
from app.live.forms import StreamQuery
from app.permissions import Action
from app.routing import route
from app.tickets.access import ticket_for
from app.tickets.models import Ticket
from app.web import app_settings, templates

RETRY_MS = 3000  # how soon the browser reconnects after the stream ends


def _cursor(request: Request) -> int | None:
    """The browser's Last-Event-ID when it reconnects, else the page's `?after=`."""
    resumed = request.headers.get("last-event-id")
    values = {"after": resumed} if resumed is not None else request.query_params
    return parse_query(StreamQuery, values).after


def sse(event: service.LiveEvent) -> str:
    data = "".join(f"data: {line}\n" for line in event.html.splitlines() or [""])
    return f"id: {event.id}\nevent: {event.name}\n{data}\n"


async def ticket_events(request: Request) -> Response:
    user = require_user(request)
    ticket = await ticket_for(user, request.path_params["ref"])
    session = current_session(request)
    after = _cursor(request)
    if after is None:
        after = await service.latest_event_id(ticket)
    return StreamingResponse(_stream(request, session, ticket, after), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


async def _stream(request: Request, session: Session | None, ticket: Ticket, after: int) -> AsyncIterator[str]:
    settings = app_settings(request)
    loop = asyncio.get_running_loop()
    ends_at = loop.time() + settings.live_stream_seconds  # then the browser reconnects from where it was

    def render(name: str, context: dict[str, Any]) -> str:
        return templates.get_template(name).render({"request": request, **context})

    yield f"retry: {RETRY_MS}\n\n"
    stopping = bus.bus.stopping
    with bus.bus.watch(ticket.id) as woken:
        while not stopping.is_set() and loop.time() < ends_at:
            viewer = await service.viewer_now(session, ticket) if session is not None else None
            if viewer is None:
                yield "event: end\ndata: signed-out\n\n"
                return
            for event in await service.events_after(viewer, ticket, after, render):
                yield sse(event)
                after = event.id
            wait = min(settings.live_heartbeat_seconds, max(ends_at - loop.time(), 0))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), wait)
            if not woken.is_set():
                yield ": heartbeat\n\n"
            woken.clear()


routes = [
    route("/tickets/{ref}/events", ticket_events, Action.VIEW_TICKET),
]
