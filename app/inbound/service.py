"""Inbound mail rules: a known contact's mail opens a ticket, a reply becomes a comment, machines and loops are
ignored, strangers are answered (or asked to register).

Nothing lost, nothing doubled: the InboundMessage row, keyed by Message-ID, is written in the same transaction
as the ticket or comment, and the IMAP message is flagged only after that commit. A failed write leaves the
message for the next poll; a message whose row exists (the flag was lost) is only flagged.
"""

import io
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from starlette.datastructures import UploadFile
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from app.accounts import service as accounts
from app.accounts.models import User, UserStatus
from app.i18n import N_
from app.inbound import imap
from app.inbound.models import InboundMessage, Outcome
from app.inbound.parse import IncomingMail, MailFile, read_mail, title_of, unreadable
from app.inbound.replies import ticket_in_address
from app.mail.models import OutgoingMail
from app.mail.service import queue_mail, shortened
from app.permissions import Action, allowed
from app.settings import Settings
from app.tickets import service as tickets
from app.tickets.choices import Priority, Severity
from app.tickets.models import Channel, Ticket
from app.tickets.workflow import TicketType
from app.uploads import sniff

log = logging.getLogger(__name__)

SUBJECT_REF = re.compile(r"\[TT(\d{1,12})\]", re.IGNORECASE)
TITLE_MAX = 200
ANSWER_EVERY = timedelta(hours=24)  # at most one answer a day to the same unknown address

NO_SENDER = N_("No valid sender address")
OWN_ADDRESS = N_("Sent from our own address (a loop)")
OVER_RATE = N_("Too many mails from this sender in the last hour")
NOT_ALLOWED_TO_COMMENT = N_("The sender may not comment on this ticket")
NOT_ALLOWED_TO_OPEN = N_("The sender may not open tickets")
NO_TEXT = N_("The mail has no text of its own (only quotes or a signature)")
UNKNOWN_ANSWERED = N_("Unknown sender: answered")
UNKNOWN_ALREADY_ANSWERED = N_("Unknown sender: already answered today")
UNKNOWN_REGISTERED = N_("Unknown sender: registration requested")
TOO_MANY_FILES = N_("At most 5 files at a time.")
EMPTY_FILE = N_("The file is empty.")
TOO_LARGE = N_("The file is too large.")
WRONG_TYPE = N_("This type of file is not accepted.")


async def poll_once(settings: Settings) -> int:
    """Read the unseen mail of the support mailbox; return how many messages were handled and flagged."""
    handled = 0
    async with imap.opened(settings.inbound_imap_url) as mailbox:
        for uid in await mailbox.unseen():
            raw = await mailbox.fetch(uid)
            if raw is None:
                continue
            try:
                await process(settings, raw)
            except Exception:  # the database refused: the message stays unseen and the next poll retries it
                log.exception("inbound mail %s not processed", uid)
                continue
            await mailbox.mark_done(uid)
            handled += 1
    return handled


async def process(settings: Settings, raw: bytes) -> InboundMessage | None:
    """Handle one raw mail; None when it was handled before (its row exists)."""
    try:
        mail = read_mail(raw)
    except Exception:  # a mail no parser rule foresaw: recorded once, never retried every poll
        log.exception("inbound mail could not be read")
        mail = unreadable(raw)
    if await InboundMessage.exists(message_key=mail.key):
        return None
    try:
        return await _handle(settings, mail)
    except IntegrityError:
        if await InboundMessage.exists(message_key=mail.key):
            return None  # another process handled it meanwhile: its transaction won the unique key
        raise


