"""Document vectors of one index generation, kept beside its tantivy files, searched exactly.

Two append-only files in `<generation>/vectors/`: `rows.jsonl`, one line per event (a document's
vector row with its visibility keys and filter fields, or its removal), and `matrix.f32`, the rows'
vectors. The indexer appends; every process reads what was appended since its last look, so a search
in another process sees new vectors without reopening anything. Documents are kept by content hash
too: a row whose text did not change is reused (by an upsert, or by the next generation's rebuild).

A search is one matrix-vector product over every row (100k x 384 floats: a few milliseconds), with
rows the caller may not see, or that fail the query's filters, left out: the same visibility keys
(search.access.document_keys / principal_keys) as the lexical side.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from search.access import document_keys
from search.embedding import DIMENSIONS
from search.types import SearchDocument, SearchQuery

ROWS = "rows.jsonl"
MATRIX = "matrix.f32"
FILTER_FIELDS: tuple[str, ...] = ("kind", "category", "product", "status", "language")
MAX_KEYS = 2  # document_keys gives at most two (a ticket's requester and its company)
ROW_BYTES = DIMENSIONS * 4


@dataclass(frozen=True)
class Row:
    """One document's entry: where its vector is, who may see it, what the filters read."""

    doc_id: str
    content: str  # content hash, hex
    row: int
    keys: tuple[str, ...]
    fields: Mapping[str, str]


def row_for(doc: SearchDocument, content: str, row: int) -> Row:
    return Row(doc.id, content, row, document_keys(doc), {name: str(getattr(doc, name) or "") for name in FILTER_FIELDS})


class _Codes:
    """Strings as small integers, so filters run as numpy comparisons."""

    def __init__(self) -> None:
        self.of: dict[str, int] = {}

    def code(self, value: str) -> int:
        return self.of.setdefault(value, len(self.of))

    def known(self, values: Iterable[str]) -> list[int]:
        return [self.of[value] for value in values if value in self.of]


