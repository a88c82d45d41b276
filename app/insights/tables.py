"""Every report and dashboard figure is also a table: shown beside its chart and exported as CSV.

The CSV is for Excel: UTF-8 with a byte-order mark, and the list separator and decimal mark of the
reader's language (Italian Excel splits on ";" and reads "2,5"). Text cells that Excel would run as a
formula (=, +, -, @) are prefixed with an apostrophe, since query text is typed by anyone.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from babel.numbers import format_decimal
from starlette.responses import Response

from app.i18n import DISPLAY_TZ, format_when

Cell = str | int | float | datetime | date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_SEPARATORS = {"it": ";", "en": ","}


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass(frozen=True)
class Table:
    name: str  # the `table=` value of its CSV export and part of the file name
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    links: Sequence[Link | None] = field(default_factory=tuple)  # an action per row, HTML only
    empty: str = ""

    def formatted(self, locale: str) -> list[list[str]]:
        return [[display_cell(value, locale) for value in row] for row in self.rows]

    def link(self, index: int) -> Link | None:
        return self.links[index] if index < len(self.links) else None

    @property
    def has_links(self) -> bool:
        return any(self.links)


def display_cell(value: Cell, locale: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0#", locale=locale)
    if isinstance(value, int):
        return format_decimal(value, locale=locale)
    if isinstance(value, datetime | date):
        return format_when(value, locale)
    return value


def csv_cell(value: Cell, locale: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if locale == "it" else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(DISPLAY_TZ).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_text(table: Table, locale: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATORS.get(locale, ","), lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([csv_cell(value, locale) for value in row] for row in table.rows)
    return "\ufeff" + out.getvalue()


def csv_response(table: Table, locale: str, filename: str) -> Response:
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    return Response(csv_text(table, locale).encode("utf-8"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})


def find(tables: Sequence[Table], name: str) -> Table | None:
    return next((t for t in tables if t.name == name), None)
