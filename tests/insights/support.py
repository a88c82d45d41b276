"""Insights test data: search events placed in time, and a browser-like session dict."""

import csv
import io
import json
from base64 import b64decode, b64encode
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import TimestampSigner

from app.insights import service
from app.insights.models import SearchEvent

COOKIE_DOMAIN = "testserver.local"  # where the cookie jar files cookies of http://testserver


def session() -> dict[str, Any]:
    return {}


async def age(event_id: int, seconds: float) -> None:
    """Move an event back in time, as if it had been recorded `seconds` ago."""
    moment = datetime.now(UTC) - timedelta(seconds=seconds)
    await SearchEvent.filter(id=event_id).update(created_at=moment, typed_at=moment)


async def searched(text: str, results: int = 3, *, times: int = 1, role: str = "requester",
                   purpose: str = "search", days_ago: float = 0, **outcome: Any) -> list[int]:
    """`times` searches for `text`, each from its own browser session, optionally with an outcome."""
    ids = []
    for _ in range(times):
        event_id = await service.record_search(session(), text, "it", role, purpose, results)
        assert event_id is not None
        if days_ago:
            await age(event_id, days_ago * 86400)
        if outcome:
            await SearchEvent.filter(id=event_id).update(**outcome)
        ids.append(event_id)
    return ids


def browser_session(client: Any, settings: Any, data: dict[str, Any]) -> None:
    """Give the test client a signed session cookie holding `data`, as the portal's middleware would."""
    signer = TimestampSigner(str(settings.signing_key))
    payload = b64encode(json.dumps(data).encode())
    client.cookies.set("sportello_session", signer.sign(payload).decode(), domain=COOKIE_DOMAIN)


def session_of(client: Any) -> dict[str, Any]:
    """The session the portal last set in the client's cookie."""
    raw = client.cookies.get("sportello_session", domain=COOKIE_DOMAIN)
    return json.loads(b64decode(raw.split(".")[0])) if raw else {}


def parse_csv(body: bytes, separator: str = ";") -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark"
    return list(csv.reader(io.StringIO(text[1:]), delimiter=separator))
