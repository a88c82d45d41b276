"""A real portal process for the HTTP benchmarks: fresh DATA_DIR, SQLite, uvicorn on a free port."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

EMAIL = "bench-tech@sportello.example"
PASSWORD = "bench-password-1234"
REQUESTER_EMAIL = "bench-requester@cliente.example"
COMPANY = "Bench Cliente Srl"


@dataclass(frozen=True)
class Portal:
    base_url: str
    data_dir: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def portal_environment(data_dir: Path, base_url: str = "http://127.0.0.1:8000", semantic: bool = False) -> dict[str, str]:
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": "", "SEARCH_ENGINE": "embedded",
            "RUN_JOBS": "false", "BASE_URL": base_url, "ENVIRONMENT": "development",
            "SEARCH_SEMANTIC": "true" if semantic else "false"}


def sportello(data_dir: Path, *args: str) -> None:
    """Run the `sportello` command line, the way an operator would, on `data_dir`."""
    command = [str(Path(sys.executable).parent / "sportello"), *args]
    subprocess.run(command, env=portal_environment(data_dir), check=True, capture_output=True)


CREATE_COMPANY = """
import asyncio, sys
from app.cli import with_database
from app.accounts.models import Company
asyncio.run(with_database(lambda: Company.create(name=sys.argv[1])))
"""


def prepare(data_dir: Path) -> None:
    """Migrate, create a technician and a requester of one company (company id 1, which the corpus's
    documents of company 1 belong to), both with a known password."""
    sportello(data_dir, "migrate")
    sportello(data_dir, "user", "create", "--email", EMAIL, "--name", "Bench", "--role", "technician",
              "--password", PASSWORD)
    subprocess.run([sys.executable, "-c", CREATE_COMPANY, COMPANY], env=portal_environment(data_dir), check=True,
                   capture_output=True)
    sportello(data_dir, "user", "create", "--email", REQUESTER_EMAIL, "--name", "Bench Requester", "--role",
              "requester", "--company", COMPANY, "--password", PASSWORD)


@contextmanager
def running_portal(data_dir: Path, semantic: bool = False) -> Iterator[Portal]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port),
               "--log-level", "warning"]
    process = subprocess.Popen(command, env=portal_environment(data_dir, base_url, semantic))
    try:
        wait_until_up(base_url, process)
        yield Portal(base_url, data_dir)
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the portal exited with status {process.returncode}")
        try:
            httpx.get(f"{base_url}/login", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("the portal did not start in time")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes


class KeepAliveClient:
    """One keep-alive HTTP/1.1 connection that keeps the cookies it is given, on the standard library's
    http.client: it adds less than half the time httpx did to each request (benchmarks/README.md), so the
    client rows are mostly the portal's, uvicorn's and the loopback's time."""

    def __init__(self, base_url: str, timeout: float = 10) -> None:
        self.address, self.timeout = urlsplit(base_url), timeout
        self.connection = self._connect()
        self.cookies: dict[str, str] = {}

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.address.hostname or "127.0.0.1", self.address.port, timeout=self.timeout)

    def reconnect(self) -> None:
        """A new connection after one failed mid-request; the cookies (the session) are kept."""
        self.connection.close()
        self.connection = self._connect()

    def get(self, path: str, params: dict[str, str] | None = None) -> Reply:
        return self.send("GET", f"{path}?{urlencode(params)}" if params else path)

    def post(self, path: str, form: dict[str, str], headers: dict[str, str] | None = None) -> Reply:
        body = urlencode(form).encode()
        return self.send("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def send(self, method: str, target: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        self.connection.request(method, target, body=body, headers=sent)
        response = self.connection.getresponse()
        reply = Reply(response.status, response.msg, response.read())
        self.remember_cookies(reply.headers.get_all("Set-Cookie") or [])
        return reply

    def remember_cookies(self, lines: list[str]) -> None:
        """As a browser does with Set-Cookie: keep the new value, forget one that expired."""
        for line in lines:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value

    def close(self) -> None:
        self.connection.close()


def logged_in_client(portal: Portal, email: str = EMAIL) -> KeepAliveClient:
    """A client holding the session cookie of `email` (default: the technician; POST /login with a
    same-origin header)."""
    client = KeepAliveClient(portal.base_url)
    reply = client.post("/login", {"email": email, "password": PASSWORD, "next": "/"}, {"Origin": portal.base_url})
    if reply.status not in (302, 303) or not client.cookies:
        raise RuntimeError(f"login failed with status {reply.status}")
    return client
