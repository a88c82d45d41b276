import re

from babel.messages.pofile import read_po

from app.i18n import LOCALE_DIR
from scripts.i18n import extract

PLACEHOLDER = re.compile(r"%\(\w+\)s")


def test_every_message_in_code_and_templates_has_an_italian_translation() -> None:
    with (LOCALE_DIR / "it" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        italian = read_po(handle, locale="it")
    missing = [m.id for m in extract() if m.id and not (italian.get(m.id) and italian.get(m.id).string)]
    assert missing == [], "run `make i18n` and translate: " + repr(missing[:20])


def test_translations_keep_their_placeholders() -> None:
    with (LOCALE_DIR / "it" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        italian = read_po(handle, locale="it")
    wrong = [m.id for m in italian if m.id and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert wrong == []
