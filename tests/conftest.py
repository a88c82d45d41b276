"""Fixtures: every test gets a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
the real application with its lifespan, an HTTP client that behaves like a same-origin browser, and a
real SMTP server."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from tortoise import Tortoise

from app.cache import forget_all
from app.cli import migrate_database
from app.db import tortoise_config
from app.main import create_app
from app.settings import Settings
from tests.support import SmtpServer, copy_database, postgres_url, recreate_postgres_database, truncate_all

BASE_URL = "http://testserver"


def _base_settings(data_dir: Path, database_url: str, smtp_url: str = "") -> Settings:
    return Settings(
        data_dir=data_dir, database_url=database_url, secret_key="test-secret-" * 4, base_url=BASE_URL,
        smtp_url=smtp_url, run_jobs=False, registration="approval", search_semantic=False, _env_file=None,
        live_stream_seconds=0.2,  # in-process clients read a response to its end: live streams end at once
    )


async def _migrate(settings: Settings) -> None:
    import app.cli

    original = app.cli.get_settings
    app.cli.get_settings = lambda: settings  # type: ignore[assignment]
    try:
        await migrate_database()
    finally:
        app.cli.get_settings = original  # type: ignore[assignment]


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database brought up to date by the real migrations, once per run: a SQLite template file or PostgreSQL."""
    url = postgres_url()
    if url:
        asyncio.run(recreate_postgres_database(url))
        asyncio.run(_migrate(_base_settings(tmp_path_factory.mktemp("pg"), url)))
        return url
    template_dir = tmp_path_factory.mktemp("template")
    template = template_dir / "template.sqlite3"
    asyncio.run(_migrate(_base_settings(template_dir, f"sqlite://{template}")))
    return str(template)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def settings(tmp_path: Path, migrated_database: str, smtp: SmtpServer) -> Settings:
    if migrated_database.startswith("postgres"):
        url = migrated_database
    else:
        target = tmp_path / "test.sqlite3"
        copy_database(Path(migrated_database), target)
        url = f"sqlite://{target}"
    return _base_settings(tmp_path / "data", url, smtp.url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings)
    async with LifespanManager(application):
        yield application
        if settings.db_url.startswith("postgres"):
            await truncate_all()


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers={"Origin": BASE_URL}) as http:
        yield http


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[None]:
    """The database without the web application, for service-level tests."""
    forget_all()
    await Tortoise.init(config=tortoise_config(settings))
    try:
        yield
        if settings.db_url.startswith("postgres"):
            await truncate_all()
    finally:
        await Tortoise.close_connections()
