"""`sportello kb import [PATH]`: publish a kb_content folder (FAQ files and PDF manuals)."""

import asyncio
from pathlib import Path

import click

from app.kb.content import KB_CONTENT
from app.settings import get_settings


@click.group()
def kb() -> None:
    """Knowledge base: FAQ and manuals."""


@kb.command("import")
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def import_command(path: Path | None) -> None:
    """Import FAQ and manuals from PATH (default: kb_content/); safe to run again."""
    # Imported here: app.cli registers this group, so importing it at module level would be circular.
    from app.cli import with_database
    from app.kb.importer import import_kb

    root = path or KB_CONTENT
    report = asyncio.run(with_database(lambda: import_kb(get_settings(), root)))
    for label, items in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        for item in items:
            click.echo(f"{label:<9} {item}")
    for error in report.errors:
        click.echo(f"error     {error}", err=True)
    click.echo(report.summary())
    if report.errors:
        raise SystemExit(1)
