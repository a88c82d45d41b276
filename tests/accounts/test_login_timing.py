"""A failed login costs one argon2 verification whatever the account: time does not tell which accounts exist."""

import httpx
import pytest
from argon2 import PasswordHasher

from app import security
from app.accounts.models import User
from tests.support import make_company, make_user


class CountingHasher(PasswordHasher):
    """The real hasher, counting its verifications."""

    calls = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        CountingHasher.calls += 1
        return super().verify(hash, password)


async def failed_login_verifications(client: httpx.AsyncClient, email: str) -> int:
    before = CountingHasher.calls
    response = await client.post("/login", data={"email": email, "password": "a guess at the password"})
    assert response.status_code == 400
    return CountingHasher.calls - before


async def test_real_passwordless_and_unknown_accounts_cost_the_same(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "_hasher", CountingHasher())
    company = await make_company()
    await make_user("real@example.it", company)
    invited = await make_user("invited@example.it", company)
    await User.filter(id=invited.id).update(password_hash=None)  # approved, has not set a password yet
    counts = [await failed_login_verifications(client, email)
              for email in ("real@example.it", "invited@example.it", "nobody@example.it")]
    assert counts == [1, 1, 1]


def test_an_account_without_a_hash_never_matches_the_dummy() -> None:
    assert not security.verify_password(None, "") and not security.verify_password("", "anything")
