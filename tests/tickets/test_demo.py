"""The demo tickets load on top of the demo people, twice without duplicates."""

import pytest

from app.demo import load_demo
from app.tickets.demo import TICKETS, load_demo_tickets
from app.tickets.models import Comment, Ticket
from app.tickets.workflow import Status

pytestmark = pytest.mark.usefixtures("db")


async def test_demo_tickets_are_idempotent_and_varied() -> None:
    await load_demo()
    await load_demo_tickets()
    await load_demo_tickets()
    assert await Ticket.all().count() == len(TICKETS)
    assert await Ticket.filter(status__in=[Status.RISOLTO, Status.CHIUSO]).exclude(resolution="").count() >= 5
    assert await Ticket.filter(status=Status.APERTO).exists()
    assert await Comment.filter(internal=True).exists()
    assert await Ticket.filter(duplicate_of_id__not_isnull=True).count() == 1
    assert all(t.number == t.id for t in await Ticket.all())


def test_demo_refuses_in_production(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from click.testing import CliRunner

    from app.cli import main
    from app.settings import get_settings

    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(main, ["demo"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "ENVIRONMENT=production" in result.output
    assert "Demo logins" not in result.output
    assert not (tmp_path / "sportello.sqlite3").exists()
