"""A real portal process for the HTTP benchmarks: fresh DATA_DIR, SQLite, uvicorn on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def portal_environment(data_dir: Path, base_url: str = "http://127.0.0.1:8000") -> dict[str, str]:
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": "", "SEARCH_ENGINE": "embedded",
            "RUN_JOBS": "false", "BASE_URL": base_url, "ENVIRONMENT": "development"}


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
def running_portal(data_dir: Path) -> Iterator[Portal]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port),
               "--log-level", "warning"]
    process = subprocess.Popen(command, env=portal_environment(data_dir, base_url))
    try:
        _wait_until_up(base_url, process)
        yield Portal(base_url, data_dir)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base_url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
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


def logged_in_client(portal: Portal, email: str = EMAIL) -> httpx.Client:
    """A client holding the session cookie of `email` (default: the technician; POST /login with a
    same-origin header)."""
    client = httpx.Client(base_url=portal.base_url, timeout=10)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"},
                           headers={"Origin": portal.base_url})
    if response.status_code != 303 and response.status_code != 302:
        raise RuntimeError(f"login failed with status {response.status_code}")
    return client
