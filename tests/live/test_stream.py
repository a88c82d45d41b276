"""A ticket's live stream against a real server: who receives what, resuming, and how the stream ends."""

import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from app.accounts.models import Company, Session, User
from app.settings import Settings
from app.tickets.models import Ticket
from tests.live.support import running_server, server_env, signed_in, stream
from tests.support import Page, free_port, make_company, make_user, start_server
from tests.tickets.helpers import open_ticket, people


@pytest.fixture
def server(settings: Settings, db: None) -> Iterator[str]:
    with running_server(settings) as url:
        yield url


async def _ticket(settings: Settings) -> tuple[Ticket, User, User]:
    _company, mario, _laura, tech = await people()
    return await open_ticket(settings, mario), mario, tech


async def _comment(client: httpx.AsyncClient, ticket: Ticket, body: str, internal: bool = False) -> None:
    data = {"body": body, **({"internal": "on"} if internal else {})}
    assert (await client.post(f"/tickets/{ticket.code}/comments", data=data)).status_code == 303


async def test_a_requester_receives_public_replies_and_status_changes_but_nothing_of_an_internal_note(
    server: str, settings: Settings,
) -> None:
    ticket, mario, tech = await _ticket(settings)
    async with signed_in(server, mario.email) as requester, signed_in(server, tech.email) as technician, \
            stream(requester, f"/tickets/{ticket.code}/events") as mine, \
            stream(technician, f"/tickets/{ticket.code}/events") as staff:
        assert mine.response.headers["content-type"].startswith("text/event-stream")
        await _comment(technician, ticket, "Nota: il cliente ha un contratto scaduto", internal=True)
        await _comment(technician, ticket, "Quale stampante usate?")
        reply = await mine.next()
        assert reply.name == "comment" and "Quale stampante usate?" in reply.data
        assert "contratto scaduto" not in reply.data and "#1" in reply.data  # numbered as his page numbers it
        note, public = await staff.next(), await staff.next()
        assert "contratto scaduto" in note.data and "Quale stampante usate?" in public.data
        assert int(note.id) < int(public.id) and "#2" in public.data

        taken = await technician.post(f"/tickets/{ticket.code}/transition",
                                      data={"event": "take_in_charge", "version": str(ticket.version)})
        assert taken.status_code == 303
        status = await mine.next()
        assert status.name == "status" and "Attesa supporto" in Page(status.data).text
        assert (await staff.next()).name == "status"
        beat = await mine.next(skip_heartbeats=False)
        assert beat.name == "heartbeat"  # and nothing else: the note never reached him


async def test_another_companys_ticket_answers_404_and_a_visitor_is_sent_to_log_in(
    server: str, settings: Settings,
) -> None:
    ticket, _mario, _tech = await _ticket(settings)
    await make_user("anna@altro.example", await make_company("Altro Comune"))
    async with signed_in(server, "anna@altro.example") as stranger:
        assert (await stranger.get(f"/tickets/{ticket.code}/events")).status_code == 404
        assert (await stranger.get("/tickets/TT999999/events")).status_code == 404
    async with httpx.AsyncClient(base_url=server) as visitor:
        answer = await visitor.get(f"/tickets/{ticket.code}/events")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


async def test_a_reconnecting_browser_gets_what_it_missed_from_last_event_id(server: str, settings: Settings) -> None:
    ticket, mario, tech = await _ticket(settings)
    async with signed_in(server, mario.email) as requester, signed_in(server, tech.email) as technician:
        async with stream(requester, f"/tickets/{ticket.code}/events") as first:
            await _comment(technician, ticket, "Prima risposta")
            seen = await first.next()
        await _comment(technician, ticket, "Seconda risposta, mentre era offline")
        await _comment(technician, ticket, "Terza risposta")
        async with stream(requester, f"/tickets/{ticket.code}/events", **{"Last-Event-ID": seen.id}) as again:
            missed = [await again.next(), await again.next()]
        assert ["Seconda" in missed[0].data, "Terza" in missed[1].data] == [True, True]
        # The page's own cursor does the same before any event arrived; a bad one counts from now.
        async with stream(requester, f"/tickets/{ticket.code}/events?after={seen.id}") as page:
            assert "Seconda" in (await page.next()).data
        async with stream(requester, f"/tickets/{ticket.code}/events?after=-1") as bad:
            assert (await bad.next(skip_heartbeats=False)).name == "heartbeat"


async def test_the_stream_ends_when_the_session_is_revoked(server: str, settings: Settings) -> None:
    ticket, mario, _tech = await _ticket(settings)
    async with signed_in(server, mario.email) as requester, \
            stream(requester, f"/tickets/{ticket.code}/events") as mine:
        assert (await mine.next(skip_heartbeats=False)).name == "heartbeat"
        await Session.filter(user_id=mario.id).delete()  # "sign out everywhere", or an admin's block
        rest = await mine.rest(timeout=10)
    assert [e.name for e in rest if e.name != "heartbeat"] == ["end"]


async def test_the_stream_ends_when_the_ticket_is_no_longer_the_viewers_to_see(server: str,
                                                                             settings: Settings) -> None:
    company, mario, laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    async with signed_in(server, laura.email) as colleague, \
            stream(colleague, f"/tickets/{ticket.code}/events") as hers:
        assert (await hers.next(skip_heartbeats=False)).name == "heartbeat"
        await Company.filter(id=company.id).update(shares_tickets=False)  # the company stops sharing tickets
        rest = await hers.rest(timeout=10)
    assert [e.name for e in rest if e.name != "heartbeat"] == ["end"]


async def test_sigterm_stops_a_server_with_open_streams(settings: Settings, db: None) -> None:
    ticket, mario, _tech = await _ticket(settings)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start_server(server_env(settings, url), port)
    try:
        async with signed_in(url, mario.email) as requester, \
                stream(requester, f"/tickets/{ticket.code}/events") as one, \
                stream(requester, f"/tickets/{ticket.code}/events") as two:
            await one.next(skip_heartbeats=False), await two.next(skip_heartbeats=False)
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            await one.rest(timeout=10), await two.rest(timeout=10)
            process.wait(timeout=10)
            assert time.monotonic() - started < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # uvicorn re-raises the SIGTERM it handled once it has shut the application down.
    assert process.returncode == -signal.SIGTERM
    assert process.stdout is not None and b"Application shutdown complete" in process.stdout.read()


async def test_a_planned_intervention_reaches_the_requesters_open_page(server: str, settings: Settings) -> None:
    from tests.field.test_interventions import local, plan

    ticket, mario, tech = await _ticket(settings)
    async with signed_in(server, mario.email) as requester, signed_in(server, tech.email) as technician, \
            stream(requester, f"/tickets/{ticket.code}/events") as mine:
        assert (await plan(technician, ticket.code, local(3, 9), local(3, 11))).status_code == 303
        planned = await mine.next()
        assert planned.name == "changed" and "Intervento" in Page(planned.data).text
