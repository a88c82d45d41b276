"""Who may do what to which resource: the portal's one permission API.

`allowed(user, action, resource)` answers every question of access. The route table guards each route
with an action (app/routing.py), templates ask `can(action, resource)`, services call `allowed` or
`require`, and the search principal (app/searching/principal.py) is built from `SEARCH_EVERYTHING`.

An action names the roles that may ever do it (an area: the queues, the editor) and, for actions on a
resource, a rule for that one resource. The rules that also exist as database filters (the tickets a
user sees, the articles and documents he may read) live beside their filter in the domain's access
module, so the two are read together; nothing else decides.

Roles: anyone (also visitors), signed-in, requester, technician, editor, admin (holds every staff role).
Editors write the knowledge base and turn solved tickets into FAQ: they read every ticket, internal
notes included, but act on none (no comments, notes, status changes, assignment, work log).
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from starlette.exceptions import HTTPException

from app.accounts.models import Role, User
from app.kb import access as kb_access
from app.tickets import access as ticket_access


class Action(StrEnum):
    BROWSE = "browse"  # public pages: the knowledge base, documents, login
    USE_PORTAL = "use-portal"  # any signed-in page
    OPEN_TICKET = "open-ticket"
    OPEN_TICKET_FOR_OTHERS = "open-ticket-for-others"  # the phone channel: staff open for a requester
    SUGGEST_ARTICLE = "suggest-article"
    SEE_OWN_COMPANY = "see-own-company"
    WORK_QUEUES = "work-queues"
    SEE_DASHBOARD = "see-dashboard"
    SEE_SEARCH_INSIGHTS = "see-search-insights"
    EDIT_KB = "edit-kb"
    MANAGE_DOCUMENTS = "manage-documents"
    SHARE_FILES = "share-files"
    ADMINISTER = "administer"
    SEARCH_EVERYTHING = "search-everything"  # every document and internal notes, in search
    VIEW_TICKET = "view-ticket"
    COMMENT_TICKET = "comment-ticket"  # public comments and attachments
    CHANGE_TICKET_STATUS = "change-ticket-status"  # which events, the workflow decides
    READ_INTERNAL_NOTES = "read-internal-notes"
    WRITE_INTERNAL_NOTE = "write-internal-note"
    WORK_TICKET = "work-ticket"  # assign, edit details, log work, mark duplicates
    PROMOTE_TICKET = "promote-ticket"  # turn a solved ticket into an FAQ draft
    RATE_TICKET = "rate-ticket"  # the requester's satisfaction with his closed ticket
    SEE_RATING = "see-rating"
    READ_ARTICLE = "read-article"
    SEE_ARTICLE_FEEDBACK = "see-article-feedback"
    READ_DOCUMENT = "read-document"
    DELETE_DOCUMENT = "delete-document"
    MANAGE_CONTRACTS = "manage-contracts"  # SLA plans and service contracts
    SEE_CONTRACTS = "see-contracts"  # a company's contracts and balances: its own people and staff
    SEE_CALENDAR = "see-calendar"  # the interventions' calendar and one's own iCalendar feed
    PLAN_INTERVENTION = "plan-intervention"  # propose, move, finish, cancel an intervention; its expenses
    ANSWER_INTERVENTION = "answer-intervention"  # the requester side confirms or asks to move one


ANYONE = "anyone"
SIGNED_IN = "signed-in"
STAFF = frozenset({Role.TECHNICIAN, Role.EDITOR, Role.ADMIN})
TECHNICIANS = frozenset({Role.TECHNICIAN, Role.ADMIN})
EDITORS = frozenset({Role.EDITOR, Role.ADMIN})

ResourceRule = Callable[[User | None, Any], bool]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    resource: ResourceRule | None = None  # None: holding one of the roles is enough


def _is_technician(user: User | None, _resource: Any) -> bool:
    return user is not None and user.has_role(Role.TECHNICIAN)


def _comments(user: User | None, ticket: Any) -> bool:
    return user is not None and (user.has_role(Role.TECHNICIAN) or ticket_access.can_see(user, ticket))


def _sees_ticket(user: User | None, ticket: Any) -> bool:
    return user is not None and ticket_access.can_see(user, ticket)


def _rates(user: User | None, ticket: Any) -> bool:
    return user is not None and ticket_access.can_rate(user, ticket)


def _sees_contracts(user: User | None, company: Any) -> bool:
    return user is not None and (user.is_staff or (user.company_id is not None and user.company_id == company.id))


def _deletes_document(user: User | None, document: Any) -> bool:
    return user is not None and kb_access.can_delete_document(user, document)


RULES: dict[Action, Rule] = {
    Action.BROWSE: Rule(frozenset({ANYONE})),
    Action.USE_PORTAL: Rule(frozenset({SIGNED_IN})),
    Action.OPEN_TICKET: Rule(frozenset({Role.REQUESTER, *TECHNICIANS})),
    Action.OPEN_TICKET_FOR_OTHERS: Rule(TECHNICIANS),
    Action.SUGGEST_ARTICLE: Rule(frozenset({SIGNED_IN})),
    Action.SEE_OWN_COMPANY: Rule(frozenset({SIGNED_IN})),
    Action.WORK_QUEUES: Rule(TECHNICIANS),
    Action.SEE_DASHBOARD: Rule(TECHNICIANS),
    Action.SEE_SEARCH_INSIGHTS: Rule(EDITORS),
    Action.EDIT_KB: Rule(EDITORS),
    Action.MANAGE_DOCUMENTS: Rule(STAFF),
    Action.SHARE_FILES: Rule(frozenset({Role.REQUESTER}), lambda user, _r: kb_access.can_share_with_support(user)),
    Action.ADMINISTER: Rule(frozenset({Role.ADMIN})),
    Action.SEARCH_EVERYTHING: Rule(STAFF),
    Action.VIEW_TICKET: Rule(frozenset({Role.REQUESTER, *STAFF}), _sees_ticket),
    Action.COMMENT_TICKET: Rule(frozenset({Role.REQUESTER, *TECHNICIANS}), _comments),
    Action.CHANGE_TICKET_STATUS: Rule(frozenset({Role.REQUESTER, *TECHNICIANS}), _comments),
    Action.READ_INTERNAL_NOTES: Rule(STAFF),
    Action.WRITE_INTERNAL_NOTE: Rule(TECHNICIANS, _is_technician),
    Action.WORK_TICKET: Rule(TECHNICIANS, _is_technician),
    Action.PROMOTE_TICKET: Rule(frozenset({*TECHNICIANS, *EDITORS})),
    Action.RATE_TICKET: Rule(frozenset({Role.REQUESTER}), _rates),
    Action.SEE_RATING: Rule(STAFF),
    Action.READ_ARTICLE: Rule(frozenset({ANYONE}), kb_access.can_read_article),
    Action.SEE_ARTICLE_FEEDBACK: Rule(EDITORS),
    Action.READ_DOCUMENT: Rule(frozenset({ANYONE}), kb_access.can_read_document),
    Action.DELETE_DOCUMENT: Rule(frozenset({SIGNED_IN}), _deletes_document),
    Action.MANAGE_CONTRACTS: Rule(frozenset({Role.ADMIN})),
    Action.SEE_CONTRACTS: Rule(frozenset({Role.REQUESTER, *STAFF}), _sees_contracts),
    Action.SEE_CALENDAR: Rule(TECHNICIANS),
    Action.PLAN_INTERVENTION: Rule(TECHNICIANS, _is_technician),
    Action.ANSWER_INTERVENTION: Rule(frozenset({Role.REQUESTER}), _sees_ticket),
}


def roles_of(user: User | None) -> frozenset[str]:
    """The roles `user` acts with. A person who holds no staff role is a requester (a customer contact)."""
    if user is None:
        return VISITOR
    return _acting_roles(user.roles)


VISITOR = frozenset({ANYONE})


@lru_cache(maxsize=16)
def _acting_roles(roles: frozenset[Role]) -> frozenset[str]:
    held = set(roles) | (set(Role) - {Role.REQUESTER} if Role.ADMIN in roles else set())  # as User.has_role
    if not held & STAFF:
        held.add(Role.REQUESTER)
    return frozenset({ANYONE, SIGNED_IN, *held})


def allowed(user: User | None, action: Action, resource: Any = None) -> bool:
    """Whether `user` (None: a visitor) may do `action`, to `resource` when the action has one."""
    rule = RULES[action]
    if rule.roles.isdisjoint(roles_of(user)):
        return False
    return resource is None or rule.resource is None or rule.resource(user, resource)


def require(user: User | None, action: Action, resource: Any = None) -> None:
    """`allowed` or 404: what is not yours to touch does not exist for you."""
    if not allowed(user, action, resource):
        raise HTTPException(status_code=404)
