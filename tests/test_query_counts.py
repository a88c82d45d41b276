"""SQL statements per request: the busy pages ask the database a fixed number of times, however many
comments, tickets or results they show (no query per row)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from app.settings import Settings
from app.tickets import service
from tests.contracts.helpers import company_default, make_plan
from tests.support import log_in
from tests.tickets.helpers import open_ticket, people


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage()[:200])


@contextmanager
def counted() -> Iterator[list[str]]:
    """The statements Tortoise sends while the block runs (its client logs each one at DEBUG)."""
    logger = logging.getLogger("tortoise.db_client")
    counter, level = _Counter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def statements_for(client: httpx.AsyncClient, path: str) -> int:
    await client.get(path)  # the first request fills per-process caches (lexicon, settings)
    with counted() as statements:
        response = await client.get(path)
    assert response.status_code == 200, path
    return len(statements)


async def test_the_ticket_page_asks_the_same_number_of_queries_for_three_or_twelve_comments(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    for n in range(3):
        await service.add_comment(settings, tech, ticket, f"Risposta {n}")
    await log_in(client, tech.email)
    few = await statements_for(client, f"/tickets/{ticket.code}")
    for n in range(9):
        await service.add_comment(settings, tech if n % 2 else mario, ticket, f"Altra risposta {n}", internal=n % 3 == 0)
    many = await statements_for(client, f"/tickets/{ticket.code}")
    assert many == few, (few, many)
    assert few <= 16, few  # session, ticket, comments, attachments, events, work log, lists, rating, canned replies,
    # interventions (their expenses in one more when there are some)...


async def test_the_ticket_list_asks_the_same_number_of_queries_for_two_or_ten_tickets(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    _company, mario, _laura, _tech = await people()
    for n in range(2):
        await open_ticket(settings, mario, title=f"Ticket {n}")
    await log_in(client, mario.email)
    few = await statements_for(client, "/tickets")
    for n in range(8):
        await open_ticket(settings, mario, title=f"Altro ticket {n}")
    many = await statements_for(client, "/tickets")
    assert many == few, (few, many)
    assert few <= 5, few  # session, count, page of tickets, their people, their companies (app/tickets/loading.py)


async def test_the_queues_ask_the_same_number_of_queries_for_three_or_thirty_open_tickets(
    client: httpx.AsyncClient, settings: Settings,
) -> None:
    company, mario, _laura, tech = await people()
    await company_default(company, await make_plan("Stretto", take=(1, 1, 1)))  # late from the opening
    for n in range(3):
        await open_ticket(settings, mario, title=f"Ticket {n}")
    await log_in(client, tech.email)
    few = {name: await statements_for(client, f"/tickets/queues?queue={name}") for name in ("sla", "unassigned")}
    for n in range(27):
        await open_ticket(settings, mario, title=f"Altro ticket {n}")
    many = {name: await statements_for(client, f"/tickets/queues?queue={name}") for name in ("sla", "unassigned")}
    assert many == few, (few, many)
    assert max(few.values()) <= 6, few  # session, the four counts, the page, its people, companies and history
