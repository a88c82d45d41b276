"""Screenshots of the main pages for each role at phone and desktop width, from a portal running the demo.

    sportello demo && sportello serve --port 8000 &
    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out /tmp/shots]

Writes <out>/<role>-<page>-<width>.png and prints each page's horizontal overflow (0 = none).
"""

import argparse
import asyncio
import re
import sys
from pathlib import Path

from playwright.async_api import Page, async_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = "sportello-demo"
WIDTHS = {390: 844, 1280: 800}
ROLES = {
    "visitor": None,
    "requester": "mario.rossi@comune.valdora.example",
    "technician": "tecnico@sportello.example",
    "editor": "editor@sportello.example",
    "admin": "admin@sportello.example",
}
PAGES = {
    "visitor": ["/login", "/kb", "/documents", "/register", "/accessibility"],
    "requester": ["/", "/tickets", "/tickets/new", "{ticket}", "/search?q=password", "/kb", "/company", "/preferences"],
    "technician": ["/", "/tickets/queues", "/tickets", "{ticket}", "/insights/dashboard", "/search?q=stampa",
                   "/field/calendar", "/field/calendar?view=week"],
    "editor": ["/kb/editor", "/kb/editor/new", "/insights/search", "{ticket}"],
    "admin": ["/", "/admin/users", "/admin/companies", "/admin/mail", "/admin/search", "/admin/ticket-lists",
              "/insights/dashboard", "{ticket}", "/admin/sla-plans", "/admin/contracts", "/admin/inbound",
              "/admin/audit"],
}


async def log_in(page: Page, url: str, email: str) -> None:
    await page.goto(f"{url}/login")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    await page.click("form[action='/login'] button[type=submit]")
    await page.wait_for_load_state("networkidle")


async def first_ticket(page: Page, url: str) -> str:
    await page.goto(f"{url}/tickets")
    link = page.locator(".ticket-table tbody a").first
    return await link.get_attribute("href") if await link.count() else "/tickets"


async def open_menus(page: Page, file: Path) -> None:
    """The navigation opened: the menu button on a phone, the Manage disclosure on a desktop."""
    button = page.locator("[data-menu-button]")
    if await button.is_visible():
        await button.click()
    for summary in await page.locator(".nav-group summary").all():
        await summary.click()
    await page.screenshot(path=str(file))


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


async def main(url: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for role, email in ROLES.items():
            for width, height in WIDTHS.items():
                context = await browser.new_context(viewport={"width": width, "height": height})
                page = await context.new_page()
                if email:
                    await log_in(page, url, email)
                ticket = await first_ticket(page, url) if email else ""
                for path in PAGES[role]:
                    path = path.format(ticket=ticket)
                    await page.goto(url + path)
                    await page.wait_for_load_state("networkidle")
                    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    file = out / f"{role}-{slug(path)}-{width}.png"
                    await page.screenshot(path=str(file), full_page=True)
                    print(f"{overflow:5d}px  {file}")
                await open_menus(page, out / f"{role}-menu-open-{width}.png")
                await context.close()
        await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots"))
    arguments = parser.parse_args()
    asyncio.run(main(arguments.url.rstrip("/"), arguments.out))
