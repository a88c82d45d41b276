"""The managers' dashboard: each panel is a chart with its table, built from the service's rows and
the pure computations of dashboards.py."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from babel.numbers import format_decimal
from markupsafe import Markup

from app.i18n import DISPLAY_TZ, _, get_locale
from app.insights import dashboards, service
from app.insights.charts import Series, bar_chart, column_chart
from app.insights.dashboards import Deflection, Durations, MetMissed, Satisfaction
from app.insights.tables import Table


@dataclass(frozen=True)
class Panel:
    heading: str
    table: Table
    chart: Markup | None = None
    note: str = ""


def _met_missed_series(groups: Sequence[MetMissed]) -> list[Series]:
    return [Series(_("Met"), "met", [g.met for g in groups]), Series(_("Missed"), "missed", [g.missed for g in groups])]


def _short_week(week: str) -> str:
    return "W" + week.split("-W")[1]


def sla_week_panel(groups: Sequence[MetMissed]) -> Panel:
    table = Table("sla_weeks", _("Take in charge within the SLA, by week"),
                  (_("Week"), _("From"), _("Met"), _("Missed"), _("Met (%)")),
                  [(g.label, dashboards.first_day(g.label), g.met, g.missed, g.met_percent) for g in groups])
    desc = _("Tickets taken in charge in time (met) and late or still waiting past the deadline (missed), "
             "for each of the last %(count)s weeks.", count=len(groups))
    chart = column_chart("chart-sla-weeks", table.title, desc, [_short_week(g.label) for g in groups],
                         _met_missed_series(groups), _("ISO week the ticket was opened"), _("Tickets"))
    return Panel(table.title, table, chart)


def sla_group_panel(name: str, heading: str, first_header: str, groups: Sequence[MetMissed]) -> Panel:
    table = Table(name, heading, (first_header, _("Met"), _("Missed"), _("Met (%)")),
                  [(g.label, g.met, g.missed, g.met_percent) for g in groups], empty=_("No tickets to measure yet."))
    desc = _("Tickets taken in charge in time and late, most late first.")
    chart = bar_chart(f"chart-{name}", heading, desc, [g.label for g in groups], _met_missed_series(groups),
                      _("Tickets")) if groups else None
    return Panel(heading, table, chart)


def backlog_panel(counts: dict[str, int]) -> Panel:
    rows = dashboards.backlog(counts)
    table = Table("backlog", _("Open tickets by status"), (_("Status"), _("Tickets")),
                  [(status.label, n) for status, n in rows])
    desc = _("How many tickets are in each open status now: %(total)s in all.", total=sum(n for _s, n in rows))
    chart = bar_chart("chart-backlog", table.title, desc, [status.label for status, _n in rows],
                      [Series(_("Tickets"), "bar", [n for _s, n in rows])], _("Tickets"))
    return Panel(table.title, table, chart)


def resolution_panel(overall: Durations | None, per_category: Sequence[Durations]) -> Panel:
    shown = ([overall] if overall else []) + list(per_category)
    rows = [(d.label, d.count, d.median_hours, d.p90_hours) for d in shown]
    table = Table("resolution", _("Resolution time"), (_("Category"), _("Resolved tickets"), _("Median (hours)"),
                                                       _("90th percentile (hours)")),
                  rows, empty=_("No ticket was resolved in this period."))
    note = _("From opening to resolution, in calendar hours, for tickets resolved in the last 12 weeks. "
             "Nine tickets out of ten were resolved within the 90th percentile.")
    return Panel(table.title, table, note=note)


def deflection_panel(weeks: Sequence[Deflection]) -> Panel:
    table = Table("deflection", _("Searches that avoided a ticket, by week"),
                  (_("Week"), _("Solved by searching"), _("Followed by a ticket"), _("Deflection rate (%)")),
                  [(w.label, w.deflected, w.ticket_followed, w.rate_percent) for w in weeks])
    desc = _("Share of searches that ended with \"this solved my problem\" rather than with a new ticket, "
             "for each of the last %(count)s weeks.", count=len(weeks))
    chart = column_chart("chart-deflection", table.title, desc, [_short_week(w.label) for w in weeks],
                         [Series(_("Deflection rate"), "rate", [w.rate_percent or 0 for w in weeks])],
                         _("ISO week of the search"), _("Deflection rate (%)"), y_max=100, unit="%")
    return Panel(table.title, table, chart)


def satisfaction_week_panel(weeks: Sequence[Satisfaction]) -> Panel:
    table = Table("satisfaction_weeks", _("Satisfaction ratings, by week"),
                  (_("Week"), _("From"), _("Ratings"), _("Average (1-5)")),
                  [(w.label, dashboards.first_day(w.label), w.count, w.average) for w in weeks])
    overall = dashboards.Satisfaction(_("All"), sum(w.count for w in weeks), sum(w.total_score for w in weeks))
    desc = _("Average rating the requesters gave their closed tickets, for each of the last %(count)s weeks.",
             count=len(weeks))
    chart = column_chart("chart-satisfaction", table.title, desc, [_short_week(w.label) for w in weeks],
                         [Series(_("Average"), "rate", [w.average or 0 for w in weeks])],
                         _("ISO week of the rating"), _("Average (1-5)"), y_max=5)
    note = (_("%(count)s ratings in 12 weeks, average %(average)s of 5.", count=overall.count,
              average=format_decimal(overall.average, locale=get_locale()))
            if overall.count else _("No ticket was rated in this period."))
    return Panel(table.title, table, chart, note)


def satisfaction_scores_panel(rows: Sequence[tuple[int, int, float | None]]) -> Panel:
    table = Table("satisfaction_scores", _("Satisfaction ratings, by score"), (_("Score"), _("Ratings"), _("Share (%)")),
                  list(rows))
    desc = _("How many ratings gave each score, from 5 (very happy) to 1 (very unhappy), in the last 12 weeks.")
    chart = bar_chart("chart-satisfaction-scores", table.title, desc, [str(score) for score, _n, _p in rows],
                      [Series(_("Ratings"), "bar", [n for _s, n, _p in rows])], _("Ratings")) if any(
        n for _s, n, _p in rows) else None
    return Panel(table.title, table, chart)


async def managers_dashboard(now: datetime) -> list[Panel]:
    weeks = dashboards.last_weeks(now.astimezone(DISPLAY_TZ).date())
    since = datetime.combine(dashboards.first_day(weeks[0]), time(), DISPLAY_TZ)
    rows = await service.ticket_rows(since, get_locale())
    opened = dashboards.in_weeks(rows, weeks)
    unknown_category, not_taken = _("No category"), _("Not taken in charge")
    overall, per_category = dashboards.resolution_times(rows, since, _("All tickets"), unknown_category)
    ratings = await service.rating_rows(since)
    return [
        sla_week_panel(dashboards.sla_by_week(opened, weeks, now)),
        sla_group_panel("sla_categories", _("Take in charge within the SLA, by category"), _("Category"),
                        dashboards.sla_by(opened, now, lambda r: r.category, unknown_category)),
        sla_group_panel("sla_technicians", _("Take in charge within the SLA, by technician"), _("Technician"),
                        dashboards.sla_by(opened, now, lambda r: r.technician, not_taken)),
        backlog_panel(await service.status_counts()),
        resolution_panel(overall, per_category),
        deflection_panel(dashboards.deflection_by_week(await service.outcome_rows(since), weeks)),
        satisfaction_week_panel(dashboards.satisfaction_by_week(ratings, weeks)),
        satisfaction_scores_panel(dashboards.score_distribution(ratings)),
    ]
