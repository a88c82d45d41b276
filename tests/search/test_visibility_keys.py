"""Visibility keys are `access.visibility_filter` precomputed: the same documents, for every caller."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.access import admits, document_keys, principal_keys, shares_key, visibility_filter
from search.types import AUDIENCES, KINDS, Principal, SearchDocument
from tests.search.conftest import make_doc

ids = st.one_of(st.none(), st.integers(1, 4))  # database ids start at 1

documents = st.builds(
    lambda kind, audience, company, requester: make_doc(
        f"{kind}:1", "titolo", kind=kind, audience=audience, company_id=company, requester_id=requester
    ),
    st.sampled_from(KINDS + ("attachment",)), st.sampled_from(AUDIENCES + ("nobody",)), ids, ids,
)

principals = st.one_of(
    st.just(Principal.anonymous()),
    st.builds(Principal.staff, st.integers(1, 4)),
    st.builds(Principal.requester, st.integers(1, 4), ids, st.booleans()),
)


@settings(max_examples=2000)
@given(principal=principals, doc=documents)
def test_shared_keys_admit_exactly_what_the_visibility_filter_admits(principal: Principal, doc: SearchDocument) -> None:
    assert shares_key(principal, doc) == admits(visibility_filter(principal), doc)


def test_keys_of_the_usual_documents_and_callers() -> None:
    ticket = make_doc("ticket:1", "x", audience="company", company_id=3, requester_id=9)
    assert document_keys(ticket) == ("requester:9", "company_tickets:3")
    assert document_keys(make_doc("faq:1", "x", audience="company", company_id=3)) == ("company:3",)
    assert document_keys(make_doc("faq:2", "x", audience="staff")) == ()
    assert principal_keys(Principal.anonymous()) == ("public",)
    assert principal_keys(Principal.staff(1)) is None
    assert principal_keys(Principal.requester(9, 3, sees_company_tickets=True)) == (
        "public", "customers", "requester:9", "company:3", "company_tickets:3",
    )
