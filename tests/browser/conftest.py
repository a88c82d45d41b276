"""A real server on a free port and the system Chromium driven by Playwright."""

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import httpx
import pytest
from playwright.async_api import Browser, async_playwright

from app.settings import Settings
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support import free_port


pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read().decode() if process.stdout else ''}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


@pytest.fixture
def live_server(settings: Settings, db: None) -> Iterator[LiveServer]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url, "SECRET_KEY": settings.signing_key,
        "BASE_URL": url, "SMTP_URL": settings.smtp_url, "RUN_JOBS": "true", "REGISTRATION": "open",
        "SEARCH_SEMANTIC": str(settings.search_semantic).lower(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1", "--port",
         str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, process)
        yield LiveServer(url, settings.model_copy(update={"base_url": url}))
    finally:
        process.terminate()
        try:
            process.wait(30)  # a graceful stop; tests/test_jobs_shutdown.py checks that it ends
        except subprocess.TimeoutExpired:  # on a machine loaded by parallel suites: do not fail the test for it
            process.kill()
            process.wait(10)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (Debian package `chromium`)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
