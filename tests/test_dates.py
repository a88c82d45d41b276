from datetime import UTC, date, datetime

import httpx
import pytest

from app.i18n import format_when
from app.settings import Settings
from app.tickets.models import Ticket
from tests.support import log_in
from tests.tickets.helpers import open_ticket, people

INSTANT = datetime(2026, 12, 2, 14, 5, 33, tzinfo=UTC)  # 15:05 in Rome


@pytest.mark.parametrize(("value", "locale", "written"), [
    (INSTANT, "it", "2 dic 2026, 15:05"),
    (INSTANT, "en", "Dec 2, 2026, 3:05\u202fPM"),
    (date(2026, 12, 2), "it", "2 dic 2026"),
    (date(2026, 12, 2), "en", "Dec 2, 2026"),
])
def test_one_style_for_dates_and_instants_in_both_languages(value: date, locale: str, written: str) -> None:
    assert format_when(value, locale) == written


def test_an_agreed_day_is_spelled_out_and_an_unknown_style_is_refused() -> None:
    assert format_when(date(2026, 12, 2), "it", "full") == "mercoledì 2 dicembre 2026"
    assert format_when(date(2026, 12, 2), "en", "full") == "Wednesday, December 2, 2026"
    with pytest.raises(ValueError):
        format_when(date(2026, 12, 2), "it", "short")


async def test_the_ticket_page_writes_its_dates_in_the_readers_style(client: httpx.AsyncClient,
                                                                     settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await Ticket.filter(id=ticket.id).update(created_at=INSTANT)
    await log_in(client, mario.email)
    assert "2 dic 2026, 15:05" in (await client.get(f"/tickets/{ticket.code}")).text
    await client.post("/language", data={"locale": "en", "next": "/"})
    english = (await client.get(f"/tickets/{ticket.code}")).text
    assert "Dec 2, 2026, 3:05\u202fPM" in english and "12/2/26" not in english
