"""Expenses of an intervention with receipts under the upload rules, their totals, and the intervention form as a
PDF read back with pypdf."""

import io
from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from pypdf import PdfReader

from app.field import service
from app.field.models import Expense, ExpenseKind, Intervention, InterventionState
from app.settings import Settings
from app.tickets.service import local_today, log_work, now_utc
from tests.support import Page, log_in, make_company, make_user
from tests.tickets.helpers import open_ticket, people

TECH = "tecnico@sportello.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def world(settings: Settings):  # type: ignore[no-untyped-def]
    _company, mario, _laura, tech = await people()
    await make_user("anna@bellini.example", await make_company("Studio Bellini"))
    ticket = await open_ticket(settings, mario, description="Il lettore di badge all'ingresso non legge più.")
    ticket.resolution = "Sostituito il cavo del lettore."
    await ticket.save()
    start = now_utc() + timedelta(days=1)
    intervention = await Intervention.create(ticket_id=ticket.id, technician_id=tech.id, starts_at=start,
                                             ends_at=start + timedelta(hours=2), place="Municipio",
                                             state=InterventionState.CONFIRMED)
    return {"ticket": ticket, "tech": tech, "intervention": intervention}


async def add(client: httpx.AsyncClient, code: str, intervention_id: int, kind: str, amount: str,
              files: dict | None = None) -> httpx.Response:  # type: ignore[type-arg]
    return await client.post(f"/tickets/{code}/interventions/{intervention_id}/expenses",
                             data={"kind": kind, "amount": amount, "note": f"{kind} {amount}"}, files=files)


async def test_expenses_with_a_receipt_are_totalled_and_the_receipt_served_only_to_who_sees_the_ticket(
        client: httpx.AsyncClient, world, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ticket, intervention = world["ticket"], world["intervention"]
    await log_in(client, TECH)
    answer = await add(client, ticket.code, intervention.id, "travel", "12,50",
                       files={"receipt": ("biglietto.png", PNG, "application/octet-stream")})
    assert answer.status_code == 303, Page(answer.text).alerts
    assert (await add(client, ticket.code, intervention.id, "meal", "18.20")).status_code == 303
    expense = await Expense.get(kind=ExpenseKind.TRAVEL)
    assert expense.amount == Decimal("12.50") and expense.receipt_name and expense.receipt_name.endswith(".png")
    assert expense.receipt_content_type == "image/png"  # sniffed, not what the browser said
    assert (service.receipts_dir(settings) / expense.receipt_name).is_file()
    page = Page((await client.get(f"/tickets/{ticket.code}")).text).text
    assert "30,70\xa0€" in page  # 12.50 + 18.20, written the Italian way

    receipt_url = f"/tickets/{ticket.code}/expenses/{expense.id}/receipt"
    served = await client.get(receipt_url)
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["x-content-type-options"] == "nosniff"
    await log_in(client, "mario@valdora.example")
    assert (await client.get(receipt_url)).status_code == 200
    assert (await add(client, ticket.code, intervention.id, "meal", "5")).status_code == 404
    await log_in(client, "anna@bellini.example")
    assert (await client.get(receipt_url)).status_code == 404


async def test_bad_expenses_are_refused_and_nothing_is_stored(client: httpx.AsyncClient, world,
                                                              settings: Settings) -> None:  # type: ignore[no-untyped-def]
    ticket, intervention = world["ticket"], world["intervention"]
    await log_in(client, TECH)
    for kind, amount in [("meal", "0"), ("meal", "-3"), ("meal", "1,234"), ("viaggio", "10"), ("meal", "")]:
        assert (await add(client, ticket.code, intervention.id, kind, amount)).status_code == 400, (kind, amount)
    refused = await add(client, ticket.code, intervention.id, "material", "40",
                        files={"receipt": ("virus.exe", b"MZ\x90\x00" + b"\x00\xff" * 40, "image/png")})
    assert refused.status_code == 400
    assert await Expense.all().count() == 0
    folder = service.receipts_dir(settings)
    assert not folder.exists() or not any(folder.iterdir())


async def test_the_intervention_form_pdf_holds_the_hours_and_the_expense_total(
        client: httpx.AsyncClient, world) -> None:  # type: ignore[no-untyped-def]
    ticket, intervention, tech = world["ticket"], world["intervention"], world["tech"]
    await log_work(tech, ticket, local_today(), Decimal("2.5"), "Diagnosi del lettore")
    await log_work(tech, ticket, local_today(), Decimal("1.25"), "Sostituzione del cavo")
    await Expense.create(intervention_id=intervention.id, kind=ExpenseKind.KM, amount=Decimal("23.40"),
                         created_by_id=tech.id, note="48 km")
    await Expense.create(intervention_id=intervention.id, kind=ExpenseKind.MATERIAL, amount=Decimal("9.99"),
                         created_by_id=tech.id, note="Cavo")
    for who in (TECH, "mario@valdora.example"):
        await log_in(client, who)
        answer = await client.get(f"/tickets/{ticket.code}/intervention-form.pdf")
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
        assert ticket.code in text and "lettore di badge" in text and "Sostituito il cavo" in text
        assert "Diagnosi del lettore" in text and "3.75" in text  # the hours and their total
        assert "33,39" in text and "€" in text  # the expenses' total
        assert "Firma del tecnico" in text and "Firma del cliente" in text
    await log_in(client, "anna@bellini.example")
    assert (await client.get(f"/tickets/{ticket.code}/intervention-form.pdf")).status_code == 404


async def test_the_cleanup_removes_receipts_no_expense_names(client: httpx.AsyncClient, world,
                                                             settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from app.field.jobs import clean_receipts

    await log_in(client, TECH)
    await add(client, world["ticket"].code, world["intervention"].id, "meal", "9",
              files={"receipt": ("scontrino.png", PNG, "image/png")})
    kept = (await Expense.get(kind=ExpenseKind.MEAL)).receipt_name
    folder = service.receipts_dir(settings)
    (folder / "0123456789abcdef0123456789abcdef.png").write_bytes(PNG)  # a row that never committed
    swept = await clean_receipts(settings)
    assert swept.removed == ["0123456789abcdef0123456789abcdef.png"]
    assert kept is not None and (folder / kept).is_file()
