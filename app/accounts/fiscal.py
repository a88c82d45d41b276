"""Italian tax identifiers, checked with python-stdnum: the partita IVA (11 digits with its check digit) and the
codice fiscale (16 characters of a person, or the 11 digits of a company or public body)."""

from collections.abc import Callable

from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale, iva

from app.i18n import N_


class FiscalError(ValueError):
    """A tax identifier its check refuses; the message is an English msgid, shown translated."""


def _checked(value: str, check: Callable[[str], str], message: str) -> str:
    """`value` as `check` compacts it, "" when none was given, or FiscalError(message)."""
    if not value.strip():
        return ""
    try:
        return check(value)
    except ValidationError:
        raise FiscalError(message) from None


def clean_vat_number(value: str) -> str:
    """The partita IVA in its compact form ("IT 0123…" and spaces dropped), or "" when none was given."""
    return _checked(value, iva.validate,
                    N_("The VAT number is not valid: it has 11 digits, the last one a check digit."))


def clean_fiscal_code(value: str) -> str:
    """The codice fiscale upper-case and compact, or "" when none was given."""
    return _checked(value, codicefiscale.validate,
                    N_("The fiscal code is not valid: a person's has 16 characters (letters and digits), "
                       "a company's 11 digits."))


def clean_tax_id(value: str) -> str:
    """A VAT number or a fiscal code, whichever was written (registration asks for either)."""
    if not value.strip():
        return ""
    for cleaner in (clean_vat_number, clean_fiscal_code):
        try:
            return cleaner(value)
        except FiscalError:
            continue
    raise FiscalError(N_("This is neither a valid VAT number (11 digits) nor a valid fiscal code (16 characters)."))
