"""Call `enqueue` inside the transaction of every write that changes searchable content."""

import asyncio

from app.searching.models import IndexTask

index_work_queued = asyncio.Event()


async def enqueue(source: str, object_id: int | str) -> None:
    await IndexTask.create(source=source, object_id=str(object_id))
    index_work_queued.set()
