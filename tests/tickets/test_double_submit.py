"""A form sent twice, one after the other or at the same instant, opens one ticket or writes one comment, and
both answers lead to it (the real app over HTTP, without JavaScript; the real database's unique constraint)."""

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx

from app.settings import Settings
from app.tickets import submissions
from app.tickets.models import Attachment, Comment, Submission, Ticket
from app.tickets.service import now_utc
from tests.support import Page, log_in
from tests.tickets.helpers import open_ticket, people

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NEW_TICKET = {"title": "Stampa bloccata", "description": "Il pulsante non risponde.", "ticket_type": "anomalia",
              "priority": "media", "severity": "non_bloccante", "confirmed": "1"}


def stored_files(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


async def form_key(client: httpx.AsyncClient, path: str) -> str:
    key = Page((await client.get(path)).text).inputs["submission"]
    assert len(key) >= 16
    return key


async def test_a_new_ticket_sent_twice_is_opened_once(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    await log_in(client, mario.email)
    key = await form_key(client, "/tickets/new")
    assert key != await form_key(client, "/tickets/new")  # every rendered form has its own
    first = await client.post("/tickets/new", data={**NEW_TICKET, "submission": key})
    again = await client.post("/tickets/new", data={**NEW_TICKET, "submission": key})
    (ticket,) = await Ticket.all()
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"] == f"/tickets/{ticket.code}"
    page = Page((await client.get(again.headers["location"])).text)
    assert "Stampa bloccata" in page.text
    other = await client.post("/tickets/new", data={**NEW_TICKET, "submission": await form_key(client, "/tickets/new")})
    assert other.status_code == 303 and await Ticket.all().count() == 2  # a new form is a new ticket


async def test_two_new_ticket_posts_at_once_open_one_ticket(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    await log_in(client, mario.email)
    key = await form_key(client, "/tickets/new")
    answers = await asyncio.gather(*(
        client.post("/tickets/new", data={**NEW_TICKET, "submission": key},
                    files=[("files", ("schermata.png", PNG, "image/png"))]) for _ in range(2)))
    (ticket,) = await Ticket.all()
    assert [a.headers.get("location") for a in answers] == [f"/tickets/{ticket.code}"] * 2
    (attachment,) = await Attachment.filter(ticket_id=ticket.id)
    assert stored_files(settings) == [settings.data_dir / "attachments" / attachment.stored_name]
    assert await Submission.filter(key=key).count() == 1


async def test_a_comment_sent_twice_is_written_once(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    key = await form_key(client, f"/tickets/{ticket.code}")
    posts = [await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Ecco i dati", "submission": key})
             for _ in range(2)]
    assert [p.headers["location"] for p in posts] == [f"/tickets/{ticket.code}#comments"] * 2
    assert await Comment.filter(ticket_id=ticket.id).count() == 1
    page = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert page.text.count("Ecco i dati") == 1


async def test_two_comment_posts_at_once_write_one_comment(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, tech.email)
    key = await form_key(client, f"/tickets/{ticket.code}")
    answers = await asyncio.gather(*(
        client.post(f"/tickets/{ticket.code}/comments", data={"body": "Verifico subito", "submission": key},
                    files=[("files", ("log.png", PNG, "image/png"))]) for _ in range(3)))
    assert [a.status_code for a in answers] == [303] * 3
    (comment,) = await Comment.filter(ticket_id=ticket.id)
    (attachment,) = await Attachment.filter(ticket_id=ticket.id)
    assert attachment.comment_id == comment.id
    assert stored_files(settings) == [settings.data_dir / "attachments" / attachment.stored_name]


async def test_a_key_of_another_form_or_person_creates_nothing(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    key = await form_key(client, f"/tickets/{ticket.code}")
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Primo", "submission": key})
    reused = await client.post("/tickets/new", data={**NEW_TICKET, "submission": key})
    assert reused.status_code == 400 and "ricarica la pagina" in " ".join(Page(reused.text).alerts)
    assert "Stampa bloccata" in reused.text  # what was typed comes back
    bad = await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Secondo", "submission": "<x>"})
    assert bad.status_code == 400 and await Comment.filter(ticket_id=ticket.id).count() == 1
    assert await Ticket.all().count() == 1


async def test_keys_older_than_two_days_are_forgotten_and_newer_ones_kept(settings: Settings, db: None) -> None:
    _company, mario, _laura, _tech = await people()
    old_ticket, new_ticket = await open_ticket(settings, mario), await open_ticket(settings, mario)
    await submissions.remember(mario, submissions.new_key(), old_ticket)
    await submissions.remember(mario, submissions.new_key(), new_ticket)
    await Submission.filter(ticket_id=old_ticket.id).update(created_at=now_utc() - timedelta(days=3))
    assert await submissions.forget_old() == 1
    assert await Submission.filter(ticket_id=new_ticket.id).count() == 1
    assert await Ticket.filter(id=old_ticket.id).exists()  # only the key goes
