"""The upgrade that gives attachments their comment: an old file is linked to the comment its author wrote with
it, and the file of an internal note becomes staff-only (the real migrations, on SQLite or PostgreSQL)."""

from datetime import timedelta

from tortoise import connections

from app.settings import Settings
from app.tickets.models import Attachment, Comment
from tests.tickets.helpers import people
from tests.tickets.test_attachment_text_upgrade import (  # noqa: F401
    connected, insert_old_ticket, migrate_others, migrate_to, own_database,
)

BEFORE = "tickets.0003_attachment_text"


async def test_the_upgrade_links_old_files_to_the_comment_written_with_them(own_database: Settings) -> None:  # noqa: F811
    settings = own_database
    # A database an older release left: every other app up to date, tickets at 0003 (files hang on the ticket).
    # Walked up from empty, not down from the head: Tortoise's SQLite drop of a foreign key column keeps it.
    await migrate_others(settings)
    await migrate_to(settings, BEFORE)
    async with connected(settings):
        _company, mario, _laura, tech = await people()
        ticket_id = await insert_old_ticket(mario)
        note = await Comment.create(ticket_id=ticket_id, author_id=tech.id, body="Password del server: x", internal=True)
        reply = await Comment.create(ticket_id=ticket_id, author_id=mario.id, body="Ecco il log.")
        written = {note.id: note.created_at, reply.id: reply.created_at}

        async def uploaded(name: str, author_id: int, at_offset: timedelta, of: int) -> None:
            at = (written[of] + at_offset).isoformat(sep=" ")
            await connections.get("default").execute_script(
                "INSERT INTO ticket_attachment (ticket_id, uploaded_by_id, stored_name, original_name, content_type,"
                f" size, text, text_status, created_at) VALUES ({ticket_id}, {author_id}, '{name}.bin', '{name}',"
                f" 'text/plain', 3, '', 'not_pdf', '{at}')"
            )

        await uploaded("credenziali.txt", tech.id, timedelta(milliseconds=40), of=note.id)
        await uploaded("server.log", mario.id, timedelta(seconds=-2), of=reply.id)
        await uploaded("tardivo.txt", tech.id, timedelta(minutes=10), of=note.id)  # no comment that close
        await uploaded("altrui.txt", mario.id, timedelta(milliseconds=10), of=note.id)  # the note is not his

    await migrate_to(settings)

    async with connected(settings):
        rows = {row.original_name: row for row in await Attachment.filter(ticket_id=ticket_id)}
    assert (rows["credenziali.txt"].comment_id, rows["credenziali.txt"].internal) == (note.id, True)
    assert (rows["server.log"].comment_id, rows["server.log"].internal) == (reply.id, False)
    assert (rows["tardivo.txt"].comment_id, rows["tardivo.txt"].internal) == (None, False)
    assert (rows["altrui.txt"].comment_id, rows["altrui.txt"].internal) == (reply.id, False)
