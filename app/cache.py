"""Values every page reads and few requests change, kept per process: the small reference tables
(categories, products, SLA plans, closure days) and the webhook events someone listens to.

A change forgets the value in every process: Tortoise's post_save and post_delete signals of the models it is
read from (or an explicit `changed()` after a bulk update, which sends no signal) announce it on the live bus,
which PostgreSQL's LISTEN carries to the other processes. A process that missed an announcement (the `sportello
jobs` process, a dropped LISTEN connection) rereads after `ttl` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.models import Model
from tortoise.signals import post_delete, post_save

from app.live import bus

T = TypeVar("T")
TTL_SECONDS = 30.0
_every: list[Shared[Any]] = []


class Shared(Generic[T]):
    def __init__(self, topic: str, load: Callable[[], Awaitable[T]], *models: type[Model],
                 ttl: float = TTL_SECONDS) -> None:
        self.topic, self.load, self.ttl = topic, load, ttl
        self.value: T | None = None
        self.read_at = 0.0
        self.generation = 0
        bus.on_topic(topic, self.forget)
        if models:
            post_save(*models)(self._saved)
            post_delete(*models)(self._deleted)
        _every.append(self)

    def forget(self) -> None:
        self.value = None
        self.generation += 1

    async def get(self) -> T:
        if isinstance(connections.get("default"), TransactionalDBClient):
            return await self.load()  # a transaction may read what it has not committed: never kept
        if self.value is None or time.monotonic() - self.read_at > self.ttl:
            generation, value = self.generation, await self.load()
            if generation == self.generation:  # not forgotten while it loaded: the value read may be the old one
                self.value, self.read_at = value, time.monotonic()
            return value
        return self.value

    async def changed(self) -> None:
        await bus.announce(self.topic)

    async def _saved(self, *_args: Any) -> None:
        await self.changed()

    async def _deleted(self, *_args: Any) -> None:
        await self.changed()


def forget_all() -> None:
    """Every cached value of this process (the tests empty the database between cases)."""
    for shared in _every:
        shared.forget()
