"""The `sportello` command: serve, migrate, create users, load the demo."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import click
from tortoise import Tortoise
from tortoise.migrations.api import migrate as run_migrations

from app.db import tortoise_config
from app.kb.cli import kb
from app.searching.cli import reindex, search
from app.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")


def run_async(func: Callable[P, Awaitable[R]]) -> Callable[P, R]:
    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return asyncio.run(func(*args, **kwargs))

    return wrapper


async def with_database(work: Callable[[], Awaitable[Any]]) -> Any:
    await Tortoise.init(config=tortoise_config(get_settings()))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


@click.group()
def main() -> None:
    """Sportello, the search-first support portal."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="HTTP processes; with more than one, the background jobs run in one process of their own.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]), help="uvicorn's log level.")
def serve(host: str, port: int, reload: bool, workers: int, log_level: str) -> None:
    """Serve the portal over HTTP."""
    import uvicorn

    if reload:
        os.environ["TEMPLATE_RELOAD"] = "true"  # the reloader's server process reads it
        get_settings.cache_clear()
    settings = get_settings()
    proxies = settings.trusted_proxy_list
    options: dict[str, Any] = {"factory": True, "host": host, "port": port, "reload": reload, "log_level": log_level,
                               # Without TRUSTED_PROXIES no forwarded header is believed (uvicorn would
                               # otherwise trust 127.0.0.1).
                               "proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or None}
    if workers == 1:
        uvicorn.run("app.main:create_app", **options)
        return
    # Each job claims its rows (SKIP LOCKED on PostgreSQL), but the embedded index has one writer: the
    # HTTP workers only read it, and one `sportello jobs` process writes it.
    job_runner = _start_job_runner() if settings.run_jobs else None
    os.environ["RUN_JOBS"] = "false"
    get_settings.cache_clear()
    try:
        uvicorn.run("app.main:create_app", workers=workers, **options)
    finally:
        if job_runner is not None:
            job_runner.terminate()
            job_runner.wait(timeout=30)


def _start_job_runner() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "app.cli", "jobs"])


@main.command()
@run_async
async def jobs() -> None:
    """Run the background jobs (mail, indexer, clean-ups) without serving HTTP, until stopped."""
    from app.jobs import running
    from app.main import background_jobs
    from app.searching.engine import close_engines
    from app.searching.service import open_search

    settings = get_settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    await Tortoise.init(config=tortoise_config(settings))
    try:
        await open_search(settings)
        async with running(background_jobs(settings)):
            click.echo("Background jobs running; stop with Ctrl-C.")
            await stop.wait()
    finally:
        await close_engines()
        await Tortoise.close_connections()


async def migrate_database() -> None:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        await run_migrations(config=tortoise_config(settings))
    finally:
        await Tortoise.close_connections()


@main.command()
@run_async
async def migrate() -> None:
    """Bring the database schema up to date (SQLite or PostgreSQL)."""
    await migrate_database()
    click.echo("Database schema is up to date.")


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--role", "roles", multiple=True, type=click.Choice(["requester", "technician", "editor", "admin"]),
              default=("requester",), show_default=True)
@click.option("--company", "company_name", default="", help="Name of an existing company.")
@click.option("--password", default="", help="Set this password instead of mailing a temporary one.")
@click.option("--locale", default="it", type=click.Choice(["it", "en"]), show_default=True)
@run_async
async def create_user(email: str, full_name: str, roles: tuple[str, ...], company_name: str, password: str,
                      locale: str) -> None:
    """Create an account (a temporary password is mailed unless --password is given)."""
    from app.accounts import service
    from app.accounts.models import Company
    from app.security import hash_password

    async def work() -> None:
        company = await Company.get_or_none(name=company_name) if company_name else None
        if company_name and company is None:
            raise click.ClickException(f"No company named {company_name!r}.")
        try:
            account, temporary = await service.create_account(
                get_settings(), email=email, full_name=full_name, company=company, roles=set(roles), locale=locale
            )
        except service.AccountError as error:
            raise click.ClickException(str(error)) from None
        if password:
            account.password_hash = hash_password(password)
            account.must_change_password = False
            await account.save(update_fields=["password_hash", "must_change_password"])
        click.echo(f"Created {account.email} with roles {', '.join(sorted(roles))}.")
        if not password:
            click.echo(f"Temporary password (also mailed): {temporary}")

    await with_database(work)


@main.command()
@run_async
async def demo() -> None:
    """Load the demo companies, users and content, and print the demo logins (refused in production)."""
    from app.demo import load_demo

    if get_settings().environment == "production":
        # Demo accounts share one published password: never create them where real people log in.
        raise click.ClickException("sportello demo refuses to run with ENVIRONMENT=production: "
                                   "it would create accounts with a published password.")
    from app.kb.demo import load_demo_kb

    await migrate_database()
    logins = await with_database(load_demo)
    await with_database(load_demo_kb)
    click.echo("Demo logins (password for all: %s):" % logins.password)
    for email, description in logins.accounts:
        click.echo(f"  {email:<32} {description}")


main.add_command(kb)
main.add_command(reindex)
main.add_command(search)


if __name__ == "__main__":
    main()
