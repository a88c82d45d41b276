"""Demo knowledge base: the FAQ and the manuals of kb_content/, imported idempotently (`sportello demo`)."""

from app.kb.content import KB_CONTENT
from app.kb.importer import import_kb
from app.settings import get_settings


async def load_demo_kb() -> None:
    """Import kb_content/ with the process settings; running it again changes nothing."""
    await import_kb(get_settings(), KB_CONTENT)
