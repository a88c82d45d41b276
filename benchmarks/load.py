"""Many people at once: a mixed load against a real portal process (or several), then a check that
every write arrived.

    .venv/bin/python -m benchmarks.load --users 50 --seconds 60
    .venv/bin/python -m benchmarks.load --users 50 --seconds 60 --workers 2 \\
        --database-url postgres://postgres@127.0.0.1:5432/sportello_load

A fresh portal (SQLite in a temporary DATA_DIR, or the PostgreSQL database given, dropped and created)
gets the demo content, 10 companies of 4 requesters with 5 tickets each and 10 technicians, and the search
index; then `sportello serve --workers N` (jobs on: the indexer and the mail sender run as in production).
Each user is a thread with its own keep-alive connection and session (benchmarks/portal_server.py), logs in,
and repeats a mix until the time is up: requesters search, get suggestions, use the new-ticket panel, open
their tickets and the list, and comment; technicians open tickets, lists and queues, search and comment.
Printed: requests per second, p50/p99 per kind (the client's milliseconds, and the portal's own from
Server-Timing), errors per kind, and whether every comment that was answered 303 is in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg

from app.timing import server_milliseconds
from benchmarks.portal_server import KeepAliveClient, Reply, free_port, wait_until_up
from benchmarks.stats import percentile, table

PASSWORD = "load-password-1234"
SETUP = """
import asyncio, json, sys
from app.cli import with_database
from app.settings import get_settings

async def work():
    from app.accounts.models import Company, User
    from app.security import hash_password
    from app.tickets import service
    from app.tickets.choices import Priority, Severity
    from app.tickets.workflow import TicketType
    password = hash_password(sys.argv[1])
    people = {"requesters": [], "technicians": []}
    for c in range(10):
        company = await Company.create(name=f"Cliente di carico {c}")
        for r in range(4):
            user = await User.create(email=f"utente{c}.{r}@carico.example", full_name=f"Utente {c}.{r}",
                                     company=company, is_requester=True, password_hash=password)
            codes = []
            for t in range(5):
                data = service.TicketInput(title=f"Stampa dei cedolini {c}.{r}.{t} non riesce",
                                           ticket_type=TicketType.ANOMALIA, priority=Priority.MEDIA,
                                           severity=Severity.NON_BLOCCANTE,
                                           description="Il pulsante Stampa non risponde dal mattino.")
                codes.append((await service.create_ticket(get_settings(), user, data)).code)
            people["requesters"].append({"email": user.email, "tickets": codes})
    for t in range(10):
        user = await User.create(email=f"tecnico{t}@carico.example", full_name=f"Tecnico {t}", is_technician=True,
                                 password_hash=password)
        people["technicians"].append({"email": user.email})
    print(json.dumps(people))

