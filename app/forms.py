"""The one typed layer between the web and the services: every form, query string and path value is read
through a pydantic model built from the types below, so a value that does not fit (too long for its column,
a control character, a digit that is not 0-9, a number beyond the column, a choice not in the list) is
answered with a clear message instead of reaching the database.

The rule (README, "Input validation"): a form that does not validate answers 400 with the messages (the
form again when it is a form page); a query string never does: an invalid value falls back to its default,
as a list or search link from an old bookmark should; a path value that does not fit answers 404.
Domain models live in app/<domain>/forms.py, their limits taken from the Tortoise fields.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError
from tortoise.models import Model

from app.i18n import N_, _

M = TypeVar("M", bound=BaseModel)
Q = TypeVar("Q", bound="QueryModel")

DB_INT_MAX = 2**31 - 1  # INTEGER on PostgreSQL; ids and counts never go beyond it
MAX_PATH_TEXT = 300  # a slug, token, tag or file name in a path
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL & co.; tab and line ends are text
ASCII_INTEGER = re.compile(r"[0-9]{1,18}")  # longer is out of range anyway
DECIMAL_NUMBER = re.compile(r"[0-9]{1,9}([.,][0-9]{1,6})?")


def _printable(value: str) -> str:
    if CONTROL_CHARS.search(value):
        raise PydanticCustomError("control_chars", "control characters")
    return value


def _ascii_integer(value: Any) -> Any:
    """Only 0-9: Python's int() also reads other Unicode digits (Arabic-Indic ones, for one)."""
    if isinstance(value, str):
        value = value.strip()
        if not ASCII_INTEGER.fullmatch(value):
            raise PydanticCustomError("ascii_integer", "not a whole number")
    return value


def _decimal_text(value: Any) -> Any:
    """A number as people type it (comma or point), ASCII digits only."""
    if isinstance(value, str):
        value = value.strip()
        if not DECIMAL_NUMBER.fullmatch(value):
            raise PydanticCustomError("decimal_text", "not a number")
        return value.replace(",", ".")
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def Text(max_length: int, *, required: bool = False, strip: bool = True) -> Any:  # noqa: N802 - a type
    """Text of at most `max_length` characters (after stripping), without control characters."""
    return Annotated[str, StringConstraints(strip_whitespace=strip, min_length=1 if required else 0,
                                            max_length=max_length), AfterValidator(_printable)]


def column_length(model: type[Model], name: str) -> int:
    """The max_length of a Tortoise CharField: forms take their limits from the schema, never a copy."""
    length = model._meta.fields_map[name].max_length  # type: ignore[attr-defined]
    assert isinstance(length, int), f"{model.__name__}.{name} has no max_length"
    return length


def ColumnText(model: type[Model], name: str, *, required: bool = False) -> Any:  # noqa: N802 - a type
    return Text(column_length(model, name), required=required)


Count = Annotated[int, BeforeValidator(_ascii_integer), Field(ge=0, le=DB_INT_MAX)]
Id = Annotated[int, BeforeValidator(_ascii_integer), Field(ge=1, le=DB_INT_MAX)]
OptionalId = Annotated[Id | None, BeforeValidator(_blank_is_none)]
OptionalDate = Annotated[date | None, BeforeValidator(_blank_is_none)]
OptionalDateTime = Annotated[datetime | None, BeforeValidator(_blank_is_none)]  # a datetime-local input's value
Hours = Annotated[Decimal, BeforeValidator(_decimal_text), Field(ge=0, max_digits=15, decimal_places=6)]
OptionalHours = Annotated[Hours | None, BeforeValidator(_blank_is_none)]
Checkbox = Annotated[bool, BeforeValidator(lambda v: v in ("on", "1", "true", "yes"))]


def Choice(enum: type[StrEnum]) -> Any:  # noqa: N802 - a type
    """A value of one of the portal's StrEnums; blank is None (the model's default decides)."""
    return Annotated[enum | None, BeforeValidator(_blank_is_none)]


def NumberChoice(values: tuple[int, ...]) -> Any:  # noqa: N802 - a type
    """One of a few numbers (a page size), sent as ASCII digits."""
    return Annotated[Literal[values], BeforeValidator(  # type: ignore[valid-type]
        lambda v: int(v) if isinstance(v, str) and ASCII_INTEGER.fullmatch(v.strip()) else v)]


