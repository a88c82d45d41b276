"""Background jobs run inside the app process: each is a coroutine called in a loop until shutdown."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run_once: Callable[[], Awaitable[object]]
    interval: float
    wake: asyncio.Event | None = None  # set it to run the job before the interval ends


async def _loop(job: Job, stopping: asyncio.Event) -> None:
    # `stopping` as well as cancellation: on Python 3.11 asyncio.wait_for can swallow a cancellation that
    # arrives as the awaited event fires, and the loop would then run on and keep shutdown waiting forever.
    while not stopping.is_set():
        try:
            await job.run_once()
        except asyncio.CancelledError:
            raise
        except Exception:  # a job must survive any single failure and try again next round
            log.exception("job %s failed", job.name)
        if job.wake is None:
            await asyncio.sleep(job.interval)
            continue
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.wake.wait(), job.interval)
        job.wake.clear()


@contextlib.asynccontextmanager
async def running(jobs: list[Job]) -> AsyncIterator[None]:
    stopping = asyncio.Event()
    tasks = [asyncio.create_task(_loop(job, stopping), name=job.name) for job in jobs]
    try:
        yield
    finally:
        stopping.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
