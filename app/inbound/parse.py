"""A raw mail read as what the inbound rules need: who, about what, the reply text without quotes and
signature, its files, and whether a machine sent it."""

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from mailparser_reply import EmailMessage as ReplyText

from app.i18n import N_

LANGUAGES = ["it", "en"]
MESSAGE_ID_MAX = 250
SUBJECT_PREFIX = re.compile(r"^\s*((re|r|fw|fwd|i|inoltra|aw|wg)\s*:\s*)+", re.IGNORECASE)
ADDRESS_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")

AUTO_SUBMITTED = N_("Automatic mail (Auto-Submitted)")
BULK = N_("Bulk or list mail (Precedence)")
AUTO_REPLY = N_("Automatic reply")
BOUNCE = N_("Delivery report or bounce")
UNREADABLE = N_("The mail could not be read")


@dataclass(frozen=True)
class MailFile:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class IncomingMail:
    key: str  # Message-ID, or a hash of the raw mail when it has none
    sender: str  # lower-case address
    sender_name: str
    subject: str
    text: str  # the new text of the mail: quoted replies and signature removed
    recipients: tuple[str, ...]
    references: tuple[str, ...]  # Message-IDs of In-Reply-To and References
    files: tuple[MailFile, ...]
    automatic: str  # why a machine sent it (an English msgid), "" for a person's mail


def read_mail(raw: bytes) -> IncomingMail:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    name, address = parseaddr(_header(message, "From"))
    body = message.get_body(preferencelist=("plain", "html"))
    return IncomingMail(
        key=_key(_header(message, "Message-ID").strip(), raw),
        sender=address.strip().lower(),
        sender_name=name.strip(),
        subject=" ".join(_header(message, "Subject").split()),
        text=reply_text(_body_text(body)) if body is not None else "",
        recipients=tuple(a.lower() for _n, a in getaddresses(_all(message, ADDRESS_HEADERS)) if a),
        references=tuple(re.findall(r"<[^<>\s]+>", " ".join(_all(message, ("In-Reply-To", "References"))))),
        files=tuple(_files(message, body)),
        automatic=_automatic(message, address),
    )


def unreadable(raw: bytes) -> IncomingMail:
    """What is kept of a mail the parser failed on: enough to record it once and move on."""
    return IncomingMail(key=_key("", raw), sender="", sender_name="", subject="", text="", recipients=(),
                        references=(), files=(), automatic=UNREADABLE)


def _header(message: Message, name: str) -> str:
    return str(message.get(name, "") or "")


def _all(message: Message, names: tuple[str, ...]) -> list[str]:
    return [str(value) for name in names for value in message.get_all(name, [])]


def _key(message_id: str, raw: bytes) -> str:
    if message_id and len(message_id) <= MESSAGE_ID_MAX:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode() if message_id else raw).hexdigest()


def _body_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: the bytes as they come
        content = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def reply_text(text: str) -> str:
    """The newest reply of `text`, without the quoted mails under it and without its signature."""
    replies = ReplyText(text=text.replace("\r\n", "\n"), languages=list(LANGUAGES), keep_hyphen_lists=True).read().replies
    return (replies[0].body if replies else text).strip()


def _files(message: EmailMessage, body: EmailMessage | None) -> list[MailFile]:
    files = []
    for part in message.walk():
        if part.is_multipart() or part is body:
            continue
        if part.get_content_disposition() == "attachment" or part.get_filename():
            files.append(MailFile(part.get_filename() or "file", part.get_content_type(),
                                  part.get_payload(decode=True) or b""))
    return files


def _automatic(message: EmailMessage, address: str) -> str:
    if _header(message, "Auto-Submitted").strip().lower() not in ("", "no"):
        return AUTO_SUBMITTED
    if _header(message, "Precedence").strip().lower() in ("bulk", "junk", "list"):
        return BULK
    if "X-Autoreply" in message or "X-Autorespond" in message:
        return AUTO_REPLY
    local = address.partition("@")[0].lower()
    empty_return_path = "Return-Path" in message and _header(message, "Return-Path").strip() in ("", "<>")
    if message.get_content_type() == "multipart/report" or local == "mailer-daemon" or empty_return_path:
        return BOUNCE
    return ""


def title_of(subject: str) -> str:
    """A subject without its Re:/Fwd: prefixes."""
    return SUBJECT_PREFIX.sub("", subject).strip()


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML mail: blocks on their own lines, blockquotes as "> " quotes."""

    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                        "blockquote", "hr", "pre"})
    HIDDEN = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.quote_depth = 0
        self.hidden = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        self.lines.append(("> " * self.quote_depth) + line if line else "")
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self._break()
            self.quote_depth += tag == "blockquote"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self._break()
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    parser._break()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parser.lines)).strip()
