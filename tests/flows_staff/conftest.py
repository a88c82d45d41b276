from collections.abc import AsyncIterator

import pytest

from app.searching.engine import close_engines


@pytest.fixture(autouse=True)
async def closed_engines() -> AsyncIterator[None]:
    """Every engine a test opened is closed before the next test (the app's lifespan does it in production)."""
    yield
    await close_engines()
