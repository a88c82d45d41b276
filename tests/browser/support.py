"""What the layout and accessibility tests share: a world with one person per role, logging in, axe-core."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from app.field.models import Expense, ExpenseKind, Intervention
from app.settings import Settings
from app.tickets import service
from app.tickets.models import WorkKind
from app.tickets.workflow import Event
from tests.browser.conftest import LiveServer
from tests.contracts.helpers import make_contract, make_plan
from tests.kb.support import make_article
from tests.support import PASSWORD, make_company, make_user
from tests.tickets.helpers import move, open_ticket

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EMAILS = {
    "requester": "mario@valdora.example",
    "technician": "tecnico@sportello.example",
    "editor": "editor@sportello.example",
    "admin": "admin@sportello.example",
}


@dataclass(frozen=True)
class World:
    ticket: str  # a ticket of the requester, with a public reply
    solved: str  # a solved ticket of the requester
    article: str


async def make_world(settings: Settings) -> World:
    company = await make_company("Comune di Valdora", shares_tickets=True)
    mario = await make_user(EMAILS["requester"], company, full_name="Mario Rossi")
    tech = await make_user(EMAILS["technician"], is_technician=True, full_name="Marco Ferri")
    await make_user(EMAILS["editor"], is_editor=True, full_name="Elena Editor")
    await make_user(EMAILS["admin"], is_admin=True, is_technician=True, is_editor=True, full_name="Alessandra Conti")
    await make_article("stampa-cedolini", "Stampa dei cedolini", "Per stampare i cedolini premi **Stampa**.\n")
    await make_article("timbratura-mancante", "Timbratura mancante",
                       "Se una timbratura non compare, chiedi la correzione al tuo responsabile.\n")
    # A contract already overrun, so the pages show the balance in each of its looks.
    contract = await make_contract(company, hours=1, starts_on=date(2026, 1, 1), ends_on=date(2099, 12, 31),
                                   plan=await make_plan("Oro"))
    ticket = await open_ticket(settings, mario, title="Stampa cedolini bloccata")
    await move(settings, tech, ticket, Event.TAKE_IN_CHARGE)
    await service.log_work(tech, ticket, service.local_today(), Decimal(2), "Verifica", WorkKind.CONTRACT, contract.id)
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    visit = await Intervention.create(ticket_id=ticket.id, technician_id=tech.id, starts_at=start,
                                      ends_at=start + timedelta(hours=2), place="Piazza del Municipio 1, Valdora")
    await Expense.create(intervention_id=visit.id, kind=ExpenseKind.KM, amount=Decimal("23.40"), created_by_id=tech.id)
    solved = await open_ticket(settings, mario, title="Timbratura di marzo mancante",
                               description="La timbratura del 3 marzo non compare.")
    await move(settings, tech, solved, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Timbratura aggiunta a mano.")
    return World(ticket.code, solved.code, "stampa-cedolini")


def pages(role: str, world: World) -> list[str]:
    """The main pages each role sees."""
    ticket = f"/tickets/{world.ticket}"
    return {
        "visitor": ["/login", "/register", "/password/forgot", "/kb", f"/kb/{world.article}", "/documents",
                    "/accessibility"],
        "requester": ["/", "/tickets", "/tickets?view=closed", "/tickets/new", ticket, f"/tickets/{world.solved}",
                      "/search?q=cedolini", "/kb", f"/kb/{world.article}", "/documents", "/company", "/preferences",
                      "/kb/suggest", "/accessibility"],
        "technician": ["/", "/tickets/queues", "/tickets", ticket, "/tickets/new", "/insights/dashboard",
                       "/search?q=cedolini", "/documents/new", "/field/calendar", "/field/calendar?view=week",
                       "/field/feed"],
        "editor": ["/", "/kb/editor", "/kb/editor/new", "/insights/search", ticket, f"/tickets/{world.solved}/promote"],
        "admin": ["/", "/admin/users", "/admin/users/new", "/admin/companies", "/admin/companies/new", "/admin/mail",
                  "/admin/search", "/admin/ticket-lists", "/admin/sla-plans", "/admin/sla-plans/new", "/admin/contracts",
                  "/admin/contracts/new", "/insights/dashboard", ticket],
    }[role]


async def log_in(page: Page, server: LiveServer, email: str) -> None:
    await page.goto(f"{server.url}/login")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Accedi").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Ciao")


async def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each (rule, impact, first elements)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install-dev` installs axe-core with npm (package.json)")
    await page.add_script_tag(path=str(AXE))
    found = await page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: "tag", values: tags}})).violations
             .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`)""",
        WCAG_AA,
    )
    return list(found)


async def horizontal_overflow(page: Page) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
