"""Which tickets just changed, told to every app process: PostgreSQL NOTIFY on one channel, or (SQLite,
one process) straight to the waiting streams. The same channel carries named topics (a cache to forget).

The signal carries only a ticket id. A stream that hears it reads the ticket's new events from the
database itself, so a lost or early signal loses nothing: the next one (or the heartbeat) finds them.
"""

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tortoise import connections

CHANNEL = "sportello_live"
RECONNECT_SECONDS = 2.0
log = logging.getLogger(__name__)


class Bus:
    def __init__(self) -> None:
        self._waiting: dict[int, set[asyncio.Event]] = {}
        self.stopping = asyncio.Event()

    @contextlib.contextmanager
    def watch(self, ticket_id: int) -> Iterator[asyncio.Event]:
        """An event set whenever the ticket may have changed (and on stop, so the stream ends)."""
        woken = asyncio.Event()
        self._waiting.setdefault(ticket_id, set()).add(woken)
        try:
            yield woken
        finally:
            self._waiting[ticket_id].discard(woken)
            if not self._waiting[ticket_id]:
                del self._waiting[ticket_id]

    def wake(self, ticket_id: int | None = None) -> None:
        """Wake the streams of one ticket, or all of them (a reconnected listener may have missed signals)."""
        groups = [self._waiting.get(ticket_id, set())] if ticket_id is not None else list(self._waiting.values())
        for group in groups:
            for woken in group:
                woken.set()

    def stop(self) -> None:
        self.stopping.set()
        self.wake()


bus = Bus()


def _on_postgres() -> bool:
    return connections.get("default").capabilities.dialect == "postgres"


async def ticket_changed(ticket_id: int) -> None:
    """Called by the services once the change is committed."""
    if _on_postgres():
        await connections.get("default").execute_query("SELECT pg_notify($1, $2)", [CHANNEL, str(ticket_id)])
    else:
        bus.wake(ticket_id)


_topics: dict[str, list[Callable[[], None]]] = {}


def on_topic(name: str, callback: Callable[[], None]) -> None:
    """Run `callback` in this process whenever any process announces `name`."""
    _topics.setdefault(name, []).append(callback)


def _heard_topic(name: str) -> None:
    for callback in _topics.get(name, []):
        callback()


async def announce(name: str) -> None:
    """Tell every process (this one at once): on PostgreSQL the others hear it through their LISTEN."""
    _heard_topic(name)
    if _on_postgres():
        await connections.get("default").execute_query("SELECT pg_notify($1, $2)", [CHANNEL, name])


def _dsn(db_url: str) -> str:
    parts = urlsplit(db_url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


async def _listen(dsn: str) -> None:
    """Hold one LISTEN connection for this process, reconnecting when it drops."""
    import asyncpg

    def heard(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            bus.wake(int(payload))
        else:
            _heard_topic(payload)

    while True:
        lost = asyncio.Event()
        try:
            connection = await asyncpg.connect(dsn)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("live updates: cannot listen on PostgreSQL (%s); retrying", error)
            await asyncio.sleep(RECONNECT_SECONDS)
            continue
        try:
            connection.add_termination_listener(lambda _c, lost=lost: lost.set())
            await connection.add_listener(CHANNEL, heard)
            bus.wake()  # whatever happened while nobody listened
            for name in _topics:
                _heard_topic(name)
            await lost.wait()
        finally:
            await connection.close()


def _chain_stop_on_signals() -> dict[int, Any]:
    """Streams end when the server is told to stop: uvicorn waits for open responses before it shuts the
    application down, so without this an open stream would hold SIGTERM forever."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        return {}
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}
    for number in (signal.SIGTERM, signal.SIGINT):
        earlier = signal.getsignal(number)

        def handler(sig: int, frame: FrameType | None, earlier: Any = earlier) -> None:
            loop.call_soon_threadsafe(bus.stop)
            if callable(earlier):
                earlier(sig, frame)
            else:  # nobody else handled it: the default behaviour
                signal.signal(sig, earlier if earlier is not None else signal.SIG_DFL)
                signal.raise_signal(sig)

        previous[number] = earlier
        signal.signal(number, handler)
    return previous


@contextlib.asynccontextmanager
async def running(db_url: str) -> AsyncIterator[None]:
    """The bus for this process's life: the LISTEN task on PostgreSQL, the stop on SIGTERM/SIGINT."""
    bus.stopping = asyncio.Event()  # a new application in the same process (tests) starts afresh
    listener = asyncio.create_task(_listen(_dsn(db_url))) if db_url.startswith("postgres") else None
    previous = _chain_stop_on_signals()
    try:
        yield
    finally:
        bus.stop()
        for number, handler in previous.items():
            signal.signal(number, handler)
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
