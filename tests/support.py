"""Real parts for tests: a migrated database (SQLite file or PostgreSQL), an SMTP server, an HTML parser."""

import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import asyncpg
import httpx
from aiosmtpd.controller import Controller
from tortoise import Tortoise

from app.accounts.models import Company, User
from app.mail.service import deliver_due
from app.mail.transport import SmtpTransport
from app.security import hash_password

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int, *command: str) -> subprocess.Popen[bytes]:
    """The portal as a real HTTP server on `port` (uvicorn, or `command`), returned once /healthz answers."""
    argv = list(command) or [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read().decode() if process.stdout else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(30)  # a graceful stop; tests/test_jobs_shutdown.py checks that it ends
    except subprocess.TimeoutExpired:  # on a machine loaded by parallel suites: do not fail the test for it
        process.kill()
        process.wait(10)


def postgres_url() -> str | None:
    return os.environ.get("TEST_DATABASE_URL") or None


async def recreate_postgres_database(url: str) -> None:
    name = _database_name(url)
    await _on_server(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


async def drop_postgres_database(url: str) -> None:
    await _on_server(url, f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)')


def _database_name(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?")[0]


async def _on_server(url: str, *statements: str) -> None:
    """Run statements from the server's "postgres" database: a database cannot drop or create itself."""
    admin = await asyncpg.connect(url.rsplit("/", 1)[0].replace("postgres://", "postgresql://") + "/postgres")
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


async def truncate_all() -> None:
    conn = Tortoise.get_connection("default")
    tables = [model._meta.db_table for app in Tortoise.apps.values() for model in app.values()]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            await conn.execute_script(f'DELETE FROM "{table}"')


def copy_database(template: Path, target: Path) -> None:
    shutil.copyfile(template, target)


@dataclass
class Mailbox:
    """Collects what a real aiosmtpd server receives."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # aiosmtpd hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert found, f"no mail to {address}; got {[m['To'] for m in self.messages]}"
        return found[-1]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def link_in(message: EmailMessage, path_prefix: str) -> str:
    match = re.search(r"https?://\S+?(" + re.escape(path_prefix) + r"\S+)", text_of(message))
    assert match, f"no {path_prefix} link in: {text_of(message)}"
    return match.group(1)


class SmtpServer:
    def __init__(self) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def deliver(self) -> int:
        """Run the sender job once, as the background loop would."""
        sent = await deliver_due(SmtpTransport(self.url), "Sportello <sportello@test.example>")
        await asyncio.sleep(0.05)  # aiosmtpd hands the message to its handler in its own thread
        return sent


class Page(HTMLParser):
    """A parsed page: texts of elements by tag, links, forms, and the visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inputs: dict[str, str] = {}
        self.headings: list[str] = []
        self.alerts: list[str] = []
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag in ("input", "textarea", "select") and "name" in values:
            self.inputs[values["name"]] = values.get("value", "")
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self._stack.append((tag, values))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text:
            return
        self._texts.append(text)
        tags = [t for t, _ in self._stack]
        if tags and tags[-1] in ("h1", "h2", "h3"):
            self.headings.append(text)
        if any(a.get("role") == "alert" or "flash" in a.get("class", "") for _, a in self._stack):
            self.alerts.append(text)

    @property
    def text(self) -> str:
        return " ".join(self._texts)


async def make_company(name: str = "Comune di Prova", **values: object) -> Company:
    return await Company.create(name=name, **values)


async def make_user(email: str, company: Company | None = None, **values: object) -> User:
    values.setdefault("full_name", email.split("@")[0].replace(".", " ").title())
    values.setdefault("is_requester", company is not None and not any(k.startswith("is_") for k in values))
    return await User.create(email=email, company=company, password_hash=hash_password(PASSWORD), **values)


async def log_in(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> None:
    response = await client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 303, Page(response.text).alerts


async def log_out(client: httpx.AsyncClient) -> None:
    await client.post("/logout")
