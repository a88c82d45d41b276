"""The layout in Chromium, found by role and label: the menu button, the header combobox, the new-ticket answers
beside or under the field, the staff desk, the requester's solution first, the admin header on one row, a
keyboard-only journey, no console error while typing and a favicon that answers."""

import re

from playwright.async_api import Browser, Locator, Page, expect

from app.settings import Settings
from tests.browser.conftest import LiveServer
from tests.browser.support import DESKTOP, EMAILS, PHONE, World, log_in, make_world


async def signed_in(browser: Browser, server: LiveServer, role: str, viewport: dict[str, int]) -> Page:
    page = await (await browser.new_context(viewport=viewport)).new_page()
    await log_in(page, server, EMAILS[role])
    return page


async def box(locator: Locator) -> dict[str, float]:
    found = await locator.bounding_box()
    assert found is not None
    return found


async def test_the_menu_button_opens_and_closes_the_navigation_on_a_phone(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    await make_world(settings)
    page = await signed_in(browser, live_server, "requester", PHONE)
    menu = page.get_by_role("button", name="Menu")
    new_ticket = page.get_by_role("navigation", name="Principale").get_by_role("link", name="Nuovo ticket")
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await expect(new_ticket).to_be_hidden()
    header = await box(page.get_by_role("banner"))
    assert header["height"] <= 70, header  # brand, search and menu button on one row

    await menu.click()
    await expect(menu).to_have_attribute("aria-expanded", "true")
    await expect(new_ticket).to_be_visible()
    await page.keyboard.press("Tab")
    await page.keyboard.press("Escape")  # closes the menu and returns to its button
    await expect(menu).to_have_attribute("aria-expanded", "false")
    await expect(menu).to_be_focused()
    await expect(new_ticket).to_be_hidden()

    await page.set_viewport_size(DESKTOP)
    await expect(menu).to_be_hidden()
    await expect(new_ticket).to_be_visible()


async def test_the_header_search_is_a_combobox(live_server: LiveServer, browser: Browser, settings: Settings) -> None:
    world = await make_world(settings)
    page = await signed_in(browser, live_server, "requester", DESKTOP)
    combobox = page.get_by_role("combobox", name="Cerca in FAQ, manuali e ticket")
    listbox = page.get_by_role("listbox", name="Suggerimenti")
    await expect(combobox).to_have_attribute("aria-expanded", "false")
    await expect(combobox).to_have_attribute("aria-controls", "header-suggestions")

    await combobox.press_sequentially("cedolini", delay=30)
    options = listbox.get_by_role("option")
    await expect(options.first).to_be_visible(timeout=10_000)
    await expect(combobox).to_have_attribute("aria-expanded", "true")
    await expect(options.first).to_contain_text("Stampa dei cedolini")
    count = await options.count()

    await combobox.press("ArrowDown")
    first_id = await options.first.get_attribute("id")
    await expect(combobox).to_have_attribute("aria-activedescendant", first_id or "")
    await expect(options.first).to_have_attribute("aria-selected", "true")
    await expect(combobox).to_be_focused()  # focus stays in the box
    await combobox.press("ArrowUp")  # wraps to the last option ("All results")
    await expect(combobox).to_have_attribute("aria-activedescendant", await options.nth(count - 1).get_attribute("id") or "")
    await combobox.press("ArrowDown")

    await combobox.press("Escape")
    await expect(combobox).to_be_focused()
    await expect(combobox).to_have_attribute("aria-expanded", "false")
    await expect(options).to_have_count(0)
    assert await combobox.get_attribute("aria-activedescendant") is None

    await combobox.press("End")
    await combobox.press_sequentially(" ", delay=30)
    await expect(options.first).to_be_visible(timeout=10_000)
    await combobox.press("ArrowDown")
    await combobox.press("Enter")
    await expect(page).to_have_url(re.compile(rf"/kb/{world.article}$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Stampa dei cedolini")


async def test_typing_a_new_ticket_logs_no_console_error_and_the_favicon_answers(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    await make_world(settings)
    page = await signed_in(browser, live_server, "requester", DESKTOP)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    await page.goto(f"{live_server.url}/tickets/new")
    async with page.expect_response(lambda r: r.url.endswith("/tickets/new/suggestions")):
        await page.get_by_label("Titolo").press_sequentially("Stampa cedolini", delay=40)
    async with page.expect_response(lambda r: r.url.endswith("/tickets/new/suggestions")):
        await page.get_by_label("Descrizione").press_sequentially("non esce nulla", delay=40)
    await expect(page.get_by_role("region", name="Risposte che possono aiutarti")).to_contain_text("Stampa dei cedolini")
    await page.wait_for_timeout(300)
    assert errors == []

    for path in ("/favicon.ico", "/favicon.svg"):
        response = await page.request.get(live_server.url + path)
        assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
        assert (await response.text()).startswith("<svg")
    assert await page.locator("link[rel=icon]").get_attribute("href") == "/favicon.svg"


async def test_new_ticket_answers_beside_the_field_on_desktop_and_under_it_on_a_phone(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    await make_world(settings)
    for viewport in (DESKTOP, PHONE):
        page = await signed_in(browser, live_server, "requester", viewport)
        await page.goto(f"{live_server.url}/tickets/new")
        panel = page.get_by_role("region", name="Risposte che possono aiutarti")
        title, description = page.get_by_label("Titolo"), page.get_by_label("Descrizione")
        await title.focus()
        if viewport is DESKTOP:
            field, answers = await box(title), await box(panel)
            assert answers["x"] >= field["x"] + field["width"] and answers["y"] < field["y"] + field["height"]
            continue
        for typed in (title, description):
            await typed.focus()
            field, answers = await box(typed), await box(panel)
            gap = answers["y"] - (field["y"] + field["height"])
            assert 0 <= gap <= 40, (await typed.get_attribute("id"), gap)


async def test_the_staff_ticket_page_is_a_desk_with_the_reply_box_in_the_first_viewport(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    world = await make_world(settings)
    page = await signed_in(browser, live_server, "technician", DESKTOP)
    await page.goto(f"{live_server.url}/tickets/{world.ticket}")
    reply = page.get_by_role("textbox", name="Il tuo commento")
    send = page.get_by_role("button", name="Invia")
    details = page.get_by_role("heading", name="Dettagli")
    reply_box, send_box, details_box = await box(reply), await box(send), await box(details)
    assert send_box["y"] + send_box["height"] <= DESKTOP["height"]  # no scrolling to reach the reply
    assert details_box["x"] > reply_box["x"] + reply_box["width"]  # properties in the right column
    assert details_box["y"] < DESKTOP["height"]

    await page.set_viewport_size(PHONE)
    reply_box, details_box = await box(reply), await box(details)
    assert abs(details_box["x"] - reply_box["x"]) < 40 and details_box["y"] > reply_box["y"]  # one column


async def test_the_requester_reads_the_solution_before_the_similar_questions(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    world = await make_world(settings)
    page = await signed_in(browser, live_server, "requester", DESKTOP)
    await page.goto(f"{live_server.url}/tickets/{world.solved}")
    solution = page.get_by_role("heading", name="Informazioni soluzione")
    similar = page.get_by_role("heading", name="Domande simili già risolte")
    await expect(similar).to_be_visible()
    assert (await box(solution))["y"] < (await box(similar))["y"]


async def test_the_admin_header_fits_one_row_at_1280_px(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    await make_world(settings)
    page = await signed_in(browser, live_server, "admin", DESKTOP)
    nav = page.get_by_role("navigation", name="Principale")
    tops = {round((await box(link))["y"]) for link in await nav.locator(":scope > ul > li > a").all()}
    tops.add(round((await box(page.get_by_role("button", name="Esci")))["y"]))
    tops.add(round((await box(page.get_by_role("combobox", name="Cerca in FAQ, manuali e ticket")))["y"]) + 6)
    assert max(tops) - min(tops) <= 10, tops
    assert (await box(page.get_by_role("banner")))["height"] <= 70
    await nav.get_by_text("Gestione").click()
    await nav.get_by_role("link", name="Ricerca: impostazioni").click()
    await expect(page).to_have_url(f"{live_server.url}/admin/search")


async def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, checking that every focused element shows a focus outline."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        outline = await page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", await page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        if await target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus")


async def keyboard_journey(page: Page, server: LiveServer, world: World) -> None:
    await page.goto(f"{server.url}/")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Vai al contenuto")).to_be_focused()
    await expect(page.get_by_role("link", name="Vai al contenuto")).to_be_in_viewport()
    await tab_to(page, page.get_by_role("combobox", name="Cerca in FAQ, manuali e ticket"))
    await page.keyboard.type("cedolini", delay=30)
    await expect(page.get_by_role("option").first).to_be_visible(timeout=10_000)
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Stampa dei cedolini")

    await tab_to(page, page.get_by_role("link", name="I miei ticket aperti"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_have_text("I miei ticket aperti")
    await tab_to(page, page.get_by_role("link", name=world.ticket, exact=True))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1)).to_contain_text(world.ticket)

    await page.keyboard.press("Tab")  # the skip link, then straight into the page's content
    await expect(page.get_by_role("link", name="Vai al contenuto")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("main")).to_be_focused()
    await tab_to(page, page.get_by_role("textbox", name="Il tuo commento"), limit=10)
    await page.keyboard.type("Scritto solo con la tastiera.")
    await tab_to(page, page.get_by_role("button", name="Invia"))
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("main").locator(".comments")).to_contain_text("Scritto solo con la tastiera.")


async def test_a_requester_searches_reads_and_comments_with_the_keyboard_only(
    live_server: LiveServer, browser: Browser, settings: Settings
) -> None:
    world = await make_world(settings)
    page = await signed_in(browser, live_server, "requester", DESKTOP)
    await keyboard_journey(page, live_server, world)
