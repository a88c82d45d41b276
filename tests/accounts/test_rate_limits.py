"""Attempt limits: login failures only, per (account, client), per client and per account; kept in the database so
that every process agrees; forwarded addresses believed only from TRUSTED_PROXIES."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from starlette.applications import Starlette

from app import ratelimit
from app.kb.models import ArticleFeedback
from app.settings import Settings
from tests.conftest import BASE_URL
from tests.kb.support import make_article
from tests.support import PASSWORD, Page, free_port, make_company, make_user

WRONG = {"email": "anna@example.it", "password": "not the password"}
RIGHT = {"email": "anna@example.it", "password": PASSWORD}


def browser(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers={"Origin": BASE_URL})


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the second process did not start")


@contextmanager
def second_process(settings: Settings, trusted_proxies: str = "") -> Iterator[httpx.Client]:
    """`sportello serve` in its own process, on the same database as the test's application."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url,
           "SECRET_KEY": settings.signing_key, "BASE_URL": url, "RUN_JOBS": "false",
           "TRUSTED_PROXIES": trusted_proxies}
    process = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        wait_until_up(url, process)
        with httpx.Client(base_url=url, headers={"Origin": url}) as http:
            yield http
    finally:
        process.terminate()
        process.wait(10)


async def test_successful_logins_do_not_count(app: Starlette) -> None:
    await make_user("anna@example.it", await make_company())
    async with browser(app, "192.0.2.1") as anna:
        for _ in range(ratelimit.LOGIN_PAIR.amount + 3):
            response = await anna.post("/login", data=RIGHT)
            assert response.status_code == 303
            await anna.post("/logout")


async def test_a_correct_login_forgives_the_earlier_typos(app: Starlette) -> None:
    await make_user("anna@example.it", await make_company())
    async with browser(app, "192.0.2.1") as anna:
        for _ in range(2):
            for _ in range(ratelimit.LOGIN_PAIR.amount - 1):
                assert (await anna.post("/login", data=WRONG)).status_code == 400
            assert (await anna.post("/login", data=RIGHT)).status_code == 303
            await anna.post("/logout")


async def test_failures_lock_the_pair_but_the_victim_logs_in_from_elsewhere(app: Starlette) -> None:
    await make_user("anna@example.it", await make_company())
    async with browser(app, "203.0.113.66") as attacker, browser(app, "192.0.2.1") as anna:
        codes = [(await attacker.post("/login", data=WRONG)).status_code for _ in range(ratelimit.LOGIN_PAIR.amount + 1)]
        assert codes == [400] * ratelimit.LOGIN_PAIR.amount + [429]
        blocked = await attacker.post("/login", data=RIGHT)
        assert blocked.status_code == 429 and "Troppi tentativi" in Page(blocked.text).text
        assert (await anna.post("/login", data=RIGHT)).status_code == 303


# A verification costs about half a second here: the long series are recorded as earlier failures, the last
# ones are sent for real.

async def test_one_client_trying_many_accounts_is_stopped(app: Starlette) -> None:
    await make_user("anna@example.it", await make_company())
    for n in range(ratelimit.LOGIN_CLIENT.amount - 1):
        await ratelimit.record(ratelimit.login_counters(f"u{n}@example.it", "203.0.113.66"))
    async with browser(app, "203.0.113.66") as attacker, browser(app, "192.0.2.1") as anna:
        assert (await attacker.post("/login", data={"email": "last@example.it", "password": "x"})).status_code == 400
        assert (await attacker.post("/login", data={"email": "more@example.it", "password": "x"})).status_code == 429
        assert (await attacker.post("/login", data=RIGHT)).status_code == 429
        assert (await anna.post("/login", data=RIGHT)).status_code == 303


async def test_many_clients_after_one_account_are_stopped_at_the_account_limit(app: Starlette) -> None:
    await make_user("anna@example.it", await make_company())
    for n in range(ratelimit.LOGIN_ACCOUNT.amount - 1):
        await ratelimit.record(ratelimit.login_counters("anna@example.it", f"198.51.{n // 250}.{n % 250}"))
    async with browser(app, "203.0.113.66") as attacker, browser(app, "192.0.2.1") as anna:
        assert (await attacker.post("/login", data=WRONG)).status_code == 400
        assert (await anna.post("/login", data=RIGHT)).status_code == 429


async def test_two_processes_on_one_database_agree_and_forwarded_headers_are_not_believed(
    app: Starlette, settings: Settings
) -> None:
    await make_user("anna@example.it", await make_company())
    async with browser(app, "127.0.0.1") as here:
        for _ in range(3):
            assert (await here.post("/login", data=WRONG)).status_code == 400
        with second_process(settings) as there:
            for n in range(ratelimit.LOGIN_PAIR.amount - 3):
                spoofed = {"X-Forwarded-For": f"198.51.100.{n}"}
                assert there.post("/login", data=WRONG, headers=spoofed).status_code == 400
            assert there.post("/login", data=RIGHT, headers={"X-Forwarded-For": "198.51.100.99"}).status_code == 429
        assert (await here.post("/login", data=RIGHT)).status_code == 429


async def test_a_trusted_proxy_passes_on_the_clients_address(app: Starlette, settings: Settings) -> None:
    await make_user("anna@example.it", await make_company())
    with second_process(settings, trusted_proxies="127.0.0.1") as proxy:
        for _ in range(ratelimit.LOGIN_PAIR.amount):
            assert proxy.post("/login", data=WRONG, headers={"X-Forwarded-For": "203.0.113.66"}).status_code == 400
        assert proxy.post("/login", data=RIGHT, headers={"X-Forwarded-For": "203.0.113.66"}).status_code == 429
        assert proxy.post("/login", data=RIGHT, headers={"X-Forwarded-For": "192.0.2.1"}).status_code == 303


async def test_password_reset_requests_are_limited_per_client(app: Starlette) -> None:
    async with browser(app, "203.0.113.66") as sender:
        codes = [(await sender.post("/password/forgot", data={"email": f"u{n}@example.it"})).status_code
                 for n in range(ratelimit.RESET.amount + 1)]
    assert codes == [303] * ratelimit.RESET.amount + [429]


async def test_password_reset_requests_are_limited_per_address(app: Starlette) -> None:
    codes = []
    for n in range(ratelimit.RESET.amount + 1):
        async with browser(app, f"198.51.100.{n}") as sender:
            codes.append((await sender.post("/password/forgot", data={"email": "anna@example.it"})).status_code)
    assert codes == [303] * ratelimit.RESET.amount + [429]


async def test_anonymous_feedback_and_solved_clicks_are_limited_per_client(app: Starlette) -> None:
    article = await make_article("utile", "Articolo utile", "Testo.")
    async with browser(app, "203.0.113.66") as voter, browser(app, "192.0.2.1") as reader:
        for _ in range(ratelimit.FEEDBACK.amount):
            assert (await voter.post("/kb/utile/feedback", data={"helpful": "yes"})).status_code == 303
        stored = await ArticleFeedback.filter(article_id=article.id).count()
        refused = await voter.post("/kb/utile/feedback", data={"helpful": "yes"})
        assert refused.status_code == 429 and "Troppi tentativi" in Page(refused.text).text
        assert await ArticleFeedback.filter(article_id=article.id).count() == stored
        assert (await reader.post("/kb/utile/feedback", data={"helpful": "yes"})).status_code == 303
        for _ in range(ratelimit.FEEDBACK.amount):
            assert (await voter.post("/insights/solved", data={"next": "/"})).status_code == 303
        assert (await voter.post("/insights/solved", data={"next": "/"})).status_code == 429