async def _handle(settings: Settings, mail: IncomingMail) -> InboundMessage:
    reason = mail.automatic or _loop(settings, mail)
    if reason:
        return await _record(mail, Outcome.IGNORED, reason)
    if await _over_rate(settings, mail.sender):
        return await _record(mail, Outcome.IGNORED, OVER_RATE)
    # the ticket rules read the company (does it share its tickets?): loaded with the user, as for a request
    user = await User.get_or_none(email=mail.sender, status=UserStatus.ACTIVE).select_related("company")
    if user is None:
        return await _unknown_sender(settings, mail)
    addressed = await _addressed_ticket(settings, mail)
    if addressed is not None:
        return await _comment(settings, user, addressed, mail)
    referenced = await _subject_ticket(mail)
    if referenced is not None and allowed(user, Action.COMMENT_TICKET, referenced):
        return await _comment(settings, user, referenced, mail)
    return await _open_ticket(settings, user, mail)


def _loop(settings: Settings, mail: IncomingMail) -> str:
    if not accounts.valid_email(mail.sender):
        return NO_SENDER
    ours = {settings.support_address, parseaddr(settings.mail_from)[1].lower()}
    local, _, domain = mail.sender.partition("@")
    if mail.sender in ours or f"{local.partition('+')[0]}@{domain}" in ours:
        return OWN_ADDRESS
    return ""


async def _over_rate(settings: Settings, sender: str) -> bool:
    since = datetime.now(UTC) - timedelta(hours=1)
    return await InboundMessage.filter(sender=sender, received_at__gte=since).count() >= settings.inbound_rate_per_hour


async def _record(mail: IncomingMail, outcome: Outcome, reason: str = "", notes: str = "") -> InboundMessage:
    return await InboundMessage.create(
        message_key=mail.key, sender=mail.sender[:254], subject=shortened(mail.subject, 300), outcome=outcome,
        reason=reason, notes=notes,
    )


# ---- which ticket a reply belongs to ----

async def _addressed_ticket(settings: Settings, mail: IncomingMail) -> Ticket | None:
    """The ticket named by a reply address among the recipients, or by the Reply-To of a mail we sent that this
    one answers (In-Reply-To, References)."""
    addresses = list(mail.recipients)
    if mail.references:
        answered = OutgoingMail.filter(message_id__in=list(mail.references)).exclude(reply_to="")
        addresses += await answered.values_list("reply_to", flat=True)
    for address in addresses:
        ticket_id = ticket_in_address(settings, address)
        if ticket_id is not None:
            return await Ticket.get_or_none(id=ticket_id)
    return None


async def _subject_ticket(mail: IncomingMail) -> Ticket | None:
    found = SUBJECT_REF.search(mail.subject)
    return await Ticket.get_or_none(number=int(found.group(1))) if found else None


# ---- files ----

def _attachments(settings: Settings, files: tuple[MailFile, ...]) -> tuple[list[UploadFile], list[str]]:
    """The files the portal's upload rules accept, as uploads, and a line "name<TAB>reason" per refused one.
    app/uploads.py checks the accepted ones again while storing them."""
    accepted: list[UploadFile] = []
    refused: list[str] = []
    for item in files:
        reason = _refusal(settings, item)
        if reason is None and len(accepted) >= tickets.MAX_FILES:
            reason = TOO_MANY_FILES
        if reason is None:
            accepted.append(UploadFile(io.BytesIO(item.data), size=len(item.data), filename=item.name))
        else:
            refused.append(f"{item.name}\t{reason}")
    return accepted, refused


def _refusal(settings: Settings, item: MailFile) -> str | None:
    if not item.data:
        return EMPTY_FILE
    if len(item.data) > settings.upload_max_mb * 1024 * 1024:
        return TOO_LARGE
    return None if sniff(item.data[:8192]) else WRONG_TYPE


# ---- tickets and comments ----

