"""Where mail goes: a real SMTP server, or the local sink (one .eml file per message) in development."""

from email.message import Message
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit
from uuid import uuid4
from datetime import UTC, datetime

import aiofiles
import aiosmtplib


class Transport(Protocol):
    async def send(self, message: Message) -> None: ...


class SmtpTransport:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "localhost"
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.start_tls = "starttls=1" in parts.query

    async def send(self, message: Message) -> None:
        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.use_tls,
            start_tls=self.start_tls or None,
            timeout=20,
        )


class FileSink:
    """Development mail sink: every message becomes an .eml file (the admin page *Posta* shows the same mails
    from the outbox)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: Message) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid4().hex[:8]}.eml"
        async with aiofiles.open(self.directory / name, "wb") as handle:
            await handle.write(message.as_bytes())


def make_transport(smtp_url: str, sink_dir: Path) -> Transport:
    return SmtpTransport(smtp_url) if smtp_url else FileSink(sink_dir)
