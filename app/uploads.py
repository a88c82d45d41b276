"""Uploaded files: streamed to disk under DATA_DIR with a size cap, a random name and a sniffed type.

Routes parse multipart bodies with `request.form(max_part_size=...)`; Starlette spools each file to a
temporary file, and `store_upload` copies it in chunks, so a large upload never sits in memory.

A file is written under a partial name (`<stored name>.partial`) and becomes a stored file only by `publish`,
which callers run once the row that names it is committed. So a process killed mid-copy or before its commit
leaves only a partial file, and `sweep` (a background job) removes partials older than an hour and stored
files no row names.
"""

import contextlib
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import aiofiles
import aiofiles.os
import filetype
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse

from app.i18n import N_

CHUNK = 256 * 1024
TEXT_SNIFF_BYTES = 4096
PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_SECONDS = 3600.0  # far beyond any upload's copy and commit: older partials belong to no request

# Sniffed MIME type → extension kept on disk. Office documents are zip containers and sniff as such.
ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/zip": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "text/plain": "txt",
}
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


class UploadRefused(ValueError):
    """The file is too large, empty or of a type we do not accept; the message is an English msgid."""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str  # random, relative to the upload directory
    original_name: str
    content_type: str
    size: int


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a multi-byte character cut by the sniff window
    return True


def sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime if kind.mime in ALLOWED_TYPES else None
    return "text/plain" if head and _looks_like_text(head[:TEXT_SNIFF_BYTES]) else None


def safe_original_name(name: str | None) -> str:
    base = Path((name or "file").replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>:|?*').strip() or "file"
    return cleaned[-180:]


async def store_upload(upload: UploadFile, directory: Path, max_bytes: int) -> StoredFile:
    """Copy the upload to `directory` under a random partial name; nothing is left behind when it is refused.
    Call `publish` once the row naming it is committed."""
    await upload.seek(0)
    head = await upload.read(8192)
    if not head:
        raise UploadRefused(N_("The file is empty."))
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused(N_("This type of file is not accepted."))
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
    target = partial_path(directory, stored_name)
    size = 0
    try:
        async with aiofiles.open(target, "wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRefused(N_("The file is too large."))
                await out.write(chunk)
                chunk = await upload.read(CHUNK)
    except BaseException:
        await aiofiles.os.remove(target)
        raise
    return StoredFile(stored_name, safe_original_name(upload.filename), content_type, size)


def partial_path(directory: Path, stored_name: str) -> Path:
    return directory / f"{Path(stored_name).name}{PARTIAL_SUFFIX}"


async def publish(directory: Path, stored: Iterable[StoredFile]) -> None:
    """Turn partial files into stored ones; an atomic rename, so a reader sees the whole file or none."""
    for item in stored:
        await aiofiles.os.replace(partial_path(directory, item.stored_name), directory / item.stored_name)


async def remove_stored(directory: Path, stored_name: str) -> None:
    for path in (directory / Path(stored_name).name, partial_path(directory, stored_name)):
        if path.exists():
            await aiofiles.os.remove(path)


KnownNames = Callable[[list[str]], Awaitable[set[str]]]


@dataclass(frozen=True)
class Sweep:
    removed: list[str]
    published: list[str]  # partials whose row had committed before the process died: kept, under their name


async def sweep(directory: Path, known: KnownNames, now: float | None = None,
                partial_max_age: float = STALE_PARTIAL_SECONDS) -> Sweep:
    """Remove the files of `directory` that no request will ever finish: partials older than
    `partial_max_age` whose row never committed, and stored files that `known` (stored names -> those a row
    names) does not know. The folder is listed before the rows are read: a file published after its commit
    is then always known."""
    if not directory.is_dir():
        return Sweep([], [])
    moment = time.time() if now is None else now
    files = [entry for entry in os.scandir(directory) if entry.is_file()]
    stale = [e for e in files if e.name.endswith(PARTIAL_SUFFIX) and moment - e.stat().st_mtime > partial_max_age]
    stored = [e.name for e in files if not e.name.endswith(PARTIAL_SUFFIX)]
    finished = [e.name.removesuffix(PARTIAL_SUFFIX) for e in stale]
    named = await known(stored + finished)
    removed = [name for name in stored if name not in named]
    published = [name for name in finished if name in named and not (directory / name).exists()]
    removed += [f"{name}{PARTIAL_SUFFIX}" for name in finished if name not in published]
    await publish(directory, (StoredFile(name, name, "", 0) for name in published))
    for name in removed:
        with contextlib.suppress(FileNotFoundError):
            await aiofiles.os.remove(directory / name)
    return Sweep(removed, published)


def serve_stored(directory: Path, stored: StoredFile, *, inline_allowed: bool = True) -> FileResponse:
    """Images and PDF open in the browser; everything else downloads. Never sniffed by the browser."""
    inline = inline_allowed and stored.content_type in INLINE_TYPES
    return FileResponse(
        directory / Path(stored.stored_name).name,
        media_type=stored.content_type,
        filename=stored.original_name,
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"},
    )