asyncio.run(with_database(work))
"""
WORDS = ["password", "stampa cedolini", "fattura elettronica", "vpn", "stampante non stampa", "accesso negato",
         "come cambio la password del portale", "posta elettronica", "backup", "cedolini", "firma digitale"]


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    comments: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors[what] += 1

    def record(self, kind: str, elapsed: float, status: int, expected: int, server_ms: float | None) -> None:
        if status != expected:
            self.failed(f"{kind} {status}")
            return
        with self.lock:
            self.timings[kind].append(elapsed)
            if server_ms is not None:
                self.server[kind].append(server_ms)


def environment(data_dir: Path, arguments: argparse.Namespace, base_url: str) -> dict[str, str]:
    return {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": arguments.database_url,
            "SEARCH_ENGINE": "embedded", "SEARCH_SEMANTIC": "false" if arguments.lexical else "true",
            "BASE_URL": base_url, "ENVIRONMENT": "development", "RUN_JOBS": "true"}


def prepare(env: dict[str, str]) -> dict[str, list[dict]]:
    sportello = str(Path(sys.executable).parent / "sportello")
    for command in (["migrate"], ["demo"]):
        subprocess.run([sportello, *command], env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", SETUP, PASSWORD], env=env, check=True, capture_output=True, text=True)
    subprocess.run([sportello, "reindex"], env=env, check=True, capture_output=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def user_loop(base_url: str, person: dict, staff: bool, all_codes: list[str], deadline: float, tally: Tally,
              seed: int) -> None:
    rng = random.Random(seed)
    client = KeepAliveClient(base_url)
    origin = {"Origin": base_url}
    reply = client.post("/login", {"email": person["email"], "password": PASSWORD, "next": "/"}, origin)
    if reply.status != 303:
        tally.failed(f"login {reply.status}")
        return
    codes = all_codes if staff else person["tickets"]
    kinds = (["ticket"] * 30 + ["list"] * 20 + ["queues"] * 10 + ["search"] * 20 + ["comment"] * 20 if staff else
             ["search"] * 25 + ["suggest"] * 25 + ["panel"] * 15 + ["ticket"] * 15 + ["list"] * 10 + ["comment"] * 10)
    sent = 0
    while time.monotonic() < deadline:
        kind = rng.choice(kinds)
        code = rng.choice(codes)
        started = time.perf_counter()
        sent += kind == "comment"
        try:
            reply, expected = send(client, kind, rng, code, origin, f"carico-{person['email']}-{sent}", tally)
        except (OSError, http.client.HTTPException) as error:  # a timeout, a dropped connection: counted
            tally.failed(f"{kind} {type(error).__name__}")
            client.reconnect()
            continue
        elapsed = (time.perf_counter() - started) * 1000
        tally.record(kind, elapsed, reply.status, expected, server_milliseconds(reply.headers.get("Server-Timing", "")))
    client.close()


def send(client: KeepAliveClient, kind: str, rng: random.Random, code: str, origin: dict[str, str], marker: str,
         tally: Tally) -> tuple[Reply, int]:
    """One request of `kind`, and the status that means it worked."""
    words = rng.choice(WORDS)
    if kind == "search":
        return client.get("/search", {"q": words}), 200
    if kind == "suggest":
        return client.get("/search/suggest", {"q": words[: rng.randint(3, len(words))]}), 200
    if kind == "panel":
        return client.post("/tickets/new/suggestions", {"title": words, "description": ""},
                           {**origin, "HX-Request": "true"}), 200
    if kind == "ticket":
        return client.get(f"/tickets/{code}"), 200
    if kind == "list":
        return client.get("/tickets"), 200
    if kind == "queues":
        return client.get("/tickets/queues"), 200
    reply = client.post(f"/tickets/{code}/comments", {"body": f"Aggiornamento {marker}"}, origin)
    if reply.status == 303:
        with tally.lock:
            tally.comments.append(marker)
    return reply, 303


async def stored_comments(database_url: str, data_dir: Path) -> set[str]:
    sql = "SELECT body FROM ticket_comment WHERE body LIKE 'Aggiornamento carico-%'"
    if database_url:
        connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
        try:
            rows = [row["body"] for row in await connection.fetch(sql)]
        finally:
            await connection.close()
    else:
        with sqlite3.connect(data_dir / "sportello.sqlite3") as connection:
            rows = [row[0] for row in connection.execute(sql)]
    return {body.removeprefix("Aggiornamento ") for body in rows}


async def recreate(database_url: str) -> None:
    from tests.support import recreate_postgres_database

    await recreate_postgres_database(database_url)


def process_cpu_seconds(matches: Callable[[int, int, str], bool]) -> float:
    """User + system CPU of the processes `matches(pid, parent pid, command name)` picks, from /proc."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # gone meanwhile
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if matches(int(stat.parent.name), int(fields[1]), name):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def portal_cpu(root: int) -> float:
    """CPU seconds of `root` and every process below it (HTTP workers, the job runner)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])

    def below_root(pid: int) -> bool:
        while pid > 1:
            if pid == root:
                return True
            pid = parents.get(pid, 0)
        return False

    return process_cpu_seconds(lambda pid, _parent, _name: below_root(pid))


def database_cpu(database_url: str) -> float:
    """CPU seconds of the PostgreSQL backends serving our database (their title names it), not the others'."""
    if not database_url:
        return 0.0
    title = f" {database_url.rsplit('/', 1)[-1]} "

    def ours(pid: int, _parent: int, name: str) -> bool:
        try:
            return name.startswith("postgres") and title in Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:
            return False

    return process_cpu_seconds(ours)


def cpu_per_kind(base_url: str, people: dict[str, list[dict]], server: int, requests: int,
                 database_url: str) -> list[list[object]]:
    """Each kind alone, `requests` times in a row from one user: the portal's (and PostgreSQL's) CPU
    milliseconds per request. CPU time, unlike wall time, hardly depends on what else the machine runs."""
    tally, rows = Tally(), []
    requester, technician = people["requesters"][0], people["technicians"][0]
    for kind, person in (("search", requester), ("suggest", requester), ("panel", requester),
                         ("ticket", requester), ("list", requester), ("comment", requester),
                         ("ticket", technician), ("queues", technician)):
        client = KeepAliveClient(base_url)
        client.post("/login", {"email": person["email"], "password": PASSWORD, "next": "/"}, {"Origin": base_url})
        rng, codes = random.Random(7), person.get("tickets") or requester["tickets"]
        for n in range(requests + 10):
            if n == 10:  # the first ten warm the caches and compile the templates
                time.sleep(1)
                portal, database = portal_cpu(server), database_cpu(database_url)
            send(client, kind, rng, rng.choice(codes), {"Origin": base_url}, f"cpu-{kind}-{n}", tally)
        time.sleep(1)  # the job runner indexes and mails what the comments wrote
        spent = [(portal_cpu(server) - portal) * 1000 / requests, (database_cpu(database_url) - database) * 1000 / requests]
        rows.append([f"{kind} ({'staff' if person is technician else 'requester'})", *spent])
        client.close()
    return rows


