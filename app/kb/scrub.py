"""Personal data out of a text before it becomes public knowledge: people's names, company names, email
addresses, phone numbers and fiscal codes are replaced with neutral words in the article's language.

Pure functions: what to remove (the people of a ticket) comes in as plain data.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

PLACEHOLDERS: dict[str, dict[str, str]] = {
    "it": {"name": "[nome]", "company": "[azienda]", "email": "[email]", "phone": "[telefono]",
           "code": "[codice fiscale]"},
    "en": {"name": "[name]", "company": "[company]", "email": "[email]", "phone": "[phone]", "code": "[tax code]"},
}
# Short words inside names ("Maria De Luca") that must not be removed wherever they appear on their own.
NAME_PARTICLES = frozenset({
    "da", "dal", "dalla", "de", "dei", "degli", "del", "della", "delle", "dello", "der", "des", "di", "du", "el",
    "la", "le", "li", "lo", "van", "von", "den", "mc", "st",
})
# Words of company names too common to identify anybody ("Comune di Valdora": only "Valdora" identifies it).
GENERIC_COMPANY_WORDS = frozenset({
    "agenzia", "associazione", "azienda", "banca", "camera", "commercio", "comune", "consorzio", "cooperativa",
    "ente", "fondazione", "gruppo", "informatica", "informatici", "istituto", "italia", "italiana", "italiano",
    "ministero", "municipio", "ospedale", "provincia", "regione", "scuola", "servizi", "sistemi", "societa",
    "soluzioni", "studio", "ufficio", "unione", "universita", "citta", "sanitaria", "locale", "spa", "srl", "srls",
    "snc", "sas", "company", "group", "services", "solutions", "systems", "the", "and", "inc", "ltd", "gmbh",
})
MIN_NAME_PART = 3
MIN_COMPANY_WORD = 4

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 16 characters; the digits may be letters in a "codice fiscale omocodico", one real digit is still required.
FISCAL_CODE = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z]"
    r"[0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?![A-Za-z0-9])"
)
PHONE = re.compile(
    r"(?<![\w+])(?P<country>(?:\+|00)\s?\d{1,3}[\s.\-/]*)?(?:\(\d{1,4}\)[\s.\-/]*)?\d(?:[\s.\-/]?\d){5,13}(?!\w)"
)
NOT_A_PHONE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,3}(?:\.\d{1,3}){3}")  # dates, IP addresses
NATIONAL_DIGITS = range(8, 13)


@dataclass(frozen=True)
class PersonalData:
    """What identifies the people of one ticket: their names, their companies, and values stored about them."""

    names: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()  # fiscal codes and VAT numbers as stored


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _variants(text: str) -> set[str]:
    """The text as typed, without accents, and with either apostrophe."""
    base = {text, _fold(text)}
    return base | {v.replace("'", "’") for v in base} | {v.replace("’", "'") for v in base}


def name_parts(full_name: str) -> Iterator[str]:
    """The full name, each pair of neighbouring words (compound surnames) and each word that identifies alone."""
    words = [w for w in re.split(r"\s+", full_name.strip()) if w]
    if not words:
        return
    yield " ".join(words)
    for first, second in zip(words, words[1:], strict=False):
        yield f"{first} {second}"
    for word in words:
        pieces = [word, *word.split("-")] if "-" in word else [word]
        for piece in pieces:
            if len(piece) >= MIN_NAME_PART and piece.casefold() not in NAME_PARTICLES:
                yield piece


def company_parts(company: str) -> Iterator[str]:
    name = " ".join(company.split())
    if not name:
        return
    yield name
    for word in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", name):
        if len(word) >= MIN_COMPANY_WORD and _fold(word).casefold() not in GENERIC_COMPANY_WORDS:
            yield word


def _terms(data: PersonalData) -> dict[str, str]:
    """Every literal to remove (case-folded) → the kind of placeholder; names win over company words."""
    terms: dict[str, str] = {}
    for kind, parts in (("code", data.codes), ("phone", data.phones)):
        for value in parts:
            if len(value.strip()) >= 5:
                terms.setdefault(value.strip().casefold(), kind)
    for full_name in data.names:
        for part in name_parts(full_name):
            for variant in _variants(part):
                terms.setdefault(variant.casefold(), "name")
    for company in data.companies:
        for part in company_parts(company):
            for variant in _variants(part):
                terms.setdefault(variant.casefold(), "company")
    return terms


def _literal_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(terms), key=len, reverse=True)  # the full name before its parts
    if not ordered:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in term.split()) for term in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _phone(match: re.Match[str], placeholder: str) -> str:
    text = match.group(0)
    national = text[len(match.group("country") or ""):]
    digits = sum(ch.isdigit() for ch in national)
    if NOT_A_PHONE.fullmatch(text.strip()):
        return text
    if match.group("country") or digits in NATIONAL_DIGITS:
        return placeholder
    return text


def _merge_repeats(text: str, placeholders: Iterable[str]) -> str:
    """"[nome] [nome]" (a name written surname first) reads as one placeholder."""
    for placeholder in set(placeholders):
        text = re.sub(rf"{re.escape(placeholder)}(?:[ \t]+{re.escape(placeholder)})+", placeholder, text)
    return text


def scrub(text: str, data: PersonalData, language: str = "it") -> str:
    """`text` without the personal data of `data`, nor any email address, phone number or fiscal code."""
    words = PLACEHOLDERS.get(language, PLACEHOLDERS["it"])
    text = EMAIL.sub(words["email"], text)
    terms = _terms(data)
    pattern = _literal_pattern(terms)
    if pattern is not None:
        text = pattern.sub(lambda m: words[terms.get(" ".join(m.group(0).split()).casefold(), "name")], text)
    text = FISCAL_CODE.sub(lambda m: words["code"] if any(c.isdigit() for c in m.group(0)) else m.group(0), text)
    text = PHONE.sub(lambda m: _phone(m, words["phone"]), text)
    return _merge_repeats(text, words.values())
