"""Tortoise configuration: one app label per domain, each with its own migrations package."""

from pathlib import Path
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

from app.settings import Settings, get_settings

APP_DIR = Path(__file__).resolve().parent
# Every domain folder with a models.py is a Tortoise app of the same name, with its own migrations package.
DOMAIN_APPS: tuple[str, ...] = tuple(sorted(p.parent.name for p in APP_DIR.glob("*/models.py")))


def tortoise_config(settings: Settings) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(settings.db_url)},
        "apps": {
            label: {
                "models": [f"app.{label}.models"],
                "migrations": f"app.{label}.migrations",
                "default_connection": "default",
            }
            for label in DOMAIN_APPS
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# Outside a transaction every statement borrows a pool connection of its own: five per process made
# fifty users queue for them.
POSTGRES_POOL_SIZE = 20


async def _keep_session(_connection: Any) -> None:
    """asyncpg's default reset costs a round trip per statement (RESET ALL, UNLISTEN *, CLOSE ALL, advisory
    unlock). The portal changes no session state on pooled connections, and asyncpg still rolls back an
    open transaction before this runs."""


def connection_config(url: str) -> dict[str, Any]:
    config = expand_db_url(url)
    if config["engine"] == "tortoise.backends.asyncpg":
        credentials = config["credentials"]
        credentials.setdefault("maxsize", POSTGRES_POOL_SIZE)
        credentials["reset"] = _keep_session
    return config


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` reads TORTOISE_ORM lazily, so settings load only when asked.
    if name == "TORTOISE_ORM":
        return tortoise_config(get_settings())
    raise AttributeError(name)
