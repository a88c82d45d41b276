"""Vectors by content hash in one directory that outlives index generations (benchmarks and tools
that build many throwaway indexes): embedding is the slow part of indexing, so it is done once."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from search.embedding import DIMENSIONS

RECORD = np.dtype([("content", "u1", (16,)), ("vector", "<f4", (DIMENSIONS,))])  # bytes kept whole


class VectorCache:
    """An append-only file of (content hash, vector) records, one file per model."""

    def __init__(self, directory: Path, model: str) -> None:
        self.file = Path(directory) / f"{model}.vectors"
        self._lock = threading.Lock()
        self._known: dict[bytes, np.ndarray] = {}
        self._read = 0

    def get(self, contents: Iterable[str]) -> dict[str, np.ndarray]:
        with self._lock:
            self._load()
            return {c: self._known[key] for c in contents if (key := bytes.fromhex(c)) in self._known}

    def put(self, vectors: Mapping[str, np.ndarray]) -> None:
        if not vectors:
            return
        records = np.zeros(len(vectors), dtype=RECORD)
        for position, (content, vector) in enumerate(vectors.items()):
            records[position]["content"] = np.frombuffer(bytes.fromhex(content), dtype=np.uint8)
            records[position]["vector"] = vector
        with self._lock:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("ab") as out:
                out.write(records.tobytes())

    def _load(self) -> None:
        if not self.file.exists():
            return
        size = self.file.stat().st_size // RECORD.itemsize
        if size <= self._read:
            return
        records = np.fromfile(self.file, dtype=RECORD, count=size - self._read, offset=self._read * RECORD.itemsize)
        for record in records:
            self._known[record["content"].tobytes()] = np.array(record["vector"], dtype=np.float32)
        self._read = size
