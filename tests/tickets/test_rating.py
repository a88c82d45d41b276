"""Satisfaction ratings: offered on "Ok, risolto" and by the signed link of the auto-close mail, one per ticket."""

import time
from datetime import UTC, datetime, timedelta

import httpx
import itsdangerous.timed
import pytest
from itsdangerous import URLSafeTimedSerializer

from app.insights.dashboards import satisfaction_by_week, score_distribution
from app.insights.service import RatingRow
from app.settings import Settings
from app.tickets import rating, service
from app.tickets.models import Rating, Ticket
from app.tickets.workflow import Event
from tests.support import Page, SmtpServer, link_in, log_in, log_out
from tests.tickets.helpers import fresh, move, open_ticket, people


async def _resolved(settings: Settings) -> tuple[Ticket, object, object, object]:
    _company, mario, laura, tech = await people()
    ticket = await move(settings, tech, await open_ticket(settings, mario), Event.TAKE_IN_CHARGE, Event.RESOLVE,
                        resolution="Rigenerato il cedolino.")
    return ticket, mario, laura, tech


async def test_ok_resolved_offers_the_rating_and_one_rating_per_ticket_can_change(
        client: httpx.AsyncClient, settings: Settings) -> None:
    ticket, mario, laura, tech = await _resolved(settings)
    await log_in(client, mario.email)
    closed = await client.post(f"/tickets/{ticket.code}/transition",
                               data={"event": Event.CONFIRM_RESOLVED.value, "version": str(ticket.version)})
    assert closed.headers["location"] == f"/tickets/{ticket.code}#rating"
    page = await client.get(f"/tickets/{ticket.code}")
    assert "Valuta l'assistenza" in Page(page.text).headings
    assert f'action="/tickets/{ticket.code}/rating"' in page.text and page.text.count('name="score"') == 5

    bad = await client.post(f"/tickets/{ticket.code}/rating", data={"score": "6"})
    assert bad.status_code == 400 and "Scegli un voto da 1 a 5." in Page(bad.text).alerts
    for wrong in ({"score": "²"}, {"score": "3", "comment": "a\x00b"}, {"score": "3", "comment": "x" * 3000}):
        assert (await client.post(f"/tickets/{ticket.code}/rating", data=wrong)).status_code == 400, wrong
    assert not await Rating.exists(ticket_id=ticket.id)
    await client.post(f"/tickets/{ticket.code}/rating", data={"score": "2", "comment": "Lento"})
    again = await client.post(f"/tickets/{ticket.code}/rating", data={"score": "4", "comment": "Poi bene"},
                              follow_redirects=True)
    assert "Grazie: la tua valutazione è stata salvata." in Page(again.text).alerts
    stored = await Rating.get(ticket_id=ticket.id)
    assert (await Rating.filter(ticket_id=ticket.id).count(), stored.score, stored.comment,
            stored.rated_by_id) == (1, 4, "Poi bene", mario.id)
    assert 'value="4" required checked' in again.text

    await log_out(client)
    await log_in(client, laura.email)  # a colleague who sees the ticket may not rate it
    refused = await client.post(f"/tickets/{ticket.code}/rating", data={"score": "1"}, follow_redirects=True)
    assert "Solo il richiedente" in " ".join(Page(refused.text).alerts)
    assert (await Rating.get(ticket_id=ticket.id)).score == 4
    await log_out(client)
    await log_in(client, tech.email)
    staff_view = Page((await client.get(f"/tickets/{ticket.code}")).text)
    assert "Soddisfazione del richiedente" in staff_view.headings and "4 su 5" in staff_view.text
    assert "Poi bene" in staff_view.text
    assert (await client.post(f"/tickets/{ticket.code}/rating", data={"score": "5"})).status_code == 404


async def test_an_open_ticket_cannot_be_rated(client: httpx.AsyncClient, settings: Settings) -> None:
    ticket, mario, _laura, _tech = await _resolved(settings)
    await log_in(client, mario.email)
    page = await client.get(f"/tickets/{ticket.code}")
    assert 'name="score"' not in page.text
    await client.post(f"/tickets/{ticket.code}/rating", data={"score": "5"})
    assert not await Rating.exists(ticket_id=ticket.id)


