"""One search engine per process and index: opened on first use, closed at shutdown."""

from search.engine import SearchEngine
from search.service import make_engine

from app.settings import Settings

EngineKey = tuple[str, str, str]

_engines: dict[EngineKey, SearchEngine] = {}


def engine_key(settings: Settings) -> EngineKey:
    return (settings.search_engine, str(settings.data_dir.resolve()), settings.meilisearch_url)


def get_engine(settings: Settings) -> SearchEngine:
    """The engine SEARCH_ENGINE names; the embedded index lives in DATA_DIR/index."""
    key = engine_key(settings)
    if key not in _engines:
        _engines[key] = make_engine(
            settings.search_engine, settings.data_dir, settings.meilisearch_url or None,
            settings.meilisearch_key or None, semantic=settings.search_semantic,
        )
    return _engines[key]


def use_engine(settings: Settings, engine: SearchEngine) -> None:
    """Serve `settings` with an engine built elsewhere (tools and tests that wrap a real engine)."""
    _engines[engine_key(settings)] = engine


def forget_engine(settings: Settings) -> SearchEngine | None:
    return _engines.pop(engine_key(settings), None)


async def close_engines() -> None:
    """Close every engine this process opened; call it once at shutdown."""
    engines = list(_engines.values())
    _engines.clear()
    for engine in engines:
        await engine.close()