class VectorStore:
    """The vectors of one generation. Thread-safe; `refresh` picks up rows other processes appended."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._offset = 0  # bytes of rows.jsonl read so far
        self._matrix = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._rows_in_matrix = 0
        self._live: dict[str, Row] = {}
        self._by_content: dict[str, int] = {}
        self._slot_of: dict[str, int] = {}  # doc id -> slot in the arrays below
        self._slot_ids: list[str] = []
        self._slot_row = np.zeros(0, dtype=np.int64)
        self._slot_alive = np.zeros(0, dtype=bool)
        self._slot_keys = np.zeros((0, MAX_KEYS), dtype=np.int32)
        self._slot_fields = {name: np.zeros(0, dtype=np.int32) for name in FILTER_FIELDS}
        self._keys, self._fields = _Codes(), {name: _Codes() for name in FILTER_FIELDS}

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        rows = self.directory / ROWS
        try:
            size = rows.stat().st_size
        except FileNotFoundError:
            return
        if size == self._offset:
            return
        with self._lock:
            # Another thread may have read further while this one waited for the lock.
            size = max(size, self._offset)
            with rows.open("rb") as source:
                source.seek(self._offset)
                tail = source.read(size - self._offset)
            complete = tail[: tail.rfind(b"\n") + 1]  # a line being written is read next time
            events = [json.loads(line) for line in complete.splitlines() if line.strip()]
            self._load_matrix(max((e["row"] + 1 for e in events if "row" in e), default=0))
            for event in events:
                self._apply(event)
            self._offset += len(complete)

    def _load_matrix(self, rows_needed: int) -> None:
        if rows_needed <= self._rows_in_matrix:
            return
        with (self.directory / MATRIX).open("rb") as source:
            source.seek(self._rows_in_matrix * ROW_BYTES)
            fresh = np.frombuffer(source.read((rows_needed - self._rows_in_matrix) * ROW_BYTES), dtype=np.float32)
        fresh = fresh.reshape(-1, DIMENSIONS)
        if self._rows_in_matrix + len(fresh) > len(self._matrix):
            grown = np.zeros((max(2 * len(self._matrix), self._rows_in_matrix + len(fresh), 64), DIMENSIONS), np.float32)
            grown[: self._rows_in_matrix] = self._matrix[: self._rows_in_matrix]
            self._matrix = grown  # searches holding the old array keep a consistent view
        self._matrix[self._rows_in_matrix : self._rows_in_matrix + len(fresh)] = fresh
        self._rows_in_matrix += len(fresh)

    def _apply(self, event: dict) -> None:
        doc_id = event["id"]
        if event.get("deleted"):
            self._live.pop(doc_id, None)
            if doc_id in self._slot_of:
                self._slot_alive[self._slot_of[doc_id]] = False
            return
        row = Row(doc_id, event["content"], event["row"], tuple(event["keys"]), event["fields"])
        self._live[doc_id] = row
        self._by_content[row.content] = row.row
        slot = self._slot_of.get(doc_id)
        if slot is None:
            slot = self._new_slot(doc_id)
        self._slot_row[slot] = row.row
        self._slot_alive[slot] = True
        codes = [self._keys.code(key) for key in row.keys[:MAX_KEYS]]
        self._slot_keys[slot] = codes + [-1] * (MAX_KEYS - len(codes))
        for name in FILTER_FIELDS:
            self._slot_fields[name][slot] = self._fields[name].code(row.fields.get(name, ""))

    def _new_slot(self, doc_id: str) -> int:
        slot = len(self._slot_ids)
        if slot >= len(self._slot_row):
            size = max(64, 2 * len(self._slot_row))
            self._slot_row = _grown(self._slot_row, size)
            self._slot_alive = _grown(self._slot_alive, size)
            self._slot_keys = _grown(self._slot_keys, size, fill=-1)
            self._slot_fields = {name: _grown(codes, size) for name, codes in self._slot_fields.items()}
        self._slot_of[doc_id] = slot
        self._slot_ids.append(doc_id)
        return slot

    def __len__(self) -> int:
        self.refresh()
        return len(self._live)

    def content_of(self, doc_id: str) -> str | None:
        self.refresh()
        row = self._live.get(doc_id)
        return row.content if row else None

    def vectors_by_content(self, contents: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors this generation already holds for these content hashes."""
        self.refresh()
        with self._lock:
            return {c: self._matrix[self._by_content[c]].copy() for c in contents if c in self._by_content}

    def vector_of(self, doc_id: str) -> np.ndarray | None:
        self.refresh()
        with self._lock:
            row = self._live.get(doc_id)
            return self._matrix[row.row].copy() if row else None

    def nearest(
        self, vector: np.ndarray, principal_keys: Sequence[str] | None, query: SearchQuery, depth: int, floor: float
    ) -> list[tuple[str, float]]:
        """Up to `depth` (doc id, cosine) pairs at or above `floor`, best first, among the rows the
        caller may see (`principal_keys`, None = staff) that pass the query's filters and exclusions."""
        self.refresh()
        with self._lock:
            count = len(self._slot_ids)
            if count == 0:
                return []
            allowed = self._slot_alive[:count].copy()
            if principal_keys is not None:
                allowed &= _member(self._slot_keys[:count], self._keys.known(principal_keys), self._keys).any(axis=1)
            for name, values in _filter_values(query).items():
                codes = self._fields[name]
                allowed &= _member(self._slot_fields[name][:count], codes.known(values), codes)
            for doc_id in query.exclude_ids:
                if doc_id in self._slot_of:
                    allowed[self._slot_of[doc_id]] = False
            slots = np.flatnonzero(allowed)
            rows = self._slot_row[slots]
            matrix, used, ids = self._matrix, self._rows_in_matrix, self._slot_ids
        if len(slots) == 0:
            return []
        # A few rows are gathered; many are scored in place (gathering would copy most of the matrix).
        scores = matrix[rows] @ vector if len(slots) * 4 < used else (matrix[:used] @ vector)[rows]
        keep = np.flatnonzero(scores >= floor)
        if len(keep) > depth:
            keep = keep[np.argpartition(-scores[keep], depth - 1)[:depth]]
        ordered = keep[np.argsort(-scores[keep], kind="stable")]
        return [(ids[slots[i]], float(scores[i])) for i in ordered]

    # -- writing (the indexer only) --------------------------------------------------------

    def append(self, docs: Sequence[tuple[SearchDocument, str]], vectors: Mapping[str, np.ndarray]) -> None:
        """Rows for `docs` ((document, content hash) pairs): a hash this generation already holds reuses
        its vector row, the others take theirs from `vectors`. Documents without a vector are removed,
        so an old vector never stands for changed content or changed visibility."""
        self.refresh()
        self.directory.mkdir(parents=True, exist_ok=True)
        events: list[dict] = []
        fresh: list[np.ndarray] = []
        next_row = _matrix_rows(self.directory)
        placed: dict[str, int] = {}
        for doc, content in docs:
            row = self._by_content.get(content, placed.get(content))
            if row is None and content in vectors:
                row = placed[content] = next_row + len(fresh)
                fresh.append(np.asarray(vectors[content], dtype=np.float32))
            if row is None:
                events.append({"id": doc.id, "deleted": True})
                continue
            entry = row_for(doc, content, row)
            events.append({"id": entry.doc_id, "content": content, "row": row, "keys": list(entry.keys),
                           "fields": dict(entry.fields)})
        if fresh:
            with (self.directory / MATRIX).open("ab") as out:
                out.write(np.stack(fresh).astype(np.float32).tobytes())
                out.flush()
                os.fsync(out.fileno())
        self._log(events)

    def remove(self, doc_ids: Iterable[str]) -> None:
        self._log([{"id": doc_id, "deleted": True} for doc_id in doc_ids])

    def _log(self, events: list[dict]) -> None:
        if not events:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ROWS).open("a", encoding="utf-8") as out:
            out.write("".join(json.dumps(event, ensure_ascii=False) + "\n" for event in events))
        self.refresh()


def _member(codes: np.ndarray, wanted: list[int], known: _Codes) -> np.ndarray:
    """codes ∈ wanted, by table lookup: several times faster than np.isin at 100k rows. The -1 of an
    empty key slot reads the table's extra last cell, which stays False."""
    table = np.zeros(len(known.of) + 1, dtype=bool)
    table[wanted] = True
    return table[codes]


def _matrix_rows(directory: Path) -> int:
    try:
        return (directory / MATRIX).stat().st_size // ROW_BYTES
    except FileNotFoundError:
        return 0


def _grown(array: np.ndarray, size: int, fill: int = 0) -> np.ndarray:
    shape = (size, *array.shape[1:])
    grown = np.full(shape, fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _filter_values(query: SearchQuery) -> dict[str, tuple[str, ...]]:
    """The query's own narrowing, as in search.embedded_query.query_filters."""
    values: dict[str, tuple[str, ...]] = {}
    if query.kinds:
        values["kind"] = tuple(query.kinds)
    if query.category:
        values["category"] = (query.category,)
    if query.product:
        values["product"] = (query.product,)
    if query.status:
        values["status"] = tuple(query.status)
    if query.language:
        values["language"] = (query.language,)
    return values
