"""Mail received from a person is in their data export and loses its sender and subject when they are erased."""

from app.inbound.models import InboundMessage, Outcome
from app.inbound.service import process
from app.privacy.service import erase_person, export_person
from app.settings import Settings
from tests.inbound.mails import mail
from tests.support import make_user
from tests.tickets.helpers import people


async def test_received_mail_is_exported_and_erased_with_its_sender(db: None, settings: Settings) -> None:
    _company, mario, laura, _tech = await people()
    admin = await make_user("admin@sportello.example", is_admin=True)
    raw = mail("mario@valdora.example", "Stampa bloccata da Mario Rossi")
    await process(settings, raw)
    await process(settings, mail("laura@valdora.example", "Altro"))

    exported = await export_person(mario)
    assert [(m["subject"], m["outcome"]) for m in exported["received_mails"]] == [
        ("Stampa bloccata da Mario Rossi", "ticket")]

    counts = await erase_person(admin, mario)
    assert counts["received_mails"] == 1
    erased = await InboundMessage.get(outcome=Outcome.TICKET, ticket__requester_id=mario.id)
    assert (erased.sender, erased.subject) == ("[anonimizzato]", "")
    assert (await InboundMessage.get(sender=laura.email)).subject == "Altro"
    assert await process(settings, raw) is None  # still known as done: never a second ticket
