"""Background jobs stop at shutdown even when a cancellation gets lost on the way."""

import asyncio

from app.jobs import Job, running


async def test_shutdown_ends_a_job_whose_round_swallowed_the_cancellation() -> None:
    rounds = 0

    async def stubborn_round() -> None:
        # What asyncio.wait_for does on Python 3.11 when the cancellation meets a waiter that just fired.
        nonlocal rounds
        rounds += 1
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            return

    async with running([Job("stubborn", stubborn_round, interval=0.01)]):
        await asyncio.sleep(0.05)
    assert rounds == 1  # stopped after the interrupted round instead of starting another