async def test_the_auto_close_mail_links_the_requester_to_the_rating(client: httpx.AsyncClient, settings: Settings,
                                                                     smtp: SmtpServer) -> None:
    ticket, mario, laura, _tech = await _resolved(settings)
    laura.notify_company_tickets = True
    await laura.save()
    await smtp.deliver()
    now = service.now_utc()
    await Ticket.filter(id=ticket.id).update(last_interaction_at=now - timedelta(days=4))
    assert await service.auto_close_resolved(settings, now) == 1
    await smtp.deliver()
    link = link_in(smtp.mailbox.last_to(mario.email), "/rating/")
    assert "/rating/" not in smtp.mailbox.last_to(laura.email).get_body(("plain",)).get_content()

    form = await client.get(link)  # no login needed: the link names the ticket and its requester
    assert form.status_code == 200 and ticket.code in Page(form.text).headings[0]
    for bad in ({"score": "²"}, {"score": "5", "comment": "a\x00b"}, {"score": "5", "comment": "x" * 3000}):
        refused = await client.post(link, data=bad)
        assert refused.status_code == 400 and Page(refused.text).alerts, bad
    assert not await Rating.exists(ticket_id=ticket.id)
    saved = await client.post(link, data={"score": "5", "comment": "Ottimo"})
    assert saved.status_code == 200 and "Grazie: la tua valutazione è stata salvata." in Page(saved.text).alerts
    assert (await Rating.get(ticket_id=ticket.id)).rated_by_id == mario.id

    assert (await client.get(link[:-3] + "xyz")).status_code == 404  # a changed signature names nothing
    other = URLSafeTimedSerializer("another key", salt="ticket-rating").dumps([ticket.id, mario.id])
    assert (await client.get(f"/rating/{other}")).status_code == 404


async def test_a_rating_link_older_than_30_days_names_nothing(settings: Settings, db: None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    ticket, _mario, _laura, _tech = await _resolved(settings)
    token = rating.rating_link(settings, ticket).rsplit("/", 1)[1]
    assert await rating.from_link(settings, token) is not None
    later = time.time() + 31 * 86400
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: later)
    assert await rating.from_link(settings, token) is None


async def test_the_dashboard_shows_count_average_and_distribution(client: httpx.AsyncClient,
                                                                  settings: Settings) -> None:
    first, mario, _laura, tech = await _resolved(settings)
    second = await move(settings, tech, await open_ticket(settings, mario, title="Altro"), Event.TAKE_IN_CHARGE,
                        Event.RESOLVE, resolution="Fatto.")
    for ticket, score in ((first, "4"), (second, "5")):
        await service.transition(settings, mario, await fresh(ticket), Event.CONFIRM_RESOLVED, (await fresh(ticket)).version)
        await rating.rate(mario, await fresh(ticket), score, "")
    await log_in(client, tech.email)
    page = Page((await client.get("/insights/dashboard")).text)
    assert "Valutazioni di soddisfazione, per settimana" in page.headings
    assert "2 valutazioni in 12 settimane, media 4,5 su 5." in page.text
    scores = (await client.get("/insights/dashboard?format=csv&table=satisfaction_scores")).text
    assert "5;1;50" in scores and "4;1;50" in scores and "1;0;0" in scores



def test_satisfaction_by_week_and_by_score() -> None:
    monday = datetime(2026, 11, 30, 12, tzinfo=UTC)
    rows = [RatingRow(monday, 5), RatingRow(monday + timedelta(days=1), 4), RatingRow(monday - timedelta(days=7), 1)]
    weeks = satisfaction_by_week(rows, ["2026-W48", "2026-W49", "2026-W50"])
    assert [(w.label, w.count, w.average) for w in weeks] == [("2026-W48", 1, 1.0), ("2026-W49", 2, 4.5),
                                                              ("2026-W50", 0, None)]
    assert score_distribution(rows) == [(5, 1, 33.3), (4, 1, 33.3), (3, 0, 0.0), (2, 0, 0.0), (1, 1, 33.3)]
    assert score_distribution([]) == [(5, 0, None), (4, 0, None), (3, 0, None), (2, 0, None), (1, 0, None)]


@pytest.mark.parametrize("raw", ["0", "6", "", "3.5", "tre", " 9"])
def test_scores_outside_one_to_five_are_refused(raw: str) -> None:
    with pytest.raises(rating.RatingError):
        rating.parse_score(raw)
