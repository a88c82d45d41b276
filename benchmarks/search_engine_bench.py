"""Embedded engine: indexing time and query latency on synthetic tickets.

    .venv/bin/python -m benchmarks.search_engine_bench [documents]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from search.embedded import EmbeddedEngine
from search.service import run_search
from search.types import Principal, SearchDocument, SearchQuery

WORDS = (
    "stampante fattura password accesso portale cedolino presenze timbrature errore aggiornamento rete "
    "server backup protocollo firma digitale posta certificata modulo richiesta utente configurazione "
    "installazione licenza database report esportazione importazione sincronizzazione calendario"
).split()
QUERIES = ("stampante", "pasword", "configurazione rete", "busta paga", "sincronizz", "errore aggiornamento server")


def synthetic(n: int, rng: random.Random) -> SearchDocument:
    return SearchDocument(
        id=f"ticket:{n}", kind="ticket", title=" ".join(rng.choices(WORDS, k=6)),
        body=" ".join(rng.choices(WORDS, k=120)), tags=[], category=rng.choice(("rete", "paghe", "")),
        product="", language="it", audience="company", company_id=n % 50 + 1, requester_id=n % 500 + 1,
        status="solved", url=f"/tickets/{n}", updated_at=datetime.now(timezone.utc),
        resolution=" ".join(rng.choices(WORDS, k=20)),
    )


async def main(count: int) -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        engine = EmbeddedEngine(Path(tmp) / "index")
        started = time.perf_counter()
        await engine.rebuild(synthetic(n, rng) for n in range(count))
        print(f"indexed {count} documents in {time.perf_counter() - started:.1f} s")
        for principal in (Principal.staff(1), Principal.requester(7, 8, True)):
            for text in QUERIES:
                timings = []
                for _ in range(20):
                    began = time.perf_counter()
                    await run_search(engine, SearchQuery(text, principal))
                    timings.append((time.perf_counter() - began) * 1000)
                timings.sort()
                role = "staff" if principal.is_staff else "requester"
                print(f"{role:9} {text!r:32} p50 {statistics.median(timings):6.1f} ms  p95 {timings[18]:6.1f} ms")
        await engine.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
