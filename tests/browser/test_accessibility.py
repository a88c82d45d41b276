"""WCAG 2.1 AA by axe-core on every main page of each role, at phone (390 px) and desktop (1280 px) width, and no
page of them scrolls sideways on a phone."""

import pytest
from playwright.async_api import Browser

from app.settings import Settings
from tests.browser.conftest import LiveServer
from tests.browser.support import DESKTOP, EMAILS, PHONE, axe_violations, horizontal_overflow, log_in, make_world, pages


@pytest.mark.parametrize("role", ["visitor", "requester", "technician", "editor", "admin"])
async def test_every_main_page_passes_axe_and_fits_a_phone(
    role: str, live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    world = await make_world(settings)
    problems: list[str] = []
    for viewport in (PHONE, DESKTOP):
        # axe is injected as a script element, which the portal's Content-Security-Policy would refuse.
        context = await browser.new_context(viewport=viewport, bypass_csp=True)
        page = await context.new_page()
        if role != "visitor":
            await log_in(page, live_server, EMAILS[role])
        for path in pages(role, world):
            response = await page.goto(live_server.url + path)
            assert response and response.status == 200, f"{role} {path}: {response and response.status}"
            await page.wait_for_load_state("networkidle")
            where = f"{role} {path} at {viewport['width']} px"
            problems += [f"{where}: {violation}" for violation in await axe_violations(page)]
            if viewport is PHONE and (overflow := await horizontal_overflow(page)) > 0:
                problems.append(f"{where}: scrolls sideways by {overflow} px")
        await context.close()
    assert problems == [], "\n".join(problems)
