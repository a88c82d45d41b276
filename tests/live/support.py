"""Reading a live stream over real HTTP: its events parsed as a browser's EventSource parses them."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass

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
