"""A real server on a free port and the system Chromium driven by Playwright."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, async_playwright

from app.settings import Settings
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support import free_port, start_server, stop_server

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


@pytest.fixture
def live_server(settings: Settings, db: None) -> Iterator[LiveServer]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url, "SECRET_KEY": settings.signing_key,
        "BASE_URL": url, "SMTP_URL": settings.smtp_url, "RUN_JOBS": "true", "REGISTRATION": "open",
        "SEARCH_SEMANTIC": str(settings.search_semantic).lower(),
    }
    process = start_server(env, port)
    try:
        yield LiveServer(url, settings.model_copy(update={"base_url": url}))
    finally:
        stop_server(process)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (Debian package `chromium`)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
