"""Where search documents come from: each domain offers DocumentSources in app/<domain>/search_documents.py.

Document ids start with "<source name>:<object id>": the object's only document is exactly that
("faq:12"); an object with several documents adds a suffix after one more colon ("document:7:3" for
page 3). The indexer relies on it to remove an object's documents that its builder no longer returns.
"""

import importlib
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from app.db import APP_DIR
from search.types import SearchDocument


class DocumentSource(Protocol):
    name: str  # the `source` of outbox rows, e.g. "ticket"
    # Optional attribute `multi_document: bool` (True when absent): False promises that every object has at
    # most the one document "<name>:<object id>", so the indexer never has to look for stale extra ones.

    async def build(self, object_ids: Sequence[str]) -> dict[str, list[SearchDocument]]:
        """Current documents of each object; an object missing from the answer, or with [], is removed."""
        ...

    def all_object_ids(self) -> AsyncIterator[str]:
        """Every object that should be in the index (for reindex and verify)."""
        ...


def may_have_several_documents(source: DocumentSource) -> bool:
    return bool(getattr(source, "multi_document", True))


def belongs_to(document_id: str, source_name: str, object_ids: set[str]) -> bool:
    """Whether `document_id` is one of the documents of those objects of the source."""
    prefix = f"{source_name}:"
    if not document_id.startswith(prefix):
        return False
    return document_id[len(prefix):].split(":", 1)[0] in object_ids


def document_sources() -> dict[str, DocumentSource]:
    sources: dict[str, DocumentSource] = {}
    for path in sorted(APP_DIR.glob("*/search_documents.py")):
        module = importlib.import_module(f"app.{path.parent.name}.search_documents")
        for source in module.SOURCES:
            sources[source.name] = source
    return sources
