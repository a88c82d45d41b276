"""Engines for the conformance suite: embedded always, Meilisearch when MEILISEARCH_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from search.engine import SearchEngine
from search.types import SearchDocument

ENGINES = ["embedded", "meilisearch"]
BASE_TIME = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def make_doc(doc_id: str, title: str, body: str = "", **overrides: Any) -> SearchDocument:
    kind = doc_id.split(":")[0] if doc_id.split(":")[0] in ("faq", "ticket", "document") else "faq"
    values: dict[str, Any] = {
        "id": doc_id,
        "kind": kind,
        "title": title,
        "body": body,
        "tags": [],
        "category": "",
        "product": "",
        "language": "it",
        "audience": "public",
        "company_id": None,
        "requester_id": None,
        "status": "published",
        "url": f"/{doc_id.replace(':', '/')}",
        "updated_at": BASE_TIME + timedelta(minutes=len(doc_id)),
    }
    values.update(overrides)
    return SearchDocument(**values)


async def open_engine(kind: str, tmp_path: Path) -> SearchEngine:
    if kind == "embedded":
        from search.embedded import EmbeddedEngine

        return EmbeddedEngine(tmp_path / "index")
    url = os.environ.get("MEILISEARCH_URL")
    if not url:
        pytest.skip("MEILISEARCH_URL is not set: no Meilisearch server to test against")
    from search.meili import MeiliEngine

    return MeiliEngine(url, os.environ.get("MEILISEARCH_KEY"), index_uid=f"test_{uuid.uuid4().hex[:12]}")


async def dispose(engine: SearchEngine) -> None:
    from search.meili import MeiliEngine

    if isinstance(engine, MeiliEngine):
        await engine._client.delete_index_if_exists(engine.index_uid)
    await engine.close()


@pytest.fixture(params=ENGINES)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SearchEngine]:
    opened = await open_engine(request.param, tmp_path)
    yield opened
    await dispose(opened)