async def _comment(settings: Settings, user: User, ticket: Ticket, mail: IncomingMail) -> InboundMessage:
    if not allowed(user, Action.COMMENT_TICKET, ticket):
        return await _record(mail, Outcome.REFUSED, NOT_ALLOWED_TO_COMMENT)
    if not mail.text:
        return await _record(mail, Outcome.REFUSED, NO_TEXT)
    uploads, refused = _attachments(settings, mail.files)
    async with in_transaction():
        row = await _record(mail, Outcome.COMMENT, notes="\n".join(refused))
        row.ticket_id = ticket.id
        try:
            comment = await tickets.add_comment(settings, user, ticket, mail.text, uploads=uploads)
        except tickets.TicketError as error:  # a closed ticket: refused before anything was written
            row.outcome, row.reason = Outcome.REFUSED, str(error)[:200]
        else:
            row.comment_id = comment.id
        await row.save(update_fields=["ticket_id", "comment_id", "outcome", "reason"])
    return row


async def _open_ticket(settings: Settings, user: User, mail: IncomingMail) -> InboundMessage:
    if not allowed(user, Action.OPEN_TICKET):
        return await _record(mail, Outcome.REFUSED, NOT_ALLOWED_TO_OPEN)
    first_line = next((line.strip() for line in mail.text.splitlines() if line.strip()), "")
    title = shortened(title_of(mail.subject) or first_line or mail.sender, TITLE_MAX)
    data = tickets.TicketInput(
        title=title, ticket_type=TicketType.CHIARIMENTO, priority=Priority.MEDIA, severity=Severity.NON_BLOCCANTE,
        description=mail.text or title, channel=Channel.EMAIL,
    )
    uploads, refused = _attachments(settings, mail.files)
    # create_ticket's transaction nests in this one (a savepoint): the row and the ticket commit together. Its
    # files are published when its part is done; should this outer commit fail, the upload sweep removes them.
    async with in_transaction():
        row = await _record(mail, Outcome.TICKET, notes="\n".join(refused))
        ticket = await tickets.create_ticket(settings, user, data, uploads=uploads, channel=Channel.EMAIL)
        row.ticket_id = ticket.id
        await row.save(update_fields=["ticket_id"])
    return row


# ---- unknown senders ----

async def _unknown_sender(settings: Settings, mail: IncomingMail) -> InboundMessage:
    if settings.inbound_unknown == "register":
        return await _registration_request(settings, mail)
    since = datetime.now(UTC) - ANSWER_EVERY
    answered = await InboundMessage.exists(sender=mail.sender, reason=UNKNOWN_ANSWERED, received_at__gte=since)
    if answered:
        return await _record(mail, Outcome.UNKNOWN, UNKNOWN_ALREADY_ANSWERED)
    async with in_transaction():
        row = await _record(mail, Outcome.UNKNOWN, UNKNOWN_ANSWERED)
        await queue_mail("inbound_unknown", mail.sender, settings.default_locale, {
            "subject": mail.subject, "portal": settings.base_url.rstrip("/"),
            "can_register": settings.registration != "closed",
        })
    return row


async def _registration_request(settings: Settings, mail: IncomingMail) -> InboundMessage:
    request = accounts.Registration(
        full_name=(mail.sender_name or mail.sender.partition("@")[0])[:200], email=mail.sender, company_name="",
        tax_id="", phone="", note=shortened(mail.subject, 200), locale=settings.default_locale,
    )
    async with in_transaction():
        row = await _record(mail, Outcome.UNKNOWN, UNKNOWN_REGISTERED)
        try:
            await accounts.register(settings, request)
        except accounts.AccountError as error:  # registration closed, or a domain that may not register
            row.reason = str(error)[:200]
            await row.save(update_fields=["reason"])
    return row


# ---- the admin page ----

PER_PAGE = 50


@dataclass(frozen=True)
class ReceivedPage:
    rows: list[InboundMessage]
    total: int
    page: int
    pages: int


async def received_page(outcome: Outcome | None, page: int) -> ReceivedPage:
    query = InboundMessage.all() if outcome is None else InboundMessage.filter(outcome=outcome)
    total = await query.count()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = await query.order_by("-id").offset((page - 1) * PER_PAGE).limit(PER_PAGE).select_related("ticket")
    return ReceivedPage(rows, total, page, pages)
