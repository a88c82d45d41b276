"""Where search documents come from: each domain offers DocumentSources in app/<domain>/search_documents.py."""

import importlib
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from app.db import APP_DIR
from search.types import SearchDocument


class DocumentSource(Protocol):
    name: str  # the `source` of outbox rows, e.g. "ticket"

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        """Current documents of each object; an object missing from the answer, or with [], is removed."""
        ...

    def all_object_ids(self) -> AsyncIterator[str]:
        """Every object that should be in the index (for reindex and verify)."""
        ...


def document_sources() -> dict[str, DocumentSource]:
    sources: dict[str, DocumentSource] = {}
    for path in sorted(APP_DIR.glob("*/search_documents.py")):
        module = importlib.import_module(f"app.{path.parent.name}.search_documents")
        for source in module.SOURCES:
            sources[source.name] = source
    return sources
