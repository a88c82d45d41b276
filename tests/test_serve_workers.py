"""`sportello serve --workers 2`: two HTTP processes and one job runner, all stopped together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import free_port

SPORTELLO = str(Path(sys.executable).parent / "sportello")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def wait_for(check, timeout: float = 60):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_several_http_workers_share_one_port_and_one_job_runner(tmp_path: Path) -> None:
    environment = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": "", "SEARCH_SEMANTIC": "false",
                   "ENVIRONMENT": "development", "RUN_JOBS": "true"}
    subprocess.run([SPORTELLO, "migrate"], env=environment, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([SPORTELLO, "serve", "--port", str(port), "--workers", "2"], env=environment)
    try:
        def login_page() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(login_page)
        job_runners = wait_for(lambda: [p for p in children(server.pid) if "app.cli jobs" in command_line(p)])
        assert len(job_runners) == 1
        # uvicorn's supervisor is the server process itself; its workers are children too.
        http_workers = wait_for(lambda: [p for p in children(server.pid) if "multiprocessing" in command_line(p)
                                         and "resource_tracker" not in command_line(p)] or None)
        assert len(http_workers) == 2, [command_line(p) for p in children(server.pid)]
        pages = [httpx.get(f"http://127.0.0.1:{port}/login", timeout=5) for _ in range(10)]
        assert all(page.status_code == 200 for page in pages)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    assert not [p for p in job_runners if Path(f"/proc/{p}").exists() and "app.cli jobs" in command_line(p)]
