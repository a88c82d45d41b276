"""The promotion rule at service level: one FAQ per ticket even when two people promote at the same moment."""

import asyncio

import pytest
from tortoise.exceptions import IntegrityError

from app.kb.models import Article
from app.settings import Settings
from app.tickets import promote
from app.tickets.forms import PromoteForm
from tests.flows_staff.support import requester, solved_ticket, technician
from tests.kb.support import make_article, make_categories


async def test_two_simultaneous_promotions_make_one_draft(db: None, settings: Settings) -> None:
    await make_categories()
    tech = await technician()
    editor = await technician("redattore@sportello.example", is_technician=False, is_editor=True)
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    ticket = await solved_ticket(settings, anna, tech, "Cedolini bloccati", "Non si stampano.", "Aggiornare il driver.")
    ticket = await promote.Ticket.get(id=ticket.id).select_related("requester")
    form = PromoteForm(title="Cedolini bloccati", question="Non si stampano.", resolution="Aggiornare il driver.",
                       category_key="assistenza")
    results = await asyncio.gather(promote.promote(tech, ticket, form), promote.promote(editor, ticket, form))
    assert sorted(created for _article, created in results) == [False, True]
    assert {article.id for article, _created in results} == {(await Article.get(source_ticket_id=ticket.id)).id}
    assert await Article.all().count() == 1


async def test_the_database_refuses_a_second_article_for_the_same_ticket(db: None, settings: Settings) -> None:
    tech = await technician()
    _company, anna = await requester("Comune di Valdora", "anna@valdora.example", "Anna Verdi")
    ticket = await solved_ticket(settings, anna, tech, "Cedolini bloccati", "Non si stampano.", "Aggiornare il driver.")
    first = await make_article("prima", published=False)
    second = await make_article("seconda", published=False)
    await Article.filter(id=first.id).update(source_ticket_id=ticket.id)
    with pytest.raises(IntegrityError):
        await Article.filter(id=second.id).update(source_ticket_id=ticket.id)
