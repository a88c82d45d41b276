"""The support mailbox over IMAP: the stdlib client, each call in a worker thread so the event loop never waits
on the network. Messages are read with BODY.PEEK (reading flags nothing) and flagged \\Seen only when told."""

import asyncio
import imaplib
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

TIMEOUT_SECONDS = 30.0
BATCH = 50  # messages per poll: a full mailbox drains over a few polls, each one short


class MailboxError(RuntimeError):
    """The server refused a command."""


@dataclass(frozen=True)
class MailboxAddress:
    host: str
    port: int
    user: str
    password: str
    folder: str
    tls: bool


def mailbox_address(url: str) -> MailboxAddress:
    """imap://user:pass@host:port/FOLDER, imaps:// for TLS; user and password percent-encoded."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("INBOUND_IMAP_URL must look like imap://user:pass@host:port/INBOX (or imaps://)")
    tls = parts.scheme == "imaps"
    return MailboxAddress(
        host=parts.hostname, port=parts.port or (993 if tls else 143), user=unquote(parts.username or ""),
        password=unquote(parts.password or ""), folder=unquote(parts.path.strip("/")) or "INBOX", tls=tls,
    )


def _checked(answer: tuple[str, list]) -> list:  # type: ignore[type-arg]
    status, data = answer
    if status != "OK":
        raise MailboxError(f"IMAP answered {status}: {data!r}")
    return data


class Mailbox:
    def __init__(self, client: imaplib.IMAP4) -> None:
        self.client = client

    async def unseen(self) -> list[bytes]:
        data = await asyncio.to_thread(lambda: _checked(self.client.uid("SEARCH", None, "UNSEEN")))
        return data[0].split()[:BATCH] if data and data[0] else []

    async def fetch(self, uid: bytes) -> bytes | None:
        """The raw message, None when it is gone (expunged by someone else meanwhile)."""
        data = await asyncio.to_thread(lambda: _checked(self.client.uid("FETCH", uid, "(BODY.PEEK[])")))
        return next((item[1] for item in data if isinstance(item, tuple)), None)

    async def mark_done(self, uid: bytes) -> None:
        await asyncio.to_thread(lambda: _checked(self.client.uid("STORE", uid, "+FLAGS", "(\\Seen)")))


def _open(address: MailboxAddress) -> imaplib.IMAP4:
    if address.tls:
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(address.host, address.port, ssl_context=ssl.create_default_context(),
                                                  timeout=TIMEOUT_SECONDS)
    else:
        client = imaplib.IMAP4(address.host, address.port, timeout=TIMEOUT_SECONDS)
    try:
        _checked(client.login(address.user, address.password))
        _checked(client.select(f'"{address.folder}"'))
    except BaseException:
        client.shutdown()
        raise
    return client


def _close(client: imaplib.IMAP4) -> None:
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        client.shutdown()


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[Mailbox]:
    client = await asyncio.to_thread(_open, mailbox_address(url))
    try:
        yield Mailbox(client)
    finally:
        await asyncio.to_thread(_close, client)
