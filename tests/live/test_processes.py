"""Two HTTP workers on PostgreSQL: a comment posted through one reaches a stream held by the other
(LISTEN/NOTIFY); SQLite has a single process and needs none of this."""

import signal
import subprocess
import sys
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from app.settings import Settings
from tests.live.support import (
    Stream,
    client_port,
    server_env,
    serving_process,
    signed_in,
    stream,
)
from tests.support import free_port, postgres_url, start_server
from tests.test_serve_workers import children, command_line, wait_for
from tests.tickets.helpers import open_ticket, people

SPORTELLO = str(Path(sys.executable).parent / "sportello")
pytestmark = pytest.mark.skipif(postgres_url() is None, reason="needs PostgreSQL: set TEST_DATABASE_URL")


async def test_a_comment_posted_through_one_worker_reaches_a_stream_held_by_the_other(
    settings: Settings, db: None,
) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(server_env(settings, url), port, SPORTELLO, "serve", "--port", str(port), "--workers", "2")
    try:
        workers = wait_for(lambda: [p for p in children(server.pid) if "multiprocessing" in command_line(p)
                                    and "resource_tracker" not in command_line(p)] or None)
        async with signed_in(url, mario.email) as requester, signed_in(url, tech.email) as technician, \
                AsyncExitStack() as streams:
            held: dict[int, Stream] = {}
            for _attempt in range(40):  # new connections until each worker holds one stream
                opened = await streams.enter_async_context(stream(requester, f"/tickets/{ticket.code}/events"))
                await opened.next(skip_heartbeats=False)
                worker = serving_process(workers, port, client_port(opened.response))
                if worker is not None:
                    held.setdefault(worker, opened)
                if len(held) == 2:
                    break
            assert len(held) == 2, "the connections all went to one worker"
            answer = await technician.post(f"/tickets/{ticket.code}/comments", data={"body": "Risposta da un worker"})
            assert answer.status_code == 303
            for opened in held.values():
                assert "Risposta da un worker" in (await opened.next()).data
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
