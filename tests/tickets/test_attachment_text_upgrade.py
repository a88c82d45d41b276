"""The upgrade that adds attachment text: attachments uploaded before it are queued for extraction when they
have text to give (the real migrations, on SQLite or on a PostgreSQL database of the test's own)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from app.cache import forget_all
from app.db import tortoise_config
from app.kb.models import TextStatus
from app.settings import Settings
from app.accounts.models import User
from app.tickets.models import Attachment
from tests.support import drop_postgres_database, postgres_url, recreate_postgres_database
from tests.tickets.helpers import people

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


# Apps whose migrations depend on the tickets' latest: an older release had none of them.
AFTER_TICKETS = ("tickets", "contracts")


async def migrate_others(settings: Settings) -> None:
    """Every app but the tickets (and those built on them) up to date."""
    for label in tortoise_config(settings)["apps"]:
        if label not in AFTER_TICKETS:
            await migrate_to(settings, label)


async def insert_old_ticket(requester: User) -> int:
    """A ticket row with the columns of the first release only (the model's later columns do not exist yet)."""
    client = connections.get("default")
    values = (f"'Stampa cedolini bloccata', 'anomalia', 'media', 'non_bloccante', 'aperto', 'portal', "
              f"'Il pulsante Stampa non risponde.', {requester.id}, {requester.company_id or 'NULL'}, {requester.id}, "
              "'', '2026-01-05 10:00:00+00:00', '2026-01-05 08:00:00+00:00', 1, '2026-01-05 08:00:00+00:00', "
              "'2026-01-05 08:00:00+00:00'")
    await client.execute_script(
        "INSERT INTO ticket (title, ticket_type, priority, severity, status, channel, description, requester_id, "
        "company_id, opened_by_id, resolution, sla_deadline, last_interaction_at, version, created_at, updated_at) "
        f"VALUES ({values})")
    rows = await client.execute_query_dict("SELECT MAX(id) AS id FROM ticket")
    return int(rows[0]["id"])


@asynccontextmanager
async def connected(settings: Settings) -> AsyncIterator[None]:
    # Opened and closed in the test itself: Tortoise's connections belong to the context that opened them.
    forget_all()  # what the process cached came from another database
    await Tortoise.init(config=tortoise_config(settings))
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def test_the_upgrade_queues_existing_pdfs_and_text_files_for_extraction(own_database: Settings) -> None:
    settings = own_database
    # The rows as an older release left them: no text columns. Walked up from empty, not down from the head:
    # Tortoise's SQLite drop of a foreign key column keeps it.
    await migrate_others(settings)
    await migrate_to(settings, BEFORE)
    async with connected(settings):
        _company, mario, _laura, _tech = await people()
        ticket_id = await insert_old_ticket(mario)
        for number, (name, content_type) in enumerate(UPLOADED.items()):
            await connections.get("default").execute_script(
                "INSERT INTO ticket_attachment (ticket_id, uploaded_by_id, stored_name, original_name, content_type, "
                f"size, created_at) VALUES ({ticket_id}, {mario.id}, '{number}.bin', '{name}', '{content_type}', 10, "
                "'2026-01-05 08:00:00+00:00')")
    await migrate_to(settings)

    async with connected(settings):
        rows = await Attachment.filter(ticket_id=ticket_id).order_by("id")
    assert {row.original_name: row.text_status for row in rows} == {
        "rapporto.pdf": TextStatus.PENDING, "server.log": TextStatus.PENDING,
        "schermata.png": TextStatus.NOT_PDF, "tabella.xlsx": TextStatus.NOT_PDF,
    }
    assert all(row.text == "" for row in rows)
