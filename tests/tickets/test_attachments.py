"""Attachments through HTTP: stored, served inline or as download, refused cleanly, hidden from other companies."""

from pathlib import Path

import httpx

from app.settings import Settings
from app.tickets.models import Attachment, Comment, Ticket
from tests.support import Page, log_in, log_out, make_company, make_user
from tests.tickets.helpers import fresh, open_ticket, people

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
ZIP = b"PK\x03\x04" + b"\x00" * 60
EXE = b"MZ\x90\x00\x03" + b"\x00" * 60


def stored_files(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "attachments"
    return sorted(folder.iterdir()) if folder.exists() else []


async def test_attach_without_javascript_then_download(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    done = await client.post(f"/tickets/{ticket.code}/attachments", follow_redirects=True,
                             files=[("files", ("schermata.png", PNG, "image/png")), ("files", ("log.zip", ZIP, "application/zip"))])
    assert "File allegati: 2." in Page(done.text).alerts
    png, archive = await Attachment.filter(ticket_id=ticket.id).order_by("id")
    page = Page(done.text)
    assert f"/tickets/{ticket.code}/attachments/{png.id}" in page.links and "schermata.png" in page.text
    assert f"KB · {mario.full_name} ·" in page.text
    inline = await client.get(f"/tickets/{ticket.code}/attachments/{png.id}")
    assert inline.content == PNG and inline.headers["content-disposition"].startswith("inline")
    assert inline.headers["x-content-type-options"] == "nosniff"
    download = await client.get(f"/tickets/{ticket.code}/attachments/{archive.id}")
    assert download.headers["content-disposition"].startswith("attachment")


async def test_a_comment_can_carry_a_file(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Ecco il PDF"},
                      files=[("files", ("verbale.pdf", PDF, "application/pdf"))])
    assert await Comment.filter(ticket_id=ticket.id, body="Ecco il PDF").exists()
    assert (await Attachment.get(ticket_id=ticket.id)).content_type == "application/pdf"


async def test_disallowed_and_oversized_files_are_refused_with_the_ticket_intact(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    before = await fresh(ticket)
    await log_in(client, mario.email)
    bad = await client.post(f"/tickets/{ticket.code}/attachments",
                            files=[("files", ("ok.png", PNG, "image/png")), ("files", ("virus.pdf", EXE, "application/pdf"))])
    assert bad.status_code == 400 and "Questo tipo di file non è accettato." in Page(bad.text).alerts
    big = b"%PDF-1.4\n" + b"x" * (settings.upload_max_mb * 1024 * 1024 + 10)
    huge = await client.post(f"/tickets/{ticket.code}/attachments", files=[("files", ("big.pdf", big, "application/pdf"))])
    assert huge.status_code == 400 and any("troppo grande" in a for a in Page(huge.text).alerts)
    commented = await client.post(f"/tickets/{ticket.code}/comments", data={"body": "Con allegato sbagliato"},
                                  files=[("files", ("virus.exe", EXE, "application/octet-stream"))])
    assert commented.status_code == 400 and Page(commented.text).inputs.get("body") is not None
    assert "Con allegato sbagliato" in commented.text
    assert await Attachment.filter(ticket_id=ticket.id).count() == 0 and stored_files(settings) == []
    assert await Comment.filter(ticket_id=ticket.id).count() == 0
    after = await fresh(ticket)
    assert (after.version, after.status, after.updated_at) == (before.version, before.status, before.updated_at)


async def test_a_new_ticket_with_a_refused_file_is_not_created_and_keeps_the_values(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    _company, mario, _laura, _tech = await people()
    await log_in(client, mario.email)
    refused = await client.post("/tickets/new", data={
        "title": "Con allegato", "description": "Testo", "ticket_type": "richiesta", "priority": "media",
        "severity": "non_bloccante", "confirmed": "1"}, files=[("files", ("x.exe", EXE, "application/octet-stream"))])
    assert refused.status_code == 400 and Page(refused.text).inputs["title"] == "Con allegato"
    assert await Ticket.all().count() == 0 and stored_files(settings) == []
    ok = await client.post("/tickets/new", data={
        "title": "Con allegato", "description": "Testo", "ticket_type": "richiesta", "priority": "media",
        "severity": "non_bloccante", "confirmed": "1"}, files=[("files", ("foto.png", PNG, "image/png"))])
    assert ok.status_code == 303 and await Attachment.all().count() == 1


async def test_another_company_gets_404_on_the_attachment(client: httpx.AsyncClient, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await log_in(client, mario.email)
    await client.post(f"/tickets/{ticket.code}/attachments", files=[("files", ("a.png", PNG, "image/png"))])
    attachment = await Attachment.get(ticket_id=ticket.id)
    await log_out(client)
    await make_user("carla@altra.example", await make_company("Altra Srl"), full_name="Carla")
    await log_in(client, "carla@altra.example")
    assert (await client.get(f"/tickets/{ticket.code}/attachments/{attachment.id}")).status_code == 404
    other = await open_ticket(settings, await make_user("dario@altra.example", await make_company("Terza"), full_name="Dario"))
    assert (await client.get(f"/tickets/{other.code}/attachments/{attachment.id}")).status_code == 404
    posted = await client.post(f"/tickets/{ticket.code}/attachments", files=[("files", ("b.png", PNG, "image/png"))])
    assert posted.status_code == 404 and await Attachment.filter(ticket_id=ticket.id).count() == 1
