"""A mail's subject always fits the outbox column, however long the company and the ticket title."""

from app.mail.models import OutgoingMail
from app.mail.service import SUBJECT_MAX_CHARS, shortened
from app.settings import Settings
from tests.support import make_company, make_user
from tests.tickets.helpers import open_ticket


def test_a_long_subject_is_cut_at_a_space_and_marked() -> None:
    text = "Nuovo ticket " + "parola " * 80
    cut = shortened(text, 300)
    assert len(cut) <= 300 and cut.endswith("…") and text.startswith(cut[:-1]) and cut[-2] != " "
    assert shortened("breve", 300) == "breve"
    assert shortened("x" * 500, 300) == "x" * 299 + "…"


async def test_a_ticket_of_a_long_named_company_with_a_long_title_is_opened_and_mailed(db: None,
                                                                                       settings: Settings) -> None:
    company = await make_company("Consorzio " + "intercomunale " * 13)
    requester = await make_user("mario@consorzio.example", company)
    await make_user("tecnico@sportello.example", is_technician=True)
    ticket = await open_ticket(settings, requester, title="Stampa " + "cedolini " * 21)
    subjects = await OutgoingMail.all().values_list("subject", flat=True)
    assert subjects and all(len(s) <= SUBJECT_MAX_CHARS for s in subjects)
    assert any(ticket.code in s for s in subjects)
