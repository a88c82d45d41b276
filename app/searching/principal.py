"""The caller as the search layer sees it: built from the user in this one place."""

from app.accounts.models import User
from app.permissions import Action, allowed
from search.types import Principal


def principal_for(user: User | None) -> Principal:
    if user is None:
        return Principal.anonymous()
    if allowed(user, Action.SEARCH_EVERYTHING):
        return Principal.staff(user.id, language=user.locale)
    company_shares = bool(user.company and user.company.shares_tickets)
    return Principal(
        user_id=user.id,
        company_id=user.company_id,
        is_staff=False,
        sees_company_tickets=company_shares and user.sees_company_tickets,
        language=user.locale,
    )
