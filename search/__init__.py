"""Sportello's search layer: one protocol, two engines, access rules in one place."""

from search.types import (
    EngineUnavailable,
    Health,
    Hit,
    Principal,
    SearchDocument,
    SearchQuery,
    SearchResult,
)

__all__ = [
    "EngineUnavailable",
    "Health",
    "Hit",
    "Principal",
    "SearchDocument",
    "SearchQuery",
    "SearchResult",
]