def main(arguments: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="sportello-load-") as scratch:
        data_dir = Path(scratch) / "data"
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        env = environment(data_dir, arguments, base_url)
        if arguments.database_url:
            asyncio.run(recreate(arguments.database_url))
        people = prepare(env)
        all_codes = [code for person in people["requesters"] for code in person["tickets"]]
        sportello = str(Path(sys.executable).parent / "sportello")
        server = subprocess.Popen([sportello, "serve", "--port", str(port), "--workers", str(arguments.workers),
                                   "--log-level", "warning"], env=env)
        try:
            wait_until_up(base_url, server)
            if arguments.cpu:
                rows = cpu_per_kind(base_url, people, server.pid, arguments.cpu, arguments.database_url)
                print(f"CPU per request, {arguments.cpu} requests of each kind, load average {os.getloadavg()[0]:.1f}")
                print(table(["kind", "portal CPU ms", "PostgreSQL CPU ms"], rows))
                return
            tally = Tally()
            technicians = max(1, arguments.users // 5)
            users = ([(person, True) for person in people["technicians"][:technicians]]
                     + [(person, False) for person in people["requesters"]])[: arguments.users]
            deadline = time.monotonic() + arguments.seconds
            threads = [threading.Thread(target=user_loop, args=(base_url, person, staff, all_codes, deadline, tally, n))
                       for n, (person, staff) in enumerate(users)]
            started, cpu_before = time.perf_counter(), cpu_split(server.pid, arguments.database_url)
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
            cores = [(after - before) / wall for after, before in
                     zip(cpu_split(server.pid, arguments.database_url), cpu_before)]
            time.sleep(1)
        finally:
            server.terminate()
            server.wait(timeout=60)
        stored = asyncio.run(stored_comments(arguments.database_url, data_dir))
    report(arguments, tally, wall, stored, cores)


def cpu_split(server: int, database_url: str) -> tuple[float, float, float]:
    """CPU seconds so far of the portal's processes, of our PostgreSQL backends and of this client."""
    return portal_cpu(server), database_cpu(database_url), time.process_time()


def report(arguments: argparse.Namespace, tally: Tally, wall: float, stored: set[str], cores: list[float]) -> None:
    total = sum(len(values) for values in tally.timings.values()) + sum(tally.errors.values())
    database = "PostgreSQL" if arguments.database_url else "SQLite"
    print(f"{arguments.users} users, {arguments.seconds} s, {arguments.workers} worker(s), {database}: "
          f"{total} requests, {total / wall:.0f} req/s, load average {os.getloadavg()[0]:.1f} at the end")
    portal, postgres, client = cores
    print(f"cores busy during the run: portal {portal:.2f}, PostgreSQL {postgres:.2f}, this client {client:.2f}; "
          f"portal CPU per request {portal * wall * 1000 / max(total, 1):.1f} ms")
    rows = []
    for kind in sorted(tally.timings):
        values, server = tally.timings[kind], tally.server.get(kind) or [0.0]
        rows.append([kind, len(values), percentile(values, 50), percentile(values, 99), max(values),
                     percentile(server, 50), percentile(server, 99)])
    print(table(["kind", "n", "p50 ms", "p99 ms", "max ms", "server p50", "server p99"], rows))
    every = sorted(tally.timings.values(), key=len)
    overall = [value for values in every for value in values]
    print(f"all kinds: p50 {percentile(overall, 50):.1f} ms, p99 {percentile(overall, 99):.1f} ms")
    print("errors: " + (", ".join(f"{kind}: {count}" for kind, count in sorted(tally.errors.items())) or "none"))
    missing = set(tally.comments) - stored
    print(f"comments answered 303: {len(tally.comments)}, in the database: {len(set(tally.comments) & stored)}, "
          f"missing: {len(missing)}")
    if missing or tally.errors:
        raise SystemExit(1)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url", default="", help="PostgreSQL (dropped and created); default SQLite")
    parser.add_argument("--lexical", action="store_true", help="semantic search off (SEARCH_SEMANTIC=false)")
    parser.add_argument("--cpu", type=int, default=0, metavar="N",
                        help="instead of the load: N requests of each kind in a row, CPU milliseconds per request")
    return parser.parse_args(argv)


if __name__ == "__main__":
    main(parse())
