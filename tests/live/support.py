"""Reading a live stream over real HTTP: its events parsed as a browser's EventSource parses them."""

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.settings import Settings
from tests.support import free_port, log_in, start_server, stop_server

WAIT = 15.0  # seconds an expected event may take on a loaded machine


@dataclass(frozen=True)
class SseEvent:
    name: str  # "heartbeat" for a comment line
    id: str
    data: str


class Stream:
    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._events = self._parse()

    async def _parse(self) -> AsyncIterator[SseEvent]:
        name, event_id, data = "message", "", []
        async for line in self.response.aiter_lines():
            if line.startswith(":"):
                yield SseEvent("heartbeat", "", line[1:].strip())
            elif line == "":
                if data:
                    yield SseEvent(name, event_id, "\n".join(data))
                name, data = "message", []
            else:
                field, _colon, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "event":
                    name = value
                elif field == "id":
                    event_id = value
                elif field == "data":
                    data.append(value)

    async def next(self, skip_heartbeats: bool = True, timeout: float = WAIT) -> SseEvent:
        while True:
            event = await asyncio.wait_for(anext(self._events), timeout)
            if not (skip_heartbeats and event.name == "heartbeat"):
                return event

    async def rest(self, timeout: float = WAIT) -> list[SseEvent]:
        """Every event until the server ends the stream."""
        async def drain() -> list[SseEvent]:
            return [event async for event in self._events]
        return await asyncio.wait_for(drain(), timeout)


@asynccontextmanager
async def stream(client: httpx.AsyncClient, path: str, **headers: str) -> AsyncIterator[Stream]:
    async with client.stream("GET", path, headers=headers, timeout=httpx.Timeout(WAIT)) as response:
        yield Stream(response)


def server_env(settings: Settings, url: str) -> dict[str, str]:
    return {"DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url, "SECRET_KEY": settings.signing_key,
            "BASE_URL": url, "RUN_JOBS": "false", "SEARCH_SEMANTIC": "false", "LIVE_HEARTBEAT_SECONDS": "0.5"}


@contextmanager
def running_server(settings: Settings) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(server_env(settings, url), port)
    try:
        yield url
    finally:
        stop_server(process)


@asynccontextmanager
async def signed_in(url: str, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, headers={"Origin": url}) as client:
        await log_in(client, email)
        yield client


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def serving_process(pids: list[int], server_port: int, client_port: int) -> int | None:
    """Which of `pids` holds the server side of the TCP connection from `client_port` (read from /proc)."""
    wanted = f"{server_port:04X}", f"{client_port:04X}"
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            cells = row.split()
            local, remote = cells[1].rsplit(":", 1)[1], cells[2].rsplit(":", 1)[1]
            if (local, remote) == wanted:
                inode = cells[9]
    return next((pid for pid in pids if inode is not None and inode in _socket_inodes(pid)), None)


def client_port(response: httpx.Response) -> int:
    return response.extensions["network_stream"].get_extra_info("client_addr")[1]
