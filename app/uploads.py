"""Uploaded files: streamed to disk under DATA_DIR with a size cap, a random name and a sniffed type.

Routes parse multipart bodies with `request.form(max_part_size=...)`; Starlette spools each file to a
temporary file, and `store_upload` copies it in chunks, so a large upload never sits in memory.
"""

import secrets
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
    """Copy the upload to `directory` under a random name; nothing is left behind when it is refused."""
    await upload.seek(0)
    head = await upload.read(8192)
    if not head:
        raise UploadRefused(N_("The file is empty."))
    content_type = sniff(head)
    if content_type is None:
        raise UploadRefused(N_("This type of file is not accepted."))
    directory.mkdir(parents=True, exist_ok=True)
    stored_name = f"{secrets.token_hex(16)}.{ALLOWED_TYPES[content_type]}"
    target = directory / stored_name
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


async def remove_stored(directory: Path, stored_name: str) -> None:
    path = directory / Path(stored_name).name
    if path.exists():
        await aiofiles.os.remove(path)


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
