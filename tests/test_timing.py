"""Every answer says how long the portal worked on it (Server-Timing), which the HTTP benchmarks read."""

import httpx

from app.timing import server_milliseconds


async def test_every_response_carries_the_portal_time(client: httpx.AsyncClient) -> None:
    for path in ("/login", "/healthz", "/no-such-page"):
        response = await client.get(path)
        spent = server_milliseconds(response.headers["server-timing"])
        assert spent is not None and 0 < spent < 10_000


def test_the_app_duration_is_read_among_other_metrics() -> None:
    assert server_milliseconds("cache;desc=hit, app;dur=4.25") == 4.25
    assert server_milliseconds("db;dur=3") is None
