"""The per-process cache of the reference tables (app/cache.py): a change is seen by the next page, in this process
and in another one on the same PostgreSQL, and a value forgotten while it loads is not kept."""

import asyncio
import time

import httpx
import pytest
from tortoise.transactions import in_transaction

from app.cache import Shared
from app.contracts import plans
from app.settings import Settings
from app.tickets.models import Category, Closure
from tests.live.support import running_server, signed_in
from tests.support import log_in, make_user, postgres_url
from tests.tickets.helpers import open_ticket, people


async def test_a_value_forgotten_while_it_loads_is_returned_but_not_kept(db: None) -> None:
    loads: list[int] = []

    async def load() -> int:
        loads.append(len(loads) + 1)
        if len(loads) == 1:
            shared.forget()  # a change announced while the first read was on its way
        return loads[-1]

    shared = Shared("test-forgotten-while-loading", load)
    assert await shared.get() == 1
    assert await shared.get() == 2
    assert await shared.get() == 2 and loads == [1, 2]


async def test_a_value_read_inside_a_transaction_is_not_kept(db: None) -> None:
    shared = Shared("test-read-in-a-transaction", lambda: Category.all().count())
    async with in_transaction():
        await Category.create(name="Paghe")  # not committed yet: another request must not be served it
        assert await shared.get() == 1
        await Category.filter(name="Paghe").delete()
    assert await shared.get() == 0 and await shared.get() == 0


async def test_a_renamed_category_shows_on_the_next_ticket_page(client: httpx.AsyncClient,
                                                                settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    category = await Category.create(name="Paghe")
    ticket = await open_ticket(settings, mario)
    ticket.category_id = category.id
    await ticket.save(update_fields=["category_id"])
    await make_user("boss@example.it", is_admin=True)
    await log_in(client, tech.email)
    assert "Paghe" in (await client.get(f"/tickets/{ticket.code}")).text  # now cached
    await log_in(client, "boss@example.it")
    renamed = await client.post("/admin/ticket-lists", data={"action": "rename", "kind": "category",
                                                             "id": str(category.id), "name": "Stipendi"})
    assert renamed.status_code == 303
    page = (await client.get(f"/tickets/{ticket.code}")).text
    assert "Stipendi" in page and "Paghe" not in page


async def test_a_closure_day_added_and_removed_is_seen_at_once(db: None) -> None:
    day = (await plans.closure_days()) or frozenset()
    closure = await Closure.create(day="2031-08-14", reason="Ponte")
    assert closure.day in await plans.closure_days() and closure.day not in day
    await closure.delete()
    assert closure.day not in await plans.closure_days()


@pytest.mark.skipif(postgres_url() is None, reason="needs PostgreSQL: set TEST_DATABASE_URL")
async def test_a_category_renamed_through_one_node_is_seen_by_the_other_at_once(settings: Settings,
                                                                                db: None) -> None:
    _company, mario, _laura, tech = await people()
    await make_user("boss@example.it", is_admin=True)
    category = await Category.create(name="Paghe")
    ticket = await open_ticket(settings, mario)
    ticket.category_id = category.id
    await ticket.save(update_fields=["category_id"])
    with running_server(settings) as first, running_server(settings) as second:
        async with signed_in(first, "boss@example.it") as admin, signed_in(second, tech.email) as technician:
            assert "Paghe" in (await technician.get(f"/tickets/{ticket.code}")).text  # cached by the second
            renamed = await admin.post("/admin/ticket-lists", data={"action": "rename", "kind": "category",
                                                                    "id": str(category.id), "name": "Stipendi"})
            assert renamed.status_code == 303
            started = time.monotonic()
            while "Stipendi" not in (page := (await technician.get(f"/tickets/{ticket.code}")).text):
                assert time.monotonic() - started < 5, "the other node kept the old name"  # its TTL is 30 s
                await asyncio.sleep(0.05)
            assert "Paghe" not in page
