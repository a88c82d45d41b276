"""A prepared read (app/reads.py) finds what the same Tortoise query finds, with its related rows loaded."""

from app.accounts.models import User
from app.reads import STAND_INS, TEXT_STAND_INS, Prepared
from tests.support import make_company, make_user

BY_EMAIL = Prepared(User, lambda email: User.filter(email=email).select_related("company"), TEXT_STAND_INS[0])
OF_COMPANY_FROM = Prepared(User, lambda company_id, first_id: User.filter(company_id=company_id, id__gte=first_id)
                           .order_by("id"), *STAND_INS[:2])


async def test_a_prepared_read_finds_what_the_orm_finds(db: None) -> None:
    alfa, beta = await make_company("Alfa"), await make_company("Beta")
    mario = await make_user("mario@alfa.example", alfa)
    laura = await make_user("laura@alfa.example", alfa)
    await make_user("piero@beta.example", beta)

    found = await BY_EMAIL.first("laura@alfa.example")
    assert found is not None and found.id == laura.id and found.company.name == "Alfa"
    assert await BY_EMAIL.first("nessuno@alfa.example") is None

    orm = await User.filter(company_id=alfa.id, id__gte=mario.id).order_by("id")
    assert [u.id for u in await OF_COMPANY_FROM.rows(alfa.id, mario.id)] == [u.id for u in orm] == [mario.id, laura.id]
    assert [u.id for u in await OF_COMPANY_FROM.rows(alfa.id, laura.id)] == [laura.id]
    assert await OF_COMPANY_FROM.rows(beta.id + 1000, 0) == []
