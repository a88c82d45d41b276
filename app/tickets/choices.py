"""Small closed vocabularies of a ticket, each value with an Italian and an English label.

Values are stable ASCII strings (stored in the database, used in URLs and filters); labels are
data kept next to them, so a template never spells a status or a priority on its own.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from app.i18n import get_locale


@dataclass(frozen=True)
class Label:
    it: str
    en: str

    def for_locale(self, locale: str) -> str:
        return self.en if locale == "en" else self.it


_LABEL_TABLES: dict[type["LabelledStrEnum"], Mapping["LabelledStrEnum", Label]] = {}


class LabelledStrEnum(StrEnum):
    """A StrEnum whose members carry labels registered with `attach_labels`."""

    @property
    def labels(self) -> Label:
        return _LABEL_TABLES[type(self)][self]

    @property
    def label_it(self) -> str:
        return self.labels.it

    @property
    def label_en(self) -> str:
        return self.labels.en

    @property
    def label(self) -> str:
        """The label in the current request's locale (Italian outside a request)."""
        return self.labels.for_locale(get_locale())

    def label_for(self, locale: str) -> str:
        return self.labels.for_locale(locale)

    @classmethod
    def choices(cls, locale: str = "it") -> list[tuple[str, str]]:
        """(value, label) pairs in declaration order, for select boxes."""
        return [(member.value, member.label_for(locale)) for member in cls]


E = TypeVar("E", bound=LabelledStrEnum)


def attach_labels(enum_class: type[E], table: Mapping[E, tuple[str, str]]) -> None:
    """Register (Italian, English) labels; every member must have both, so a missing one fails at import."""
    missing = [member.name for member in enum_class if member not in table]
    empty = [member.name for member, (it, en) in table.items() if not it or not en]
    if missing or empty:
        raise ValueError(f"{enum_class.__name__}: labels missing for {missing + empty}")
    _LABEL_TABLES[enum_class] = {member: Label(it, en) for member, (it, en) in table.items()}


class Priority(LabelledStrEnum):
    """How soon support must take the ticket in charge; each has its SLA target in `sla.py`."""

    URGENTE = "urgente"
    MEDIA = "media"
    NON_URGENTE = "non_urgente"


class Severity(LabelledStrEnum):
    """Whether the problem stops the requester's work."""

    BLOCCANTE = "bloccante"
    NON_BLOCCANTE = "non_bloccante"


attach_labels(
    Priority,
    {
        Priority.URGENTE: ("Urgente", "Urgent"),
        Priority.MEDIA: ("Media", "Medium"),
        Priority.NON_URGENTE: ("Non urgente", "Not urgent"),
    },
)
attach_labels(
    Severity,
    {
        Severity.BLOCCANTE: ("Bloccante", "Blocking"),
        Severity.NON_BLOCCANTE: ("Non bloccante", "Not blocking"),
    },
)


__all__ = ["Label", "LabelledStrEnum", "Priority", "Severity", "attach_labels"]
