"""Searching for a person of the portal: every page, panel and command goes through `search_as`,
which builds the query with the caller's principal and calls search.service.run_search."""

import asyncio
import contextlib
import math
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from search.engine import SearchEngine
from search.service import MAX_OFFSET, run_search, similar_to
from search.types import KINDS, EngineUnavailable, Health, Principal, SearchQuery, SearchResult

from app.accounts.models import User
from app.i18n import N_
from app.searching.engine import get_engine
from app.searching.lexicon import apply_lexicon
from app.searching.models import IndexTask
from app.searching.principal import principal_for
from app.settings import Settings

KIND_LABELS: dict[str, str] = {
    "faq": N_("FAQ"), "manual_page": N_("Manual pages"), "ticket": N_("Tickets"), "document": N_("Documents"),
}
KIND_NAMES: dict[str, str] = {
    "faq": N_("FAQ"), "manual_page": N_("Manual page"), "ticket": N_("Ticket"), "document": N_("Document"),
}
SUGGESTIONS = 6


async def ready_engine(settings: Settings) -> SearchEngine:
    """The process's engine, configured with the stored lexicon (once, or again after an edit)."""
    engine = get_engine(settings)
    await apply_lexicon(engine)
    return engine


async def open_search(settings: Settings) -> None:
    """At startup: open the engine, give it the stored lexicon and let it load what searches need. An
    engine that is down is no reason not to start: the first search or indexing round tries again."""
    with contextlib.suppress(EngineUnavailable):
        engine = await ready_engine(settings)
        await engine.warm_up()


async def search_as(
    settings: Settings, principal: Principal, text: str, *, kinds: Sequence[str] = (), category: str | None = None,
    product: str | None = None, status: Sequence[str] = (), page: int = 1, per_page: int = 10,
    purpose: str = "search", typing: bool = False,
) -> SearchResult:
    """THE search of the portal; EngineUnavailable propagates so the page can say so. `typing`: the text is
    being typed (its last word may be unfinished)."""
    query = SearchQuery(
        text=text, principal=principal, kinds=tuple(k for k in kinds if k in KINDS), category=category or None,
        product=product or None, status=tuple(status), offset=(max(page, 1) - 1) * per_page, limit=per_page,
        purpose=purpose, typing=typing,
    )
    return await run_search(await ready_engine(settings), query)


async def search_for(
    settings: Settings, user: User | None, text: str, *, kinds: Sequence[str] = (), category: str | None = None,
    product: str | None = None, status: Sequence[str] = (), page: int = 1, per_page: int = 10,
    purpose: str = "search", typing: bool = False,
) -> SearchResult:
    return await search_as(settings, principal_for(user), text, kinds=kinds, category=category, product=product,
                           status=status, page=page, per_page=per_page, purpose=purpose, typing=typing)


async def both(first: Awaitable[SearchResult], second: Awaitable[SearchResult]) -> tuple[SearchResult, SearchResult]:
    """Two searches at once. Unlike a bare gather, when one fails (the engine is down) the other is waited for
    before the failure is raised, so none outlives the request that asked for it."""
    results = await asyncio.gather(first, second, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results[0], results[1]  # type: ignore[return-value]


async def similar_for(
    settings: Settings, user: User | None, text: str, exclude_ids: Sequence[str] = (), kinds: Sequence[str] = (),
    limit: int = 5,
) -> SearchResult:
    """Documents like `text` (free text or an indexed id such as "ticket:55") that `user` may see."""
    query = SearchQuery(text="", principal=principal_for(user), kinds=tuple(k for k in kinds if k in KINDS),
                        limit=limit, purpose="similar")
    return await similar_to(await ready_engine(settings), text, query, exclude_ids)


def last_page(total: int, per_page: int) -> int:
    """Pages a caller can reach: the engines answer at most MAX_OFFSET hits deep."""
    reachable = min(total, MAX_OFFSET + per_page)
    return max(1, math.ceil(reachable / per_page))


# -- the admin's view of the index -------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxLag:
    pending: int
    due: int
    failing: int
    oldest_age: timedelta | None
    recent_errors: list[IndexTask]


@dataclass(frozen=True)
class IndexStatus:
    health: Health
    documents_by_kind: dict[str, int] | None  # None while the engine cannot answer
    outbox: OutboxLag


async def outbox_lag(now: datetime | None = None) -> OutboxLag:
    now = now or datetime.now(UTC)
    oldest = await IndexTask.all().order_by("created_at").first()
    return OutboxLag(
        pending=await IndexTask.all().count(),
        due=await IndexTask.filter(next_attempt_at__lte=now).count(),
        failing=await IndexTask.filter(attempts__gt=0).count(),
        oldest_age=now - oldest.created_at if oldest else None,
        recent_errors=await IndexTask.filter(attempts__gt=0).order_by("-next_attempt_at").limit(10),
    )


async def index_status(settings: Settings, admin: User) -> IndexStatus:
    engine = get_engine(settings)
    try:
        health = await engine.health()
        counts: dict[str, int] | None = None
        if health.ok:
            everything = await search_as(settings, Principal.staff(admin.id), "", per_page=1)
            counts = everything.facets.get("kind", {})
    except EngineUnavailable as error:
        health, counts = Health(False, engine.name, 0, str(error)), None
    return IndexStatus(health, counts, await outbox_lag())
