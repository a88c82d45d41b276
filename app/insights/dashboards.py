"""The managers' numbers, computed from plain rows: no database here, so every rule is unit-tested.

Decisions:
- The take-in-charge SLA of a ticket is *met* when it was taken at or before its deadline and *missed*
  when taken later, or when it still waits in Aperto past the deadline. A ticket still in Aperto before
  its deadline is not counted yet; one that left Aperto without being taken (closed by its requester,
  discarded, blocked) is not counted at all: nobody had to take it in charge.
- A ticket counts in the ISO week (Monday to Sunday, Italian time) in which it was opened.
- Resolution time runs from opening to the (latest) resolution, in hours; the median averages the two
  middle values of an even count, p90 is the nearest-rank 90th percentile (the smallest time that at
  least 90% of the tickets did not exceed).
- Deflection rate = deflected searches / (deflected + searches followed by a ticket), by week.
- Satisfaction: each ticket's one rating (1-5) counts in the week it was given or last changed; the average
  is the mean score, to one decimal, of the ratings of that week (none when there is no rating).
"""

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from app.i18n import DISPLAY_TZ
from app.insights.service import OutcomeRow, RatingRow, TicketRow
from app.tickets.workflow import Status

WEEKS = 12
Outcome = Literal["met", "missed"]


def week_of(moment: datetime) -> str:
    year, week, _ = moment.astimezone(DISPLAY_TZ).isocalendar()
    return f"{year}-W{week:02d}"


def last_weeks(today: date, count: int = WEEKS) -> list[str]:
    """ISO week keys of the `count` weeks ending with today's, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
            for d in (monday - timedelta(weeks=n) for n in range(count - 1, -1, -1))]


def first_day(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def sla_outcome(row: TicketRow, now: datetime) -> Outcome | None:
    if row.taken_at is not None:
        return "met" if row.taken_at <= row.sla_deadline else "missed"
    if row.status == Status.APERTO.value and now > row.sla_deadline:
        return "missed"
    return None


@dataclass(frozen=True)
class MetMissed:
    label: str
    met: int
    missed: int

    @property
    def total(self) -> int:
        return self.met + self.missed

    @property
    def met_percent(self) -> float | None:
        return round(100 * self.met / self.total, 1) if self.total else None


def _tally(rows: Iterable[TicketRow], now: datetime, key: Callable[[TicketRow], str]) -> dict[str, Counter[str]]:
    tallies: dict[str, Counter[str]] = {}
    for row in rows:
        outcome = sla_outcome(row, now)
        if outcome is not None:
            tallies.setdefault(key(row), Counter())[outcome] += 1
    return tallies


def sla_by_week(rows: Iterable[TicketRow], weeks: Sequence[str], now: datetime) -> list[MetMissed]:
    tallies = _tally(rows, now, lambda r: week_of(r.created_at))
    return [MetMissed(w, tallies.get(w, Counter())["met"], tallies.get(w, Counter())["missed"]) for w in weeks]


def sla_by(rows: Iterable[TicketRow], now: datetime, key: Callable[[TicketRow], str | None],
           unknown: str) -> list[MetMissed]:
    """Met and missed per category or technician, most missed first; `unknown` names the empty group."""
    tallies = _tally(rows, now, lambda r: key(r) or unknown)
    groups = [MetMissed(label, c["met"], c["missed"]) for label, c in tallies.items()]
    return sorted(groups, key=lambda g: (-g.missed, -g.total, g.label.casefold()))


def in_weeks(rows: Iterable[TicketRow], weeks: Sequence[str]) -> list[TicketRow]:
    wanted = set(weeks)
    return [r for r in rows if week_of(r.created_at) in wanted]


def backlog(counts: dict[str, int]) -> list[tuple[Status, int]]:
    """Tickets in each open status now, in workflow order, zeros included."""
    return [(status, counts.get(status.value, 0)) for status in Status
            if status not in (Status.CHIUSO, Status.NON_CONSIDERARE)]


def percentile(values: Sequence[float], percent: float) -> float:
    """Nearest-rank percentile of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Durations:
    label: str
    count: int
    median_hours: float
    p90_hours: float


def _durations(label: str, hours: Sequence[float]) -> Durations:
    return Durations(label, len(hours), round(statistics.median(hours), 2), round(percentile(hours, 90), 2))


def resolution_hours(row: TicketRow) -> float | None:
    if row.resolved_at is None:
        return None
    return (row.resolved_at - row.created_at).total_seconds() / 3600


def resolution_times(rows: Iterable[TicketRow], since: datetime, overall: str,
                     unknown: str) -> tuple[Durations | None, list[Durations]]:
    """Median and p90 of tickets resolved since `since`: overall, then per category (by name)."""
    by_category: dict[str, list[float]] = {}
    everything: list[float] = []
    for row in rows:
        hours = resolution_hours(row)
        if hours is None or row.resolved_at is None or row.resolved_at < since:
            continue
        everything.append(hours)
        by_category.setdefault(row.category or unknown, []).append(hours)
    total = _durations(overall, everything) if everything else None
    return total, [_durations(label, values) for label, values in sorted(by_category.items(),
                                                                         key=lambda kv: kv[0].casefold())]


@dataclass(frozen=True)
class Deflection:
    label: str
    deflected: int
    ticket_followed: int

    @property
    def rate_percent(self) -> float | None:
        ended = self.deflected + self.ticket_followed
        return round(100 * self.deflected / ended, 1) if ended else None


def deflection_by_week(rows: Iterable[OutcomeRow], weeks: Sequence[str]) -> list[Deflection]:
    deflected: Counter[str] = Counter()
    followed: Counter[str] = Counter()
    for row in rows:
        week = week_of(row.created_at)
        deflected[week] += row.deflected
        followed[week] += row.ticket_followed
    return [Deflection(w, deflected[w], followed[w]) for w in weeks]


@dataclass(frozen=True)
class Satisfaction:
    label: str
    count: int
    total_score: int

    @property
    def average(self) -> float | None:
        return round(self.total_score / self.count, 1) if self.count else None


def satisfaction_by_week(rows: Iterable[RatingRow], weeks: Sequence[str]) -> list[Satisfaction]:
    counts: Counter[str] = Counter()
    scores: Counter[str] = Counter()
    for row in rows:
        week = week_of(row.rated_at)
        counts[week] += 1
        scores[week] += row.score
    return [Satisfaction(w, counts[w], scores[w]) for w in weeks]


def score_distribution(rows: Iterable[RatingRow]) -> list[tuple[int, int, float | None]]:
    """(score, ratings, share %) for 5 down to 1, zeros included."""
    counts = Counter(row.score for row in rows)
    total = sum(counts.values())
    return [(score, counts[score], round(100 * counts[score] / total, 1) if total else None)
            for score in (5, 4, 3, 2, 1)]
