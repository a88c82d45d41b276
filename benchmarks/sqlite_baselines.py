"""The same corpus and queries through SQL LIKE and SQLite FTS5 (bm25), for comparison.

Both apply the same access rules as the search layer (a requester sees public and customer
knowledge and his own, or his company's, tickets) and return a total and the first page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from search.embedded_schema import tokenize_plain
from search.lexicon import ENGLISH_STOP_WORDS, ITALIAN_STOP_WORDS
from search.types import Principal, SearchDocument

STOP_WORDS = ITALIAN_STOP_WORDS | ENGLISH_STOP_WORDS
SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, kind TEXT, audience TEXT, company_id INTEGER,
                   requester_id INTEGER, updated_at TEXT, title TEXT, body TEXT);
CREATE VIRTUAL TABLE docs_fts USING fts5(title, body, content='docs', content_rowid='rowid',
                                         tokenize='unicode61 remove_diacritics 2');
"""


def build(path: Path, docs: Iterable[SearchDocument]) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    rows = (
        (d.id, d.kind, d.audience, d.company_id, d.requester_id, d.updated_at.isoformat(), d.title,
         f"{d.body} {d.resolution}")
        for d in docs
    )
    connection.executemany(
        "INSERT INTO docs (id, kind, audience, company_id, requester_id, updated_at, title, body) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows,
    )
    connection.execute("INSERT INTO docs_fts (docs_fts) VALUES ('rebuild')")
    connection.commit()
    return connection


def words(text: str) -> list[str]:
    tokens = tokenize_plain(text)
    kept = [t for t in tokens if t not in STOP_WORDS]
    return (kept or tokens)[:10]


def access_sql(principal: Principal) -> tuple[str, list[object]]:
    if principal.is_staff:
        return "1", []
    if principal.user_id is None:
        return "(d.kind != 'ticket' AND d.audience = 'public')", []
    own = "d.requester_id = ?"
    values: list[object] = [principal.company_id or -1, principal.user_id]
    if principal.sees_company_tickets and principal.company_id is not None:
        own = "(d.requester_id = ? OR d.company_id = ?)"
        values.append(principal.company_id)
    knowledge = "(d.kind != 'ticket' AND (d.audience IN ('public', 'customers') OR (d.audience = 'company' AND d.company_id = ?)))"
    return f"({knowledge} OR (d.kind = 'ticket' AND {own}))", values


def like_search(connection: sqlite3.Connection, text: str, principal: Principal, limit: int = 10) -> tuple[int, list[str]]:
    """Any word anywhere in title or body ('%word%', OR), newest first."""
    terms = words(text)
    if not terms:
        return 0, []
    matches = " OR ".join("d.title LIKE ? OR d.body LIKE ?" for _ in terms)
    patterns = [p for t in terms for p in (f"%{t}%", f"%{t}%")]
    allowed, values = access_sql(principal)
    where = f"({matches}) AND {allowed}"
    total = connection.execute(f"SELECT count(*) FROM docs d WHERE {where}", [*patterns, *values]).fetchone()[0]
    page = connection.execute(
        f"SELECT d.id FROM docs d WHERE {where} ORDER BY d.updated_at DESC LIMIT ?", [*patterns, *values, limit]
    ).fetchall()
    return total, [row[0] for row in page]


def fts_search(
    connection: sqlite3.Connection, text: str, principal: Principal, prefix_last: bool, limit: int = 10
) -> tuple[int, list[str]]:
    """Words OR-ed (the last one as a prefix while typing), ranked by bm25 with the title weighing 4."""
    terms = words(text)
    if not terms:
        return 0, []
    quoted = [f'"{t}"' for t in terms]
    if prefix_last and not text.endswith(" "):
        quoted[-1] += "*"
    match = " OR ".join(quoted)
    allowed, values = access_sql(principal)
    join = f"FROM docs_fts JOIN docs d ON d.rowid = docs_fts.rowid WHERE docs_fts MATCH ? AND {allowed}"
    total = connection.execute(f"SELECT count(*) {join}", [match, *values]).fetchone()[0]
    page = connection.execute(
        f"SELECT d.id {join} ORDER BY bm25(docs_fts, 4.0, 1.0) LIMIT ?", [match, *values, limit]
    ).fetchall()
    return total, [row[0] for row in page]
