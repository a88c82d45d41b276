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
                 ttl: float = TTL_SECONDS, kept_from_transactions: bool = False) -> None:
        """`kept_from_transactions`: a value read inside a transaction may be kept, because no transaction that
        reads it writes its rows."""
        self.topic, self.load, self.ttl = topic, load, ttl
        self.kept_from_transactions = kept_from_transactions
        self.value: T | None = None
        self.read_at = 0.0
        self.generation = 0
        bus.on_topic(topic, self.forget)
        if models:
            post_save(*models)(self._announce)
            post_delete(*models)(self._announce)
        _every.append(self)

    def forget(self) -> None:
        self.value = None
        self.generation += 1

    async def get(self) -> T:
        if self.value is not None and time.monotonic() - self.read_at <= self.ttl:
            return self.value
        generation, value = self.generation, await self.load()
        # Kept unless it was forgotten meanwhile (what was read may be the old value) or read by a transaction
        # (which sees what it has not committed yet).
        if generation == self.generation and (self.kept_from_transactions or not _in_transaction()):
            self.value, self.read_at = value, time.monotonic()
        return value

    async def changed(self) -> None:
        await bus.announce(self.topic)

    async def _announce(self, *_signal: Any) -> None:
        await self.changed()


def _in_transaction() -> bool:
    return isinstance(connections.get("default"), TransactionalDBClient)


def forget_all() -> None:
    """Every cached value of this process (the tests empty the database between cases)."""
    for shared in _every:
        shared.forget()
