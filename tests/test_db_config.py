"""The database connection as the portal configures it."""

from app.db import POSTGRES_POOL_SIZE, connection_config


def test_postgresql_gets_a_larger_pool_without_a_reset_round_trip_per_statement() -> None:
    credentials = connection_config("postgres://support@db.example:5432/sportello")["credentials"]
    assert credentials["maxsize"] == POSTGRES_POOL_SIZE
    assert callable(credentials["reset"])


def test_a_pool_size_in_the_url_wins() -> None:
    credentials = connection_config("postgres://support@db.example:5432/sportello?maxsize=7")["credentials"]
    assert int(credentials["maxsize"]) == 7


def test_sqlite_keeps_its_own_settings() -> None:
    config = connection_config("sqlite:///tmp/sportello.sqlite3?synchronous=NORMAL")
    assert config["engine"] == "tortoise.backends.sqlite"
    assert "reset" not in config["credentials"] and config["credentials"]["synchronous"] == "NORMAL"
