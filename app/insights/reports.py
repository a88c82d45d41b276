"""The editors' report: what people searched, what they did not find, what ended in a ticket, and the
FAQ readers found least helpful, each row with the link that lets an editor fix it."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from app.i18n import N_, _
from app.insights import service
from app.insights.service import ArticleStat, QueryStat
from app.insights.tables import Link, Table

PERIODS: tuple[int, ...] = (7, 30, 90)
DEFAULT_PERIOD = 30
ROWS = 25
AUDIENCE_LABELS: dict[str, str] = {
    "all": N_("Everyone"), "customers": N_("Customers and visitors"), "staff": N_("Staff"),
}


@dataclass(frozen=True)
class ReportFilter:
    days: int = DEFAULT_PERIOD
    who: str = "all"

    def since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days)

    def query(self, **extra: str) -> str:
        return urlencode({"days": self.days, "who": self.who, **extra})


def write_faq_link(query: str) -> Link:
    return Link("/kb/editor/new?" + urlencode({"title": query}), _("Write an FAQ"))


def top_queries_table(stats: list[QueryStat]) -> Table:
    return Table(
        "top", _("Top queries"),
        (_("Query"), _("Searches"), _("Without results"), _("Opened a result"), _("Followed by a ticket"),
         _("Solved")),
        [(s.query, s.searches, s.no_results, s.clicks, s.tickets, s.deflections) for s in stats],
        [write_faq_link(s.query) for s in stats], _("Nobody searched in this period."),
    )


def no_results_table(stats: list[QueryStat]) -> Table:
    return Table(
        "no_results", _("Queries with no results"), (_("Query"), _("Searches without results"), _("Searches")),
        [(s.query, s.no_results, s.searches) for s in stats], [write_faq_link(s.query) for s in stats],
        _("Every search found something."),
    )


def failed_deflection_table(stats: list[QueryStat]) -> Table:
    return Table(
        "failed", _("Queries followed by a ticket"), (_("Query"), _("Followed by a ticket"), _("Searches")),
        [(s.query, s.tickets, s.searches) for s in stats], [write_faq_link(s.query) for s in stats],
        _("No search was followed by a ticket."),
    )


def helpful_percent(stat: ArticleStat) -> float:
    return round(100 * stat.helpful / (stat.helpful + stat.not_helpful), 1)


def least_helpful(stats: list[ArticleStat], limit: int = ROWS) -> list[ArticleStat]:
    return sorted(stats, key=lambda s: (helpful_percent(s), -s.not_helpful, s.title.casefold()))[:limit]


def articles_table(stats: list[ArticleStat]) -> Table:
    ranked = least_helpful(stats)
    return Table(
        "articles", _("Least helpful articles"), (_("Article"), _("Helpful"), _("Not helpful"), _("Helpful (%)")),
        [(s.title, s.helpful, s.not_helpful, helpful_percent(s)) for s in ranked],
        [Link(f"/kb/editor/{s.article_id}", _("Fix the article")) for s in ranked],
        _("No article was marked as not helpful."),
    )


async def editors_report(choice: ReportFilter, now: datetime) -> list[Table]:
    since, roles = choice.since(now), service.ROLE_GROUPS[choice.who]
    return [
        top_queries_table(await service.query_stats(since, roles, "searches", ROWS)),
        no_results_table(await service.query_stats(since, roles, "no_results", ROWS)),
        failed_deflection_table(await service.query_stats(since, roles, "tickets", ROWS)),
        articles_table(await service.article_feedback_stats(since)),
    ]
