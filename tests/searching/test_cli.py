"""`sportello reindex`, `sportello search` and `sportello search verify` on a real DATA_DIR and database.

Sync tests: each command runs its own event loop (asyncio.run), as it does from a shell."""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result
from tortoise import Tortoise

import app.searching.cli as search_cli
from app.db import tortoise_config
from app.settings import Settings, get_settings
from tests.searching.support import DictSource, document, ticket
from tests.support import make_company, make_user, truncate_all


def with_db(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        await Tortoise.init(config=tortoise_config(settings))
        try:
            return await work()
        finally:
            await Tortoise.close_connections()

    return asyncio.run(run())


@pytest.fixture
def sources(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, DictSource]]:
    """The commands read settings from the environment and the sources of this test."""
    for name, value in {"DATA_DIR": str(settings.data_dir), "DATABASE_URL": settings.db_url,
                        "SECRET_KEY": settings.signing_key}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()

    async def people() -> dict[str, DictSource]:
        valdora, bellini = await make_company("Comune di Valdora"), await make_company("Studio Bellini")
        anna = await make_user("anna@valdora.it", valdora)
        carla = await make_user("carla@bellini.it", bellini)
        tickets = DictSource("ticket", multi_document=False)
        tickets.put(ticket(1, "Stampante inceppata a Valdora", valdora.id, anna.id, body="Carta bloccata"),
                    ticket(2, "Stampante di Bellini", bellini.id, carla.id))
        faq = DictSource("faq")
        faq.put(document("faq:1", "Come sbloccare la stampante", "Aprire lo sportello e togliere la carta"))
        return {"ticket": tickets, "faq": faq}

    found = with_db(settings, people)
    monkeypatch.setattr(search_cli, "document_sources", lambda: found)
    yield found
    get_settings.cache_clear()
    if settings.db_url.startswith("postgres"):
        with_db(settings, truncate_all)


def run(*args: str) -> Result:
    return CliRunner().invoke(search_cli.search if args[0] == "search" else search_cli.reindex, list(args[1:]))


def test_reindex_builds_the_index_and_verify_compares_it(settings: Settings, sources: dict[str, DictSource]) -> None:
    before = run("search", "verify")
    assert before.exit_code == 1 and "Missing from the index: 3" in before.output

    rebuilt = run("reindex")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Indexed 3 documents from 3 objects (ticket, faq)." in rebuilt.output
    assert (settings.data_dir / "index" / "CURRENT").exists()

    matching = run("search", "verify")
    assert matching.exit_code == 0 and "The index matches the database." in matching.output

    del sources["ticket"].objects["2"]
    sources["faq"].put(document("faq:5", "Nuova FAQ"))
    differs = run("search", "verify")
    assert differs.exit_code == 1
    assert "Missing from the index: 1 (faq:5)" in differs.output and "Extra in the index: 1 (ticket:2)" in differs.output


def test_search_prints_what_that_person_would_see(settings: Settings, sources: dict[str, DictSource]) -> None:
    assert run("reindex").exit_code == 0
    everything = run("search", "stampante")
    assert everything.exit_code == 0, everything.output
    assert "Stampante di Bellini  [ticket]" in everything.output and "3 results" in everything.output
    assert "kind: faq 1, ticket 2" in everything.output

    anna = run("search", "--as", "Anna@Valdora.it", "stampante", "inceppata")
    assert "as Anna <anna@valdora.it>" in anna.output and "Bellini" not in anna.output
    assert "/ticket/1" in anna.output and "<mark>" not in anna.output

    only_faq = run("search", "stampante", "--kind", "faq")
    assert "Come sbloccare la stampante  [faq]" in only_faq.output and "1 result (" in only_faq.output
    assert "Aprire lo sportello" in only_faq.output

    nobody = run("search", "--as", "ghost@example.it", "stampante")
    assert nobody.exit_code == 1 and "No user with the email ghost@example.it." in nobody.output


def test_search_without_words_shows_the_help(sources: dict[str, DictSource]) -> None:
    shown = run("search")
    assert "verify" in shown.output and "Usage:" in shown.output
