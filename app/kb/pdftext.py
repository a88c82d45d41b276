"""Extract the text of a PDF page by page (pypdf, no OCR) off the event loop."""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError


class PdfError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PdfText:
    pages: list[str]
    has_text: bool


async def extract_pdf_pages(path: Path) -> PdfText:
    """Text of every page, in order; ``has_text`` is False for scanned (image-only) PDFs."""
    return await asyncio.to_thread(_extract_sync, path)


def _extract_sync(path: Path) -> PdfText:
    try:
        reader = PdfReader(path, strict=False)
        # Permission-only encryption (empty user password) still lets anyone read the text.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PdfError(f"{path.name}: the PDF is encrypted or password-protected; upload an unprotected copy")
        pages = [_normalise(page.extract_text() or "") for page in reader.pages]
    except PdfError:
        raise
    except DependencyError as error:
        # AES-encrypted files need the optional 'cryptography' package even with an empty password.
        raise PdfError(f"{path.name}: the PDF is encrypted and cannot be read ({error})") from error
    except FileNotFoundError as error:
        raise PdfError(f"{path.name}: file not found") from error
    except Exception as error:
        # Untrusted uploads make pypdf fail in many ways (PyPdfError, ValueError, KeyError,
        # NotImplementedError for exotic filters…): for the caller they all mean "unreadable".
        raise PdfError(f"{path.name}: the file is damaged or is not a valid PDF ({error})") from error
    return PdfText(pages=pages, has_text=any(pages))


def _normalise(text: str) -> str:
    # NFKC turns typographic ligatures (U+FB01 "ﬁ") back into letters, so "notiﬁche" matches "notifiche".
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFKC", text).splitlines())
    return "\n".join(line for line in lines if line)
