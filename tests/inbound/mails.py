"""Mails as a mail client or a mail server would write them."""

from email.message import EmailMessage
from email.utils import make_msgid

from tests.inbound.conftest import SUPPORT_ADDRESS


def mail(sender: str, subject: str, text: str = "Il pulsante Stampa non risponde.", *, to: str = SUPPORT_ADDRESS,
         html: str = "", files: tuple[tuple[str, bytes], ...] = (), **headers: str) -> bytes:
    """A mail; `headers` by Python name (auto_submitted= becomes Auto-Submitted)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="client.example")
    for name, value in headers.items():
        message[name.replace("_", "-").title()] = value
    if html:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text)
    for name, data in files:
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 8
