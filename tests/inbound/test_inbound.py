"""Mail read from a real dovecot becomes tickets and comments, through the real ticket service and database."""

import asyncio
import imaplib
import ssl
from email.message import EmailMessage

import pytest
from tortoise import Tortoise

from app.accounts.models import User, UserStatus
from app.inbound import imap
from app.inbound.models import InboundMessage, Outcome
from app.inbound.replies import reply_address
from app.inbound.service import poll_once, process
from app.jobs import running
from app.mail.models import OutgoingMail
from app.main import background_jobs
from app.settings import Settings
from app.tickets.models import Attachment, Channel, Comment, Ticket
from app.tickets.workflow import Event, Status
from tests.inbound.conftest import SUPPORT_ADDRESS, Dovecot
from tests.inbound.mails import EXECUTABLE, PDF, mail
from tests.support import SmtpServer, make_company, make_user
from tests.tickets.helpers import move, open_ticket, people

pytestmark = pytest.mark.usefixtures("db")


async def test_a_known_contacts_mail_opens_a_ticket_with_its_attachments(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    _company, mario, _laura, _tech = await people()
    text = ("La stampa dei cedolini si blocca.\n\n--\nMario Rossi\nUfficio paghe\n\n"
            "Il giorno lun 1 dic 2026 alle ore 10:00 Sportello <assistenza@sportello.example> ha scritto:\n"
            "> testo di prima\n")
    dovecot.append(mail("Mario Rossi <Mario@Valdora.example>", "Stampa bloccata", text,
                        files=(("cedolino.pdf", PDF), ("setup.exe", EXECUTABLE))))

    assert await poll_once(inbound_settings) == 1

    ticket = await Ticket.get(requester_id=mario.id)
    assert (ticket.title, ticket.channel, ticket.status) == ("Stampa bloccata", Channel.EMAIL, Status.APERTO)
    assert ticket.description == "La stampa dei cedolini si blocca."
    assert await Attachment.filter(ticket_id=ticket.id).values_list("original_name", flat=True) == ["cedolino.pdf"]
    assert (inbound_settings.data_dir / "attachments" / (await Attachment.get(ticket_id=ticket.id)).stored_name).exists()
    row = await InboundMessage.get()
    assert (row.outcome, row.ticket_id, row.sender) == (Outcome.TICKET, ticket.id, "mario@valdora.example")
    assert row.refused_files() == [("setup.exe", "This type of file is not accepted.")]
    assert dovecot.seen() == [True]


async def test_polling_again_opens_nothing_twice(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    raw = mail("mario@valdora.example", "Stampa bloccata")
    dovecot.append(raw)
    dovecot.append(raw)  # the same Message-ID delivered twice

    assert await poll_once(inbound_settings) == 2
    assert await poll_once(inbound_settings) == 0
    assert await Ticket.all().count() == 1
    assert await InboundMessage.all().count() == 1
    assert dovecot.seen() == [True, True]


async def test_ticket_mails_carry_a_reply_address_and_a_reply_to_it_is_a_comment(
    inbound_settings: Settings, dovecot: Dovecot, smtp: SmtpServer
) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(inbound_settings, mario)
    await move(inbound_settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Svuotare la cache.")
    await smtp.deliver()
    resolved: EmailMessage = smtp.mailbox.last_to("mario@valdora.example")
    address = resolved["Reply-To"]
    assert address == reply_address(inbound_settings, ticket.id)
    assert address.startswith("assistenza+t") and address.endswith("@sportello.example")
    assert resolved["Auto-Submitted"] == "auto-generated"  # an out-of-office reply to it would be a loop
    assert "La sua risposta viene aggiunta al ticket" in resolved.get_body(preferencelist=("html",)).get_content()

    dovecot.append(mail("mario@valdora.example", f"Re: {resolved['Subject']}", "Non funziona ancora.\n\n"
                        "On Mon, Dec 1, 2026 at 10:00 AM Sportello wrote:\n> Svuotare la cache.\n", to=address))
    await poll_once(inbound_settings)

    comment = await Comment.get(ticket_id=ticket.id)
    assert (comment.body, comment.author_id, comment.internal) == ("Non funziona ancora.", mario.id, False)
    assert (await Ticket.get(id=ticket.id)).status is Status.ATTESA_SUPPORTO  # a requester's reply reopens Risolto
    row = await InboundMessage.get()
    assert (row.outcome, row.ticket_id, row.comment_id) == (Outcome.COMMENT, ticket.id, comment.id)


async def test_without_inbound_mail_ticket_mails_have_no_reply_address(settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    await open_ticket(settings, mario)
    sent = await OutgoingMail.get(recipient="mario@valdora.example")
    assert sent.reply_to == "" and sent.message_id
    assert "Non rispondere a questo indirizzo." in sent.html_body


async def test_in_reply_to_a_mail_we_sent_is_a_comment_on_its_ticket(inbound_settings: Settings, dovecot: Dovecot) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(inbound_settings, mario)
    sent = await OutgoingMail.get(recipient="mario@valdora.example")
    assert sent.message_id and sent.reply_to

    dovecot.append(mail("mario@valdora.example", "Re: ticket", "Aggiungo un dettaglio.", in_reply_to=sent.message_id))
    await poll_once(inbound_settings)

    assert await Comment.filter(ticket_id=ticket.id).values_list("body", flat=True) == ["Aggiungo un dettaglio."]


async def test_the_ticket_code_in_the_subject_counts_only_for_who_may_comment(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    _company, mario, laura, _tech = await people()
    ticket = await open_ticket(inbound_settings, mario)
    stranger = await make_user("anna@altra.example", await make_company("Altra Srl"))
    dovecot.append(mail("laura@valdora.example", f"Re: [{ticket.code}] stampa", "Capita anche a me."))
    dovecot.append(mail("anna@altra.example", f"[{ticket.code}] stampa", "Io vedo il ticket di altri?"))
    await poll_once(inbound_settings)

    assert await Comment.filter(ticket_id=ticket.id).values_list("author_id", "body") == [(laura.id, "Capita anche a me.")]
    opened = await Ticket.get(requester_id=stranger.id)  # another company's ticket: a new ticket of her own
    assert opened.id != ticket.id


async def test_a_reply_address_of_a_ticket_the_sender_may_not_see_is_refused(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(inbound_settings, mario)
    await make_user("anna@altra.example", await make_company("Altra Srl"))
    forged = reply_address(inbound_settings, ticket.id).replace("-", "-0", 1)[:-1]
    dovecot.append(mail("anna@altra.example", "Re: stampa", "Leggo qui?", to=reply_address(inbound_settings, ticket.id)))
    dovecot.append(mail("mario@valdora.example", "Altro problema", "Un indirizzo inventato.", to=forged))
    await poll_once(inbound_settings)

    assert await Comment.filter(ticket_id=ticket.id).count() == 0
    refused, opened = await InboundMessage.all().order_by("id")
    assert (refused.outcome, refused.reason) == (Outcome.REFUSED, "The sender may not comment on this ticket")
    assert opened.outcome is Outcome.TICKET  # a forged token names no ticket: a new one
    assert dovecot.seen() == [True, True]


async def test_a_reply_on_a_closed_ticket_is_refused_and_an_empty_reply_too(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    _company, mario, _laura, tech = await people()
    ticket = await open_ticket(inbound_settings, mario)
    await move(inbound_settings, tech, ticket, Event.TAKE_IN_CHARGE, Event.RESOLVE, resolution="Fatto.")
    await move(inbound_settings, mario, ticket, Event.CONFIRM_RESOLVED)
    address = reply_address(inbound_settings, ticket.id)
    dovecot.append(mail("mario@valdora.example", "Re: chiuso", "Ancora una cosa.", to=address))
    dovecot.append(mail("mario@valdora.example", "Re: chiuso", "\n-- \nMario\n", to=address))
    await poll_once(inbound_settings)

    reasons = await InboundMessage.all().order_by("id").values_list("outcome", "reason")
    assert reasons == [
        (Outcome.REFUSED, "This ticket is closed: open a new ticket if you need more help."),
        (Outcome.REFUSED, "The mail has no text of its own (only quotes or a signature)"),
    ]
    assert await Comment.filter(ticket_id=ticket.id).count() == 0


@pytest.mark.parametrize(("headers", "reason"), [
    ({"auto_submitted": "auto-replied"}, "Automatic mail (Auto-Submitted)"),
    ({"precedence": "bulk"}, "Bulk or list mail (Precedence)"),
    ({"precedence": "list"}, "Bulk or list mail (Precedence)"),
    ({"x_autoreply": "yes"}, "Automatic reply"),
    ({"x_autorespond": "Out of office"}, "Automatic reply"),
    ({"return_path": "<>"}, "Delivery report or bounce"),
])
async def test_automatic_mail_is_ignored(
    inbound_settings: Settings, dovecot: Dovecot, headers: dict[str, str], reason: str
) -> None:
    await people()
    dovecot.append(mail("mario@valdora.example", "Fuori ufficio", "Sono in ferie.", **headers))
    dovecot.append(mail("sconosciuto@altrove.example", "Fuori ufficio", "Sono in ferie.", **headers))
    await poll_once(inbound_settings)

    assert await InboundMessage.all().values_list("outcome", "reason") == [(Outcome.IGNORED, reason)] * 2
    assert await Ticket.all().count() == 0
    assert await OutgoingMail.all().count() == 0  # never an answer to a machine
    assert dovecot.seen() == [True, True]


async def test_bounces_and_our_own_mail_are_ignored(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    report = EmailMessage()
    report["From"], report["To"], report["Subject"] = "postmaster@valdora.example", SUPPORT_ADDRESS, "Undelivered"
    report.set_content("The mail could not be delivered.")
    report.make_mixed()
    report.set_type("multipart/report")
    dovecot.append(report.as_bytes())
    dovecot.append(mail("MAILER-DAEMON@valdora.example", "Undelivered Mail", "Returned."))
    dovecot.append(mail(SUPPORT_ADDRESS, "Nuovo ticket", "Il nostro stesso messaggio."))
    dovecot.append(mail(reply_address(inbound_settings, 1), "Loop", "Ancora noi."))
    dovecot.append(mail("Nessuno", "Senza mittente", "Da chi?"))
    await poll_once(inbound_settings)

    assert await InboundMessage.all().order_by("id").values_list("reason", flat=True) == [
        "Delivery report or bounce", "Delivery report or bounce",
        "Sent from our own address (a loop)", "Sent from our own address (a loop)", "No valid sender address",
    ]
    assert await Ticket.all().count() == 0


async def test_a_sender_over_the_hourly_rate_is_ignored(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    for number in range(inbound_settings.inbound_rate_per_hour + 2):
        dovecot.append(mail("mario@valdora.example", f"Problema {number}"))
    await poll_once(inbound_settings)

    assert await Ticket.all().count() == inbound_settings.inbound_rate_per_hour
    outcomes = await InboundMessage.all().order_by("id").values_list("outcome", flat=True)
    assert outcomes[-2:] == [Outcome.IGNORED, Outcome.IGNORED]


async def test_an_unknown_sender_is_answered_once_a_day_and_gets_no_ticket(
    inbound_settings: Settings, dovecot: Dovecot, smtp: SmtpServer
) -> None:
    dovecot.append(mail("nuovo@cliente.example", "Richiesta", "Vorrei assistenza."))
    dovecot.append(mail("nuovo@cliente.example", "Richiesta 2", "Ancora io."))
    await poll_once(inbound_settings)
    await smtp.deliver()

    assert await Ticket.all().count() == 0
    assert await InboundMessage.all().order_by("id").values_list("outcome", "reason") == [
        (Outcome.UNKNOWN, "Unknown sender: answered"), (Outcome.UNKNOWN, "Unknown sender: already answered today"),
    ]
    answers = smtp.mailbox.to("nuovo@cliente.example")
    assert len(answers) == 1
    assert "/register" in answers[0].get_body(preferencelist=("plain",)).get_content()


async def test_an_unknown_sender_may_become_a_registration_request(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    admin = await make_user("admin@sportello.example", is_admin=True)
    settings = inbound_settings.model_copy(update={"inbound_unknown": "register"})
    dovecot.append(mail("Giulia Neri <giulia@cliente.example>", "Richiesta", "Vorrei assistenza."))
    await poll_once(settings)

    applicant = await User.get(email="giulia@cliente.example")
    assert (applicant.full_name, applicant.status, applicant.registration_note) == ("Giulia Neri", UserStatus.PENDING,
                                                                                   "Richiesta")
    assert await OutgoingMail.filter(recipient=admin.email, template="registration_request").exists()
    assert (await InboundMessage.get()).reason == "Unknown sender: registration requested"
    assert await Ticket.all().count() == 0


async def test_an_html_only_mail_becomes_text(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    html = ("<html><head><style>p {color: red}</style></head><body><p>La <b>stampa</b> si blocca.</p>"
            "<p>Grazie</p><div>On Mon, Dec 1, 2026 at 10:00 AM Sportello wrote:</div>"
            "<blockquote>testo di prima</blockquote></body></html>")
    dovecot.append(mail("mario@valdora.example", "Stampa", html=html))
    await poll_once(inbound_settings)

    assert (await Ticket.get()).description == "La stampa si blocca.\n\nGrazie"


async def _refuse_inbound_writes(refuse: bool) -> None:
    """A real database failure: a trigger makes the last write of the transaction (the row's link to the new
    ticket or comment) fail, after the ticket's own rows were written."""
    conn = Tortoise.get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    if refuse and postgres:
        await conn.execute_script(
            "CREATE FUNCTION inbound_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk refused'; END $$ "
            "LANGUAGE plpgsql; CREATE TRIGGER inbound_refused BEFORE UPDATE ON inbound_message FOR EACH ROW "
            "EXECUTE FUNCTION inbound_refuse();")
    elif refuse:
        await conn.execute_script("CREATE TRIGGER inbound_refused BEFORE UPDATE ON inbound_message "
                                  "BEGIN SELECT RAISE(ABORT, 'disk refused'); END;")
    elif postgres:
        await conn.execute_script("DROP TRIGGER inbound_refused ON inbound_message; DROP FUNCTION inbound_refuse();")
    else:
        await conn.execute_script("DROP TRIGGER inbound_refused;")


async def test_a_database_failure_leaves_the_mail_for_the_next_poll(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    dovecot.append(mail("mario@valdora.example", "Stampa bloccata", files=(("cedolino.pdf", PDF),)))
    await _refuse_inbound_writes(True)
    try:
        assert await poll_once(inbound_settings) == 0
    finally:
        await _refuse_inbound_writes(False)

    assert await Ticket.all().count() == 0  # the ticket rolled back with the row
    assert await InboundMessage.all().count() == 0
    assert await OutgoingMail.all().count() == 0
    assert dovecot.seen() == [False]

    assert await poll_once(inbound_settings) == 1
    assert await Ticket.all().count() == 1
    assert await Attachment.all().count() == 1
    assert dovecot.seen() == [True]


async def test_a_crash_between_commit_and_flag_is_skipped_by_the_next_poll(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    await people()
    dovecot.append(mail("mario@valdora.example", "Stampa bloccata"))
    async with imap.opened(inbound_settings.inbound_imap_url) as mailbox:
        (uid,) = await mailbox.unseen()
        raw = await mailbox.fetch(uid)
        assert raw is not None
        assert await process(inbound_settings, raw) is not None  # committed
        dovecot.stop()  # the server goes away before the flag is set
        with pytest.raises((OSError, imaplib.IMAP4.error)):
            await mailbox.mark_done(uid)
    dovecot.start()
    assert dovecot.seen() == [False]

    assert await poll_once(inbound_settings) == 1  # found again, known by its Message-ID: only flagged
    assert await Ticket.all().count() == 1
    assert await InboundMessage.all().count() == 1
    assert dovecot.seen() == [True]


async def test_a_mail_without_message_id_is_known_by_its_hash(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    raw = mail("mario@valdora.example", "Senza id").replace(b"Message-ID:", b"X-Old-Id:")
    assert await process(inbound_settings, raw) is not None
    assert await process(inbound_settings, raw) is None
    assert (await InboundMessage.get()).message_key.startswith("sha256:")
    assert await Ticket.all().count() == 1


async def test_the_portal_polls_the_mailbox_in_the_background(inbound_settings: Settings, dovecot: Dovecot) -> None:
    await people()
    settings = inbound_settings.model_copy(update={"run_jobs": True, "inbound_poll_seconds": 0.2})
    (job,) = [job for job in background_jobs(settings) if job.name == "inbound-mail"]
    assert not [job for job in background_jobs(inbound_settings.model_copy(update={"inbound_imap_url": ""}))
                if job.name == "inbound-mail"]
    dovecot.append(mail("mario@valdora.example", "Stampa bloccata"))
    async with running([job]):
        for _ in range(100):
            if await Ticket.exists():
                break
            await asyncio.sleep(0.1)
    assert await Ticket.all().count() == 1


def test_the_mailbox_address_is_read_from_the_url() -> None:
    plain = imap.mailbox_address("imap://support%40ente.it:p%40ss%2Fw@mail.ente.it/Assistenza%20clienti")
    assert (plain.host, plain.port, plain.user, plain.password, plain.folder, plain.tls) == (
        "mail.ente.it", 143, "support@ente.it", "p@ss/w", "Assistenza clienti", False)
    secure = imap.mailbox_address("imaps://u:p@mail.ente.it")
    assert (secure.port, secure.folder, secure.tls) == (993, "INBOX", True)
    with pytest.raises(ValueError, match="INBOUND_IMAP_URL"):
        imap.mailbox_address("pop3://u:p@mail.ente.it")


async def test_imaps_checks_the_servers_certificate(
    inbound_settings: Settings, dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not dovecot.tls_port:
        pytest.skip("the openssl tool is missing: no certificate for dovecot's imaps listener")
    await people()
    dovecot.append(mail("mario@valdora.example", "Stampa bloccata"))
    settings = inbound_settings.model_copy(update={"inbound_imap_url": dovecot.tls_url})
    with pytest.raises(ssl.SSLCertVerificationError):  # self-signed: not trusted by default
        await poll_once(settings)
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.certificate))  # trusted as a company CA would be
    assert await poll_once(settings) == 1
    assert await Ticket.all().count() == 1


async def test_attachments_beyond_the_upload_rules_are_named_and_the_rest_kept(
    inbound_settings: Settings, dovecot: Dovecot
) -> None:
    await people()
    settings = inbound_settings.model_copy(update={"upload_max_mb": 1})
    files = (("grande.pdf", PDF + b"0" * 1024 * 1024), ("vuoto.pdf", b""),
             *((f"pagina{n}.pdf", PDF) for n in range(6)))
    dovecot.append(mail("mario@valdora.example", "Documenti", files=files))
    await poll_once(settings)

    ticket = await Ticket.get()
    kept = await Attachment.filter(ticket_id=ticket.id).order_by("id").values_list("original_name", flat=True)
    assert kept == [f"pagina{n}.pdf" for n in range(5)]
    assert (await InboundMessage.get()).refused_files() == [
        ("grande.pdf", "The file is too large."), ("vuoto.pdf", "The file is empty."),
        ("pagina5.pdf", "At most 5 files at a time."),
    ]


async def test_a_mail_the_parser_fails_on_is_recorded_once_and_flagged(inbound_settings: Settings, dovecot: Dovecot) -> None:
    # Found by fuzzing: the stdlib address parser raises AttributeError on this To header.
    raw = b"From: mario@valdora.example\r\nTo: )),,\xc3\xff?*.:],%@\xc3]\r\nSubject: x\r\n\r\ntesto\r\n"
    dovecot.append(raw)
    assert await poll_once(inbound_settings) == 1
    assert await poll_once(inbound_settings) == 0
    row = await InboundMessage.get()
    assert (row.outcome, row.reason, row.message_key[:7]) == (Outcome.IGNORED, "The mail could not be read", "sha256:")
    assert dovecot.seen() == [True]
