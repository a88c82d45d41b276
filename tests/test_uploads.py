import io
from pathlib import Path

import pytest
from starlette.datastructures import UploadFile

from app.uploads import UploadRefused, partial_path, publish, safe_original_name, sniff, store_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def upload(data: bytes, name: str = "file.bin") -> UploadFile:
    return UploadFile(io.BytesIO(data), filename=name)


@pytest.mark.parametrize(
    ("data", "expected"),
    [(PNG, "image/png"), (PDF, "application/pdf"), ("Perché non funziona?\n".encode(), "text/plain"),
     (b"MZ\x90\x00\x03" + b"\x00" * 60, None), (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, None)],
)
def test_type_is_sniffed_from_content_not_from_the_name(data: bytes, expected: str | None) -> None:
    assert sniff(data) == expected


async def test_stored_under_a_random_name_with_size(tmp_path: Path) -> None:
    stored = await store_upload(upload(PDF, "../../etc/manuale.pdf"), tmp_path, max_bytes=1000)
    assert stored.original_name == "manuale.pdf" and stored.content_type == "application/pdf"
    assert stored.stored_name != "manuale.pdf" and not (tmp_path / stored.stored_name).exists()
    assert partial_path(tmp_path, stored.stored_name).read_bytes() == PDF  # a stored file only once published
    await publish(tmp_path, [stored])
    assert [p.name for p in tmp_path.iterdir()] == [stored.stored_name]
    assert (tmp_path / stored.stored_name).read_bytes() == PDF
    assert stored.size == len(PDF)


async def test_oversized_and_disallowed_files_leave_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(UploadRefused, match="too large"):
        await store_upload(upload(PDF + b"x" * 5000), tmp_path, max_bytes=1000)
    with pytest.raises(UploadRefused, match="not accepted"):
        await store_upload(upload(b"MZ\x90\x00" + b"\x00" * 100, "virus.pdf"), tmp_path, max_bytes=1000)
    with pytest.raises(UploadRefused, match="empty"):
        await store_upload(upload(b""), tmp_path, max_bytes=1000)
    assert list(tmp_path.iterdir()) == []


def test_original_names_are_cleaned() -> None:
    assert safe_original_name('C:\\Users\\x\\"bad"<name>.txt') == "badname.txt"
    assert safe_original_name("") == "file"
