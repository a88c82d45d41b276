"""What a killed upload leaves behind is removed by the cleanup job; live files stay (a real process killed
with SIGKILL mid-copy, the real database and folders)."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.datastructures import UploadFile

from app.kb.documents import documents_dir
from app.settings import Settings
from app.tickets import service
from app.tickets.jobs import clean_uploads, jobs
from app.tickets.models import Attachment, Ticket
from app.uploads import PARTIAL_SUFFIX
from tests.tickets.helpers import open_ticket, people

pytestmark = pytest.mark.usefixtures("db")

# Streams stdin into the folder as an upload would, and never gets to a commit: it is killed mid-copy.
UPLOADER = """
import asyncio, sys
from pathlib import Path
from starlette.datastructures import UploadFile
from app.uploads import store_upload
class Body:  # a request body arriving over the network: read as it comes, already at its start
    def read(self, size=-1):
        return sys.stdin.buffer.read1(size)
    def seek(self, offset, whence=0):
        return 0
asyncio.run(store_upload(UploadFile(Body(), filename="grande.txt"), Path(sys.argv[1]), 10**9))
"""
HOUR = 3600.0


def killed_mid_upload(folder: Path) -> Path:
    """Start a real upload in another process, and kill it once part of the file is on disk."""
    process = subprocess.Popen([sys.executable, "-c", UPLOADER, str(folder)], stdin=subprocess.PIPE,
                               cwd=Path(__file__).resolve().parents[2])
    assert process.stdin is not None
    process.stdin.write(b"riga di log\n" * 40_000)  # ~480 KB: more than one chunk, and the stream stays open
    process.stdin.flush()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        partial = [p for p in folder.glob(f"*{PARTIAL_SUFFIX}") if p.stat().st_size > 0] if folder.exists() else []
        if partial:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert partial, "the uploader wrote nothing"
    return partial[0]


async def test_a_killed_upload_is_cleaned_up_and_live_files_are_kept(settings: Settings) -> None:
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await service.add_attachments(settings, mario, await Ticket.get(id=ticket.id),
                                  [UploadFile(io.BytesIO(b"log vivo\n"), filename="vivo.txt")])
    live = settings.data_dir / "attachments" / (await Attachment.get(ticket_id=ticket.id)).stored_name
    assert live.read_bytes() == b"log vivo\n" and not list(live.parent.glob(f"*{PARTIAL_SUFFIX}"))

    left_behind = killed_mid_upload(live.parent)
    orphan = live.parent / "0123456789abcdef0123456789abcdef.txt"  # a stored file whose row is gone
    orphan.write_bytes(b"nessuno")
    manual = documents_dir(settings) / "fedcba9876543210fedcba9876543210.pdf.partial"
    manual.parent.mkdir(parents=True, exist_ok=True)
    manual.write_bytes(b"%PDF-1.4 interrotto")

    await clean_uploads(settings)  # the partials are younger than an hour: an upload may still be running
    assert left_behind.exists() and manual.exists() and live.exists() and not orphan.exists()

    (job,) = [job for job in jobs(settings) if job.name == "upload-cleanup"]
    an_hour_ago = time.time() - HOUR - 60
    for path in (left_behind, manual):
        os.utime(path, (an_hour_ago, an_hour_ago))
    await job.run_once()
    assert not left_behind.exists() and not manual.exists()
    assert live.read_bytes() == b"log vivo\n"
    assert sorted(p.name for p in live.parent.iterdir()) == [live.name]


async def test_a_partial_whose_row_committed_is_kept_under_its_name(settings: Settings) -> None:
    """The process died between its commit and the rename: the cleanup finishes the rename, losing nothing."""
    _company, mario, _laura, _tech = await people()
    ticket = await open_ticket(settings, mario)
    await service.add_attachments(settings, mario, await Ticket.get(id=ticket.id),
                                  [UploadFile(io.BytesIO(b"quasi pubblicato\n"), filename="quasi.txt")])
    stored = settings.data_dir / "attachments" / (await Attachment.get(ticket_id=ticket.id)).stored_name
    partial = stored.with_name(stored.name + PARTIAL_SUFFIX)
    stored.rename(partial)
    (sweep, _documents) = await clean_uploads(settings, now=time.time() + 2 * HOUR)
    assert sweep.published == [stored.name] and sweep.removed == []
    assert stored.read_bytes() == b"quasi pubblicato\n" and not partial.exists()