class FormModel(BaseModel):
    """A posted form; fields it does not name (a button's, another model's) are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class QueryModel(FormModel):
    """A query string: every field has a default, and an invalid value falls back to it."""


# ---- reading ----

def _raw(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """The model's fields out of a FormData/QueryParams; a repeated field counts once (its first value),
    but for a list field (checkboxes of one name), which gets every value."""
    getlist = getattr(values, "getlist", None)
    raw: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if getlist is not None and getlist(key):
            raw[name] = getlist(key) if get_origin(info.annotation) is list else getlist(key)[0]
        elif getlist is None and key in values:
            raw[name] = values[key]
    return raw


def parse(model: type[M], values: Mapping[str, Any]) -> M:
    """A posted form as `model`, or InvalidInput with a message for each field that does not fit."""
    try:
        return model.model_validate(_raw(model, values))
    except ValidationError as error:
        raise InvalidInput.from_error(model, error) from None


def parse_query(model: type[Q], values: Mapping[str, Any]) -> Q:
    """A query string as `model`: what does not validate is left out, so those fields take their defaults."""
    raw = _raw(model, values)
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        return model.model_validate({k: v for k, v in raw.items() if k not in bad})


def typed(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, str]:
    """What was typed in the model's fields, as text: the form shown again keeps it, valid or not."""
    return {name: value.strip() if isinstance(value, str) else "" for name, value in _raw(model, values).items()}


def valid_path_value(value: object) -> bool:
    """A path parameter the database can be asked about: an id within INTEGER, text without control
    characters and of a sane length (a longer slug or token exists nowhere)."""
    if isinstance(value, int):
        return 0 <= value <= DB_INT_MAX
    return isinstance(value, str) and len(value) <= MAX_PATH_TEXT and not CONTROL_CHARS.search(value)


# ---- the one error ----

MESSAGES: Mapping[str, str] = {
    "missing": N_("%(field)s: this field is required."),
    "string_too_short": N_("%(field)s: this field is required."),
    "string_too_long": N_("%(field)s: at most %(max)s characters."),
    "control_chars": N_("%(field)s: contains characters that are not allowed."),
    "string_type": N_("%(field)s: write text here."),
    "ascii_integer": N_("%(field)s: write a whole number with the digits 0-9."),
    "decimal_text": N_("%(field)s: write a number with the digits 0-9."),
    "greater_than_equal": N_("%(field)s: the number is out of range."),
    "less_than_equal": N_("%(field)s: the number is out of range."),
    "greater_than": N_("%(field)s: the number is out of range."),
    "decimal_max_digits": N_("%(field)s: the number is out of range."),
    "decimal_max_places": N_("%(field)s: the number is out of range."),
    "enum": N_("%(field)s: choose a value from the list."),
    "literal_error": N_("%(field)s: choose a value from the list."),
    "date_from_datetime_parsing": N_("%(field)s: write the date as YYYY-MM-DD."),
    "date_parsing": N_("%(field)s: write the date as YYYY-MM-DD."),
    "datetime_parsing": N_("%(field)s: write the date and time as YYYY-MM-DDTHH:MM."),
    "datetime_from_date_parsing": N_("%(field)s: write the date and time as YYYY-MM-DDTHH:MM."),
}
INVALID = N_("%(field)s: this value is not valid.")


class InvalidInput(ValueError):
    """What was sent does not fit the form; `str()` is the messages, translated for the request's locale."""

    def __init__(self, problems: list[tuple[str, str, dict[str, Any]]]) -> None:
        super().__init__(problems)
        self.problems = problems  # (msgid, field label msgid, values)

    @classmethod
    def from_error(cls, model: type[BaseModel], error: ValidationError) -> "InvalidInput":
        problems = []
        for item in error.errors():
            name = str(item["loc"][0]) if item["loc"] else ""
            info = model.model_fields.get(name)
            label = info.title if info is not None and info.title else name
            limit = (item.get("ctx") or {}).get("max_length", "")
            problems.append((MESSAGES.get(item["type"], INVALID), label, {"max": limit}))
        return cls(problems)

    def __str__(self) -> str:
        return " ".join(_(msgid, field=_(label), **values) for msgid, label, values in self.problems)
