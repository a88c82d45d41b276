"""Translations: English msgids in the source, Italian (default) and English catalogs read from .po files.

The locale is per request, held in a ContextVar, so Jinja and Python code share one `_`.
"""

from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALES: tuple[str, ...] = ("it", "en")
LOCALE_NAMES: dict[str, str] = {"it": "Italiano", "en": "English"}
DISPLAY_TZ = ZoneInfo("Europe/Rome")
LOCALE_DIR = Path(__file__).parent / "locale"

_current_locale: ContextVar[str] = ContextVar("locale", default="it")


def set_locale(locale: str) -> None:
    _current_locale.set(locale if locale in LOCALES else "it")


def get_locale() -> str:
    return _current_locale.get()


@lru_cache
def catalog(locale: str) -> Catalog:
    """All .po files of the locale merged: messages.po plus one file per domain where a domain keeps its own."""
    merged = Catalog(locale=locale)
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as po:
            for message in read_po(po, locale=locale):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


@lru_cache
def translations(locale: str) -> dict[str, str]:
    """msgid -> translated text, of the messages translated and not fuzzy: a page asks for dozens."""
    table: dict[str, str] = {}
    for entry in catalog(locale):
        if entry.id and entry.string and not entry.fuzzy:
            msgid = entry.id if isinstance(entry.id, str) else entry.id[0]  # a plural's singular
            table[msgid] = entry.string if isinstance(entry.string, str) else entry.string[0]
    return table


def translate(message: str, locale: str | None = None) -> str:
    return translations(locale or get_locale()).get(message, message)


def ntranslate(singular: str, plural: str, n: int, locale: str | None = None) -> str:
    code = locale or get_locale()
    entry = catalog(code).get(singular)
    if entry is None or not isinstance(entry.string, tuple) or not all(entry.string):
        return singular if n == 1 else plural
    # Italian and English share the rule "one" for n == 1 and "other" for the rest.
    return entry.string[0] if n == 1 else entry.string[1]


def _(message: str, **values: object) -> str:
    text = translate(message)
    return text % values if values else text


DATE_STYLES = ("medium", "full")


def format_when(value: datetime | date | None, locale: str | None = None, style: str = "medium") -> str:
    """The one way a date is written: "2 dic 2026" / "Dec 2, 2026", an instant with its minute in Rome
    ("2 dic 2026, 15:05" / "Dec 2, 2026, 3:05 PM"); `style="full"` spells the day out, for an agreed date."""
    if value is None:
        return ""
    if style not in DATE_STYLES:
        raise ValueError(f"unknown date style {style!r}")
    if not isinstance(value, datetime):
        return _formatted_day(value, locale or get_locale(), style)
    return _formatted_minute(value.astimezone(DISPLAY_TZ).replace(second=0, microsecond=0), locale or get_locale(),
                             style)


# Pages write the same dates again and again (a ticket's history for everyone who opens it); Babel takes ~20 µs each.
@lru_cache(maxsize=8192)
def _formatted_day(value: date, code: str, style: str) -> str:
    return format_date(value, format=style, locale=_babel_locale(code))


@lru_cache(maxsize=8192)
def _formatted_minute(local: datetime, code: str, style: str) -> str:
    babel_locale = _babel_locale(code)
    return (_instant_pattern(babel_locale)
            .replace("{1}", format_date(local, format=style, locale=babel_locale))
            .replace("{0}", format_time(local, format="short", locale=babel_locale)))


@lru_cache(maxsize=None)
def _babel_locale(code: str) -> Locale:
    """Parsed once: a page writes dozens of dates, and parsing the code each time cost more than formatting."""
    return Locale.parse(code)


@lru_cache(maxsize=None)
def _instant_pattern(babel_locale: Locale) -> str:
    return str(get_datetime_format("medium", locale=babel_locale)).replace("'", "")


def N_(message: str) -> str:
    """Marks a msgid for extraction where it is translated later (enum values shown in pages)."""
    return message
