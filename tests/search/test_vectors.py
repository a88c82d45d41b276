"""The vector store's visibility filter on its own: what a caller may see, whatever the codes are."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from search.access import principal_keys
from search.embedding import DIMENSIONS
from search.types import Principal, SearchQuery
from search.vectors import VectorStore
from tests.search.conftest import make_doc


def unit_vectors(count: int) -> np.ndarray:
    vectors = np.random.default_rng(3).standard_normal((count, DIMENSIONS)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_document_with_no_key_stays_hidden_whatever_key_was_coded_last(tmp_path: Path) -> None:
    """A staff-only article has no visibility key (its key slots are empty); the requester's own key
    is the last one the store coded. Neither may make the article visible to the requester."""
    docs = [make_doc("faq:staff", "Procedura interna", audience="staff"),
            make_doc("faq:public", "Orari"),
            make_doc("ticket:1", "La mia richiesta", audience="company", requester_id=5)]
    vectors = unit_vectors(len(docs))
    store = VectorStore(tmp_path / "vectors")
    hashed = [(doc, f"{n:032x}") for n, doc in enumerate(docs)]
    store.append(hashed, {content: vectors[n] for n, (_, content) in enumerate(hashed)})
    requester = Principal.requester(5, None)
    found = store.nearest(vectors[0], principal_keys(requester), SearchQuery("q", requester), 10, -1.0)
    assert sorted(doc_id for doc_id, _ in found) == ["faq:public", "ticket:1"]
    staff = store.nearest(vectors[0], None, SearchQuery("q", Principal.staff(1)), 10, -1.0)
    assert staff[0][0] == "faq:staff" and len(staff) == 3
    tickets = store.nearest(vectors[0], principal_keys(requester), SearchQuery("q", requester, kinds=("ticket",)), 10, -1.0)
    assert [doc_id for doc_id, _ in tickets] == ["ticket:1"]


def test_readers_refreshing_at_once_while_the_indexer_appends_all_see_every_row(tmp_path: Path) -> None:
    """Search threads refresh the same store concurrently; one that stat'ed the file before another
    read further must not read a negative length (it answered 500 under load)."""
    import threading

    docs = [make_doc(f"faq:{n}", f"Articolo {n}") for n in range(120)]
    vectors = unit_vectors(len(docs))
    writer = VectorStore(tmp_path / "vectors")
    reader = VectorStore(tmp_path / "vectors")
    failures: list[BaseException] = []
    done = threading.Event()

    def keep_refreshing() -> None:
        while not done.is_set():
            try:
                reader.refresh()
            except BaseException as error:  # noqa: BLE001 - the failure is the test's finding
                failures.append(error)
                return

    threads = [threading.Thread(target=keep_refreshing) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n, doc in enumerate(docs):
        writer.append([(doc, f"{n:032x}")], {f"{n:032x}": vectors[n]})
    done.set()
    for thread in threads:
        thread.join()
    reader.refresh()
    assert failures == []
    everyone = reader.nearest(vectors[0], None, SearchQuery("q", Principal.staff(1)), 200, -1.0)
    assert len(everyone) == len(docs)
