import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner
from tortoise import Tortoise

from app.db import tortoise_config
from app.kb.cli import kb
from app.settings import Settings, get_settings
from tests.kb.support import article_file, write_kb
from tests.support import truncate_all

T = TypeVar("T")


@pytest.fixture
def cli_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("DATABASE_URL", settings.db_url)
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()
    if settings.db_url.startswith("postgres"):  # only the app fixture empties it, and the commands ran without one
        asyncio.run(_with_database(settings, truncate_all))


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    await Tortoise.init(config=tortoise_config(settings))
    try:
        return await work()
    finally:
        await Tortoise.close_connections()


async def _published_slugs() -> list[str]:
    from app.kb.models import Article

    return sorted(await Article.filter(published_number__isnull=False).values_list("slug", flat=True))


def test_kb_import_reports_changes_and_broken_files(cli_settings: Settings, tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", {
        "faq/it/primo.md": article_file("primo", title="Primo"),
        "faq/it/rotto.md": "---\ntitle: Rotto\nslug: rotto\naudience: tutti\ncategory: accesso\nlanguage: it\n---\nx\n",
    })
    runner = CliRunner()
    first = runner.invoke(kb, ["import", str(root)])
    assert first.exit_code == 1
    assert "added     faq/it/primo.md" in first.output
    assert "faq/it/rotto.md:4: 'audience' must be one of public, customers, staff" in first.output
    assert "1 added, 0 changed, 0 unchanged, 0 removed, 1 errors" in first.output

    (root / "faq/it/rotto.md").unlink()
    write_kb(root, {"faq/it/secondo.md": article_file("secondo", title="Secondo")})
    second = runner.invoke(kb, ["import", str(root)])
    assert second.exit_code == 0, second.output
    assert "1 added, 0 changed, 1 unchanged, 0 removed, 0 errors" in second.output
    assert asyncio.run(_with_database(cli_settings, _published_slugs)) == ["primo", "secondo"]


def test_kb_import_refuses_a_missing_folder(cli_settings: Settings, tmp_path: Path) -> None:
    result = CliRunner().invoke(kb, ["import", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.output
