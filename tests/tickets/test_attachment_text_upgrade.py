"""The upgrade that adds attachment text: attachments uploaded before it are queued for extraction when they
have text to give (the real migrations, on SQLite or on a PostgreSQL database of the test's own)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.migrations.api import migrate

from app.db import tortoise_config
from app.kb.models import TextStatus
from app.settings import Settings
from app.tickets.models import Attachment
from tests.support import drop_postgres_database, postgres_url, recreate_postgres_database
from tests.tickets.helpers import open_ticket, people

BEFORE = "tickets.0002_ticket_planned_for"
UPLOADED = {"rapporto.pdf": "application/pdf", "server.log": "text/plain", "schermata.png": "image/png",
            "tabella.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@pytest.fixture
async def own_database(tmp_path: Path) -> AsyncIterator[Settings]:
    """A database no other test uses, since this one walks the migrations back and forth."""
    base = postgres_url()
    url = f"{base.rsplit('?', 1)[0]}_upgrade" if base else f"sqlite://{tmp_path / 'upgrade.sqlite3'}"
    if base:
        await recreate_postgres_database(url)
    yield Settings(data_dir=tmp_path / "data", database_url=url, secret_key="test-secret-" * 4, _env_file=None)
    if base:
        await drop_postgres_database(url)


async def migrate_to(settings: Settings, target: str | None = None) -> None:
    try:
        await migrate(config=tortoise_config(settings), target=target)
    finally:
        await Tortoise.close_connections()


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    # Opened and closed in the test itself: Tortoise's connections belong to the context that opened them.
    await Tortoise.init(config=tortoise_config(settings))
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def test_the_upgrade_queues_existing_pdfs_and_text_files_for_extraction(own_database: Settings) -> None:
    settings = own_database
    await migrate_to(settings)
    async with connected(settings):
        _company, mario, _laura, _tech = await people()
        ticket = await open_ticket(settings, mario)
        for number, (name, content_type) in enumerate(UPLOADED.items()):
            await Attachment.create(ticket_id=ticket.id, uploaded_by_id=mario.id, stored_name=f"{number}.bin",
                                    original_name=name, content_type=content_type, size=10)

    await migrate_to(settings, BEFORE)  # the rows as an older release left them: no text columns
    await migrate_to(settings)

    async with connected(settings):
        rows = await Attachment.filter(ticket_id=ticket.id).order_by("id")
    assert {row.original_name: row.text_status for row in rows} == {
        "rapporto.pdf": TextStatus.PENDING, "server.log": TextStatus.PENDING,
        "schermata.png": TextStatus.NOT_PDF, "tabella.xlsx": TextStatus.NOT_PDF,
    }
    assert all(row.text == "" for row in rows)
