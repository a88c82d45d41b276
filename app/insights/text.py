"""Query text as it is stored: trimmed, folded, at most QUERY_MAX_CHARS, with personal data masked.

People paste addresses, phone numbers and fiscal codes into search boxes. Those would name someone in
a table that must not, so they are replaced by a placeholder before anything is stored.
"""

import re
import unicodedata

from app.insights.models import HIT_ID_MAX_CHARS, QUERY_MAX_CHARS

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
FISCAL_CODE = re.compile(r"\b[a-z]{6}\d{2}[a-z]\d{2}[a-z]\d{3}[a-z]\b")
NUMBER_RUN = re.compile(r"\+?\d[\d .-]*\d")
PERSONAL_DIGITS = 9  # phone numbers, card and account numbers; a date has 8 digits at most
HIT_ID = re.compile(r"^[a-z_]{1,20}:[A-Za-z0-9_:.-]{1,58}$")
MASK = "…"


def normalise_query(text: str) -> str:
    """The stored form of a query; empty when nothing is left to store."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    masked = NUMBER_RUN.sub(_mask_long_number, FISCAL_CODE.sub(MASK, EMAIL.sub(MASK, folded)))
    return masked[:QUERY_MAX_CHARS].strip()


def _mask_long_number(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group())
    return MASK if digits >= PERSONAL_DIGITS else match.group()


def extends(previous: str, current: str) -> bool:
    """True when `current` is the same typing as `previous`: more letters, or a few taken back."""
    return current.startswith(previous) or previous.startswith(current)


def clean_hit_id(hit_id: str | None) -> str | None:
    """An index document id such as "faq:12" or "document:3:p4"; anything else is dropped."""
    if not hit_id or len(hit_id) > HIT_ID_MAX_CHARS or not HIT_ID.match(hit_id):
        return None
    return hit_id


def safe_local_path(target: str) -> str | None:
    """A same-site path ("/kb/x?y"), or None for anything a browser could take to another site."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    return target
