"""A requester's comment on an unassigned ticket tells the whole team: one mail each, in each one's language;
a mail that names its recipient ("Hello Marco,") is written for each, one that does not once per language."""

from app.mail.models import OutgoingMail
from app.mail.service import reads
from app.settings import Settings
from app.tickets import service
from tests.support import make_user
from tests.tickets.helpers import open_ticket, people


async def test_a_comment_reaches_every_technician_in_his_language(db: None, settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    await make_user("anna@sportello.example", is_technician=True, full_name="Anna Neri")
    await make_user("john@sportello.example", is_technician=True, full_name="John Smith", locale="en")
    await make_user("capo@sportello.example", is_admin=True, full_name="Capo Ufficio")  # admins work tickets too
    ticket = await open_ticket(settings, mario)
    before = set(await OutgoingMail.all().values_list("id", flat=True))
    await service.add_comment(settings, mario, ticket, "La stampa si blocca ancora alle 9")
    mails = {m.recipient: m for m in await OutgoingMail.exclude(id__in=before)}
    assert set(mails) == {"tecnico@sportello.example", "anna@sportello.example", "john@sportello.example",
                          "capo@sportello.example"}
    italian, english = mails["anna@sportello.example"], mails["john@sportello.example"]
    assert "La stampa si blocca ancora alle 9" in italian.text_body and "La stampa si blocca" in english.text_body
    assert italian.subject != english.subject and "wrote" in english.text_body and "wrote" not in italian.text_body
    assert mails["tecnico@sportello.example"].html_body == italian.html_body
    assert len({m.message_id for m in mails.values()}) == 4


def test_only_mails_that_name_their_recipient_are_written_for_each() -> None:
    assert reads("ticket_created", "recipient")  # "Hello Mario,"
    assert not reads("ticket_comment", "recipient")
