"""The editors' list of every article, published or not: each article as its latest version (what the editor
edits), filtered, searched, sorted and paged in the database."""

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from tortoise.expressions import F, Q

from app.forms import parse_query
from app.i18n import N_
from app.kb.forms import ArticleListQuery
from app.kb.frontmatter import LANGUAGES
from app.kb.models import ARTICLE_AUDIENCES, Article, ArticleVersion, Category
from app.kb.service import titles

PAGE_SIZE = 25
# Where an article stands for readers: its own filter on the article row.
STATUSES: Mapping[str, str] = {
    "published": N_("Published"),
    "changed": N_("Published, with unpublished changes"),
    "draft": N_("Not published"),
}
SORTS: Mapping[str, tuple[str, ...]] = {
    "updated": ("-updated_at", "-id"),
    "title": ("versions__title", "id"),
    "published": ("-published_at", "-id"),
}


@dataclass(frozen=True)
class ArticleFilters:
    q: str = ""
    category: str = ""
    language: str = ""
    audience: str = ""
    status: str = ""
    sort: str = "updated"
    page: int = 1

    @classmethod
    def from_query(cls, values: QueryParams) -> "ArticleFilters":
        """Unknown values fall back to "any", so a hand-edited address never errors."""
        asked = parse_query(ArticleListQuery, values)
        return cls(
            q=asked.q, category=asked.category,
            language=asked.language if asked.language in LANGUAGES else "",
            audience=asked.audience if asked.audience in {a.value for a in ARTICLE_AUDIENCES} else "",
            status=asked.status if asked.status in STATUSES else "",
            sort=asked.sort if asked.sort in SORTS else "updated",
            page=max(asked.page, 1),
        )

    def query_string(self, **changes: object) -> str:
        """These filters with some changed, as a query string; any change but the page starts at page 1."""
        values = {**self.__dict__, "page": 1, **changes}
        return urlencode({k: v for k, v in values.items() if v and not (k == "page" and v == 1)
                          and not (k == "sort" and v == "updated")})


@dataclass(frozen=True)
class ArticleRow:
    article: Article
    latest: ArticleVersion
    category: Category | None


@dataclass(frozen=True)
class ArticlePage:
    rows: list[ArticleRow]
    total: int
    filters: ArticleFilters

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _where(filters: ArticleFilters) -> Q:
    """Filters on the article's latest version: every `versions__` lookup shares the one join to it."""
    where = Q(versions__number=F("current_number"))
    if filters.q:
        where &= Q(Q(versions__title__icontains=filters.q), Q(slug__icontains=filters.q), join_type="OR")
    if filters.category:
        where &= Q(versions__category__key=filters.category)
    if filters.language:
        where &= Q(versions__language=filters.language)
    if filters.audience:
        where &= Q(versions__audience=filters.audience)
    if filters.status == "published":
        where &= Q(published_number=F("current_number"))
    elif filters.status == "changed":
        where &= Q(published_number__isnull=False) & ~Q(published_number=F("current_number"))
    elif filters.status == "draft":
        where &= Q(published_number__isnull=True)
    return where


async def editor_articles(filters: ArticleFilters) -> ArticlePage:
    query = Article.filter(_where(filters))
    total = await query.count()
    page = min(filters.page, max(1, -(-total // PAGE_SIZE)))
    articles = await query.order_by(*SORTS[filters.sort]).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    latest = await titles(articles, published=False)
    categories = {c.id: c for c in await Category.all()}
    rows = [ArticleRow(a, latest[a.id], categories.get(latest[a.id].category_id or 0)) for a in articles]
    return ArticlePage(rows, total, ArticleFilters(**{**filters.__dict__, "page": page}))
