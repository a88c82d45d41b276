"""Property-based access tests: whatever a requester asks, nothing of others leaks.

One random world (companies, users, tickets, knowledge) is indexed once per engine; hypothesis
then draws callers and queries. An independent oracle (`may_see`, written from the rules, not
from search.access) decides what each caller may see.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.engine import SearchEngine
from search.service import run_search
from search.types import Principal, SearchDocument, SearchQuery
from tests.search.conftest import dispose, make_doc, open_engine

COMPANIES = (1, 2, 3)
USERS = {uid: COMPANIES[uid % 3] for uid in range(1, 10)}  # user id -> company
SHARED_WORDS = ("stampante", "fattura", "portale")
KINDS = ("faq", "manual_page", "document", "ticket")
AUDIENCES = ("public", "customers", "company", "staff")


def marker(n: int) -> str:
    """A word unique to document n, far from the other markers (no typo or prefix overlap)."""
    letters = "bcdfghlmnpqrstvz"
    return "xq" + "".join(letters[(n >> shift) & 15] * 2 for shift in (0, 4, 8))


def staff_marker(n: int) -> str:
    """Letters disjoint from `marker`'s, so no typo budget bridges the two."""
    letters = "aeioujky"
    return "w" + "".join(letters[(n >> shift) & 7] * 2 for shift in (0, 3, 6, 9))


def build_world(seed: int = 7, size: int = 90) -> list[SearchDocument]:
    rng = random.Random(seed)
    docs = []
    for n in range(size):
        kind = KINDS[n % 4]
        audience = rng.choice(AUDIENCES)
        company = rng.choice((*COMPANIES, None)) if kind != "ticket" else rng.choice(COMPANIES)
        requester = rng.choice([u for u, c in USERS.items() if c == company]) if kind == "ticket" else None
        docs.append(make_doc(
            f"{kind}:{n}", f"{rng.choice(SHARED_WORDS)} {marker(n)}",
            f"Testo {marker(n)} con {rng.choice(SHARED_WORDS)} e {rng.choice(SHARED_WORDS)}.",
            kind=kind, audience=audience, company_id=company, requester_id=requester,
            category=rng.choice(("rete", "contabilita", "")), status=rng.choice(("published", "solved", "open")),
            staff_body=f"nota interna {staff_marker(n)}", resolution=f"risolto {rng.choice(SHARED_WORDS)}",
        ))
    return docs


def may_see(principal: Principal, doc: SearchDocument) -> bool:
    if principal.is_staff:
        return True
    if doc.audience == "staff":
        return False
    if doc.kind == "ticket":
        if principal.user_id is None:
            return False
        mine = doc.requester_id == principal.user_id
        company = principal.sees_company_tickets and doc.company_id == principal.company_id
        return mine or company
    if doc.audience == "public":
        return True
    if principal.user_id is None:
        return False
    if doc.audience == "customers":
        return True
    return doc.company_id is not None and doc.company_id == principal.company_id


WORLD = build_world()
BY_ID = {doc.id: doc for doc in WORLD}

principals = st.one_of(
    st.just(Principal.anonymous()),
    st.builds(
        lambda uid, sees, lang: Principal.requester(uid, USERS[uid], sees, lang),
        st.sampled_from(sorted(USERS)), st.booleans(), st.sampled_from(("it", "en")),
    ),
    # a user without a company, or whose company has no documents at all
    st.builds(lambda uid, company: Principal.requester(uid, company, True), st.integers(10, 12), st.sampled_from((None, 99))),
)
documents = st.sampled_from(WORLD)


@pytest.fixture(params=["embedded", "meilisearch"])
async def world(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = await open_engine(request.param, tmp_path)
    await engine.upsert(WORLD)
    yield engine
    await dispose(engine)


def assert_no_leak(principal: Principal, result, limit: int) -> None:  # type: ignore[no-untyped-def]
    for hit in result.hits:
        doc = BY_ID[hit.id]
        assert may_see(principal, doc), f"{principal} sees {hit.id}"
        visible_text = f"{hit.title_html} {hit.snippet_html} {hit.fields}"
        assert not any(staff_marker(n) in visible_text for n in range(len(WORLD))), "staff_body text leaked"
        assert "staff_body" not in hit.fields
    if result.total <= limit:
        assert result.total == len(result.hits)
    for name, counts in result.facets.items():
        assert sum(counts.values()) <= result.total, name


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(principal=principals, doc=documents, staff_text=st.booleans())
async def test_markers_of_forbidden_documents_find_nothing(
    world: SearchEngine, principal: Principal, doc: SearchDocument, staff_text: bool
) -> None:
    word = staff_marker(int(doc.id.split(":")[1])) if staff_text else marker(int(doc.id.split(":")[1]))
    result = await run_search(world, SearchQuery(word + " ", principal, limit=100))
    assert_no_leak(principal, result, 100)
    found = [hit.id for hit in result.hits]
    if staff_text or not may_see(principal, doc):
        assert found == [] and result.total == 0
        assert all(not counts for counts in result.facets.values())
    else:
        assert found == [doc.id]


@SETTINGS
@given(
    principal=principals,
    text=st.sampled_from(("", *SHARED_WORDS, "stampante fattura", "nota interna", "risolto")),
    kinds=st.sampled_from(((), ("ticket",), ("faq", "document"))),
)
async def test_totals_and_facets_count_only_what_the_caller_may_see(
    world: SearchEngine, principal: Principal, text: str, kinds: tuple[str, ...]
) -> None:
    result = await run_search(world, SearchQuery(text, principal, kinds=kinds, limit=100))
    assert_no_leak(principal, result, 100)
    if text == "":
        expected = [d for d in WORLD if may_see(principal, d) and (not kinds or d.kind in kinds)]
        assert result.total == len(expected)
        for field in ("kind", "category", "status"):
            counted: dict[str, int] = {}
            for d in expected:
                if getattr(d, field):
                    counted[getattr(d, field)] = counted.get(getattr(d, field), 0) + 1
            assert result.facets[field] == counted


@SETTINGS
@given(principal=principals, doc=documents)
async def test_similar_never_reveals_forbidden_documents(world: SearchEngine, principal: Principal, doc: SearchDocument) -> None:
    query = SearchQuery("", principal, limit=100)
    from_id = await world.similar(doc.id, query)
    assert_no_leak(principal, from_id, 100)
    if not may_see(principal, doc):
        assert from_id.hits == [] and from_id.total == 0
    from_text = await world.similar(f"{doc.title} {doc.staff_body}", query)
    assert_no_leak(principal, from_text, 100)


def test_staff_sees_everything_in_the_world() -> None:
    assert all(may_see(Principal.staff(1), doc) for doc in WORLD)
    assert len({marker(n) for n in range(len(WORLD))}) == len(WORLD)
