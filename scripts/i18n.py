"""Extract every msgid from code and templates and merge it into the catalogs (run by `make i18n`).

English msgids are their own English translation; Italian strings are written by hand in the .po file,
and `tests/test_i18n.py` fails while any is missing.
"""

import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "app" / "locale"
POT = ROOT / "build" / "messages.pot"


def extract() -> Catalog:
    POT.parent.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "_",
         "--no-location", "--sort-output", "--omit-header", "-o", str(POT), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with POT.open("rb") as handle:
        return read_po(handle)


def load(locale: str) -> Catalog:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return Catalog(locale=locale)
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def kept_elsewhere(locale: str) -> set[str]:
    """msgids that a domain's own catalog (any .po beside messages.po) already holds."""
    found: set[str] = set()
    for path in (LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"):
        if path.name != "messages.po":
            with path.open("rb") as handle:
                found.update(m.id for m in read_po(handle, locale=locale) if m.id and m.string)
    return found


def merge(template: Catalog, locale: str) -> Catalog:
    old = load(locale)
    elsewhere = kept_elsewhere(locale)
    merged = Catalog(locale=locale, project="Sportello", fuzzy=False)
    for message in template:
        if not message.id or message.id in elsewhere:
            continue
        previous = old.get(message.id)
        if locale == "en":
            merged.add(message.id, message.id)
        else:
            merged.add(message.id, previous.string if previous else "")
    return merged


def save(catalog: Catalog, locale: str) -> None:
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, no_location=True, sort_output=True, width=120)


def main() -> None:
    template = extract()
    for locale in ("it", "en"):
        catalog = merge(template, locale)
        save(catalog, locale)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{locale}: {len(catalog)} messages, {len(missing)} untranslated")
        for msgid in missing:
            print(f"  missing: {msgid!r}")


if __name__ == "__main__":
    main()
