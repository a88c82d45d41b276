"""Background work of field service: the cleanup of the receipts folder (stored by app/uploads.py)."""

from app.field.models import Expense
from app.field.service import receipts_dir
from app.jobs import Job
from app.settings import Settings
from app.uploads import Sweep, sweep

RECEIPT_CLEANUP_INTERVAL_SECONDS = 900.0  # as the other upload folders' cleanup


async def _known(names: list[str]) -> set[str]:
    return set(await Expense.filter(receipt_name__in=names).values_list("receipt_name", flat=True))


async def clean_receipts(settings: Settings, now: float | None = None) -> Sweep:
    return await sweep(receipts_dir(settings), _known, now)


def jobs(settings: Settings) -> list[Job]:
    return [Job("receipt-cleanup", lambda: clean_receipts(settings), interval=RECEIPT_CLEANUP_INTERVAL_SECONDS)]
