"""`sportello reindex` and `sportello search QUERY | verify`; register both on the main command group."""

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any

import click
from search.types import KINDS, EngineUnavailable, Principal, SearchResult

from app.accounts.models import User
from app.searching.engine import close_engines, get_engine
from app.searching.lexicon import apply_lexicon
from app.searching.principal import principal_for
from app.searching.rebuild import compare, object_count, reindex as rebuild_index
from app.searching.service import search_as
from app.searching.sources import document_sources
from app.settings import get_settings

EXAMPLES = 10
TAG = re.compile(r"<[^>]+>")


def _run(work: Callable[[], Awaitable[Any]]) -> Any:
    """Run `work` with the database and this process's engine, both closed afterwards."""
    from app.cli import with_database  # here, not at the top: app.cli imports this module to register it

    async def guarded() -> Any:
        try:
            return await work()
        except EngineUnavailable as error:
            raise click.ClickException(f"The search engine is not available: {error}") from None
        finally:
            await close_engines()

    return asyncio.run(with_database(guarded))


@click.command()
def reindex() -> None:
    """Rebuild the search index from the database into a new index, then swap it in."""
    settings, sources = get_settings(), document_sources()

    async def work() -> None:
        engine = get_engine(settings)
        await apply_lexicon(engine, force=True)
        total = await object_count(sources)
        with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
            documents = await rebuild_index(engine, sources, bar.update)
        click.echo(f"Indexed {documents} documents from {total} objects ({', '.join(sources) or 'no sources'}).")

    _run(work)


class QueryOrCommand(click.Group):
    """`search verify` runs the subcommand; `search any words` searches for them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = [QUERY_COMMAND, *args]
        return super().parse_args(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return query if cmd_name == QUERY_COMMAND else super().get_command(ctx, cmd_name)


QUERY_COMMAND = "QUERY"  # not a listed subcommand: parse_args puts it in front of the words


@click.group(cls=QueryOrCommand, invoke_without_command=False, no_args_is_help=True)
def search() -> None:
    """Search as a person would (sportello search WORDS [--as EMAIL] [--kind K]), or verify the index."""


@click.command(QUERY_COMMAND)
@click.argument("words", nargs=-1, required=True)
@click.option("--as", "email", default="", help="Search as this person (default: staff, who see everything).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind (repeatable).")
@click.option("--page", default=1, show_default=True, type=click.IntRange(1, 100))
def query(words: tuple[str, ...], email: str, kinds: tuple[str, ...], page: int) -> None:
    settings, text = get_settings(), " ".join(words)

    async def work() -> None:
        if email:
            person = await User.get_or_none(email=email.strip().lower()).select_related("company")
            if person is None:
                raise click.ClickException(f"No user with the email {email}.")
            principal, who = principal_for(person), f"{person.full_name} <{person.email}>"
        else:
            principal, who = Principal.staff(0), "staff (everything)"
        result = await search_as(settings, principal, text, kinds=kinds, page=page)
        click.echo(f"Searching {text!r} as {who}")
        _print_result(result)

    _run(work)


def _print_result(result: SearchResult) -> None:
    for number, hit in enumerate(result.hits, start=1):
        click.echo(f"{number:>2}. {TAG.sub('', str(hit.title_html))}  [{hit.kind}]")
        click.echo(f"    {hit.url}")
        snippet = TAG.sub("", str(hit.snippet_html)).strip()
        if snippet:
            click.echo(f"    {snippet}")
    click.echo(f"{result.total} result{'' if result.total == 1 else 's'} ({result.took_ms:.1f} ms)")
    for name, counts in result.facets.items():
        if counts:
            click.echo(f"  {name}: " + ", ".join(f"{value} {count}" for value, count in sorted(counts.items())))


@search.command()
def verify() -> None:
    """Compare the index with the database: exit code 1 when documents are missing or extra."""
    settings, sources = get_settings(), document_sources()

    async def work() -> bool:
        comparison = await compare(get_engine(settings), sources)
        click.echo(f"Expected from the database: {comparison.expected} documents; in the index: {comparison.indexed}.")
        for label, ids in (("Missing from the index", comparison.missing), ("Extra in the index", comparison.extra)):
            if ids:
                shown = ", ".join(ids[:EXAMPLES]) + (" ..." if len(ids) > EXAMPLES else "")
                click.echo(f"{label}: {len(ids)} ({shown})")
        click.echo("The index matches the database." if comparison.matches else
                   "The index differs from the database: run `sportello reindex`.")
        return comparison.matches

    if not _run(work):
        raise SystemExit(1)
