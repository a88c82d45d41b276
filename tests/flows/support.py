"""Search-first test data: demo FAQ imported with the real importer, solved tickets, the outbox drained
into the engine the portal uses."""

import shutil
from pathlib import Path

from app.accounts.models import User
from app.kb.content import KB_CONTENT
from app.kb.importer import import_kb
from app.searching.engine import get_engine
from app.searching.indexer import drain_all
from app.searching.sources import document_sources
from app.settings import Settings
from app.tickets.models import Ticket
from app.tickets.workflow import Event
from tests.tickets.helpers import move, open_ticket

DEMO_FAQ = ("reimpostare-password", "account-bloccato", "scaricare-cedolino")


async def import_demo_faq(settings: Settings, root: Path, slugs: tuple[str, ...] = DEMO_FAQ) -> None:
    """A few Italian demo FAQ from kb_content, imported as `sportello kb import` would."""
    (root / "faq" / "it").mkdir(parents=True)
    shutil.copyfile(KB_CONTENT / "categories.yml", root / "categories.yml")
    for slug in slugs:
        shutil.copyfile(KB_CONTENT / "faq" / "it" / f"{slug}.md", root / "faq" / "it" / f"{slug}.md")
    report = await import_kb(settings, root)
    assert report.errors == [] and len(report.added) == len(slugs), report


async def drain(settings: Settings) -> None:
    """What the indexer job does in the background: the outbox into the engine."""
    report = await drain_all(get_engine(settings), document_sources())
    assert report.failed == 0, report.errors


async def solved_ticket(settings: Settings, requester: User, tech: User, title: str, description: str,
                        resolution: str) -> Ticket:
    ticket = await open_ticket(settings, requester, title=title, description=description)
    return await move(settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution=resolution)
