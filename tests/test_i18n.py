import re

from app.i18n import catalog
from scripts.i18n import extract

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_message_in_code_and_templates_has_an_italian_translation() -> None:
    italian = catalog("it")
    missing = [m.id for m in extract() if m.id and not (italian.get(m.id) and italian.get(m.id).string)]
    assert missing == [], "run `make i18n` and translate: " + repr(missing[:20])


def _placeholders(text: str | tuple[str, ...]) -> list[str]:
    parts = (text,) if isinstance(text, str) else text
    return sorted({name for part in parts for name in PLACEHOLDER.findall(part)})


def test_translations_keep_their_placeholders() -> None:
    wrong = [m.id for m in catalog("it") if m.id and _placeholders(m.id) != _placeholders(m.string)]
    assert wrong == []
