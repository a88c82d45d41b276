from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Browser, expect
from search.embedded import EmbeddedEngine
from search.types import SearchDocument

from app.settings import Settings
from tests.browser.conftest import LiveServer
from tests.support import PASSWORD, make_company, make_user


def faq(number: int, title: str, url: str) -> SearchDocument:
    return SearchDocument(
        id=f"faq:{number}", kind="faq", title=title, body="", tags=[], category="", product="", language="it",
        audience="public", company_id=None, requester_id=None, status="", url=url,
        updated_at=datetime(2026, 5, 4, tzinfo=UTC),
    )


@pytest.fixture
async def indexed(settings: Settings, db: None) -> None:
    """Documents in the index before the server starts (one writer per index: this one closes first)."""
    await make_user("anna@valdora.it", await make_company("Comune di Valdora"), full_name="Anna")
    engine = EmbeddedEngine(settings.data_dir / "index")
    await engine.upsert([faq(1, "Preferenze di notifica", "/preferences"),
                         faq(2, "Preferenze della lingua", "/company")])
    await engine.close()


async def test_header_suggestions_open_with_the_keyboard(indexed: None, live_server: LiveServer,
                                                         browser: Browser) -> None:
    page = await browser.new_page()
    await page.goto(f"{live_server.url}/login")
    await page.get_by_label("Email").fill("anna@valdora.it")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Ciao, Anna")

    box = page.get_by_role("combobox", name="Cerca in FAQ, manuali e ticket")
    await box.press_sequentially("prefer", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    await expect(options.first).to_be_visible()
    await expect(options).to_have_count(3)  # two hits and "all results"
    await expect(options.first).to_contain_text("Preferenze")

    await box.press("ArrowDown")
    await expect(box).to_be_focused()
    await expect(box).to_have_attribute("aria-activedescendant", await options.first.get_attribute("id") or "")
    target = await options.first.get_attribute("href")
    await page.keyboard.press("Enter")
    destination = parse_qs(urlsplit(target).query)["to"][0]
    await expect(page).to_have_url(f"{live_server.url}{destination}")
