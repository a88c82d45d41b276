"""Tortoise configuration: one app label per domain, each with its own migrations package."""

from pathlib import Path
from typing import Any

from app.settings import Settings, get_settings

APP_DIR = Path(__file__).resolve().parent
# Every domain folder with a models.py is a Tortoise app of the same name, with its own migrations package.
DOMAIN_APPS: tuple[str, ...] = tuple(sorted(p.parent.name for p in APP_DIR.glob("*/models.py")))


def tortoise_config(settings: Settings) -> dict[str, Any]:
    return {
        "connections": {"default": settings.db_url},
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


def __getattr__(name: str) -> Any:
    # `tortoise makemigrations` reads TORTOISE_ORM lazily, so settings load only when asked.
    if name == "TORTOISE_ORM":
        return tortoise_config(get_settings())
    raise AttributeError(name)
