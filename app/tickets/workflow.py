"""The ticket workflow as data: (status, actor, event) -> next status, plus what each ticket type may enter.

Derived from the seed "Customer Portal" manual (DESIGN.md, "Ticket workflow"):

    Aperto --take in charge--> Attesa supporto <--ask / reply--> Attesa cliente
    Attesa supporto --start work--> In corso --plan (date agreed)--> Pianificato --resolve--> Risolto
    (needs development) --> Attesa programmazione --resolve--> Risolto
    Risolto --"Ok, risolto" / close / 3 days without interaction--> Chiuso
    Risolto --requester comment--> Attesa supporto
    Bloccato and Non considerare: side states only staff can set.

Decisions the manual leaves open, taken here:
- Chiuso and Non considerare are final: nobody may act on them except staff with REOPEN, which
  returns the ticket to Attesa supporto (a mistaken close or discard must be recoverable without
  opening a new ticket and losing the history).
- A requester comment (CUSTOMER_REPLY) is accepted on every non-final status. It moves the ticket
  only from Attesa cliente and Risolto (back to Attesa supporto); elsewhere the ball is already in
  support's court, so the status stays. The service calls `next_status` for every requester comment.
- The requester may close ("Chiudi questo ticket") from any non-final status, Bloccato included.
- Staff may close a Risolto ticket (the customer confirmed by phone), but cannot close anything else
  directly: an unresolved ticket is either resolved, discarded or closed by its requester.
- Taking in charge is the only way out of Aperto for staff besides BLOCK and DISCARD, because the
  SLA measures the time to take in charge.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from app.tickets.choices import LabelledStrEnum, attach_labels


class Status(LabelledStrEnum):
    APERTO = "aperto"
    ATTESA_SUPPORTO = "attesa_supporto"
    ATTESA_CLIENTE = "attesa_cliente"
    IN_CORSO = "in_corso"
    PIANIFICATO = "pianificato"
    ATTESA_PROGRAMMAZIONE = "attesa_programmazione"
    RISOLTO = "risolto"
    CHIUSO = "chiuso"
    BLOCCATO = "bloccato"
    NON_CONSIDERARE = "non_considerare"


class TicketType(LabelledStrEnum):
    CHIARIMENTO = "chiarimento"
    ANOMALIA = "anomalia"
    RICHIESTA = "richiesta"


class Actor(LabelledStrEnum):
    """Who causes an event: the ticket's requester (or a colleague of his company), support staff, or a job."""

    REQUESTER = "requester"
    STAFF = "staff"
    SYSTEM = "system"


class Event(LabelledStrEnum):
    """What happened to a ticket.

    TAKE_IN_CHARGE     staff takes a new ticket (stops the taking-in-charge SLA): Aperto -> Attesa supporto.
    ASK_CUSTOMER       staff asks the requester for information: -> Attesa cliente.
    CUSTOMER_REPLY     the requester writes a public comment: Attesa cliente / Risolto -> Attesa supporto,
                       other non-final statuses unchanged.
    RESUME             staff puts the ticket back in the support queue (the customer answered by phone,
                       a planned intervention was cancelled): -> Attesa supporto.
    START_WORK         staff starts working on a fault or request: -> In corso.
    PLAN               staff and requester agreed a date for the intervention: -> Pianificato.
    NEEDS_DEVELOPMENT  the fix or request needs software development: -> Attesa programmazione.
    RESOLVE            staff gives the solution: -> Risolto.
    CONFIRM_RESOLVED   the requester confirms the solution ("Ok, risolto"): Risolto -> Chiuso.
    CLOSE              the requester closes his ticket at any time; staff only from Risolto: -> Chiuso.
    AUTO_CLOSE         the system closes a Risolto ticket after AUTO_CLOSE_DAYS (a setting) without interaction.
    BLOCK              staff blocks the ticket for an administrative reason (contract, payment): -> Bloccato.
    UNBLOCK            staff lifts the block: Bloccato -> Attesa supporto.
    DISCARD            staff marks a duplicate or out-of-scope ticket: -> Non considerare.
    REOPEN             staff reopens a Risolto, Chiuso or Non considerare ticket: -> Attesa supporto.
    """

    TAKE_IN_CHARGE = "take_in_charge"
    ASK_CUSTOMER = "ask_customer"
    CUSTOMER_REPLY = "customer_reply"
    RESUME = "resume"
    START_WORK = "start_work"
    PLAN = "plan"
    NEEDS_DEVELOPMENT = "needs_development"
    RESOLVE = "resolve"
    CONFIRM_RESOLVED = "confirm_resolved"
    CLOSE = "close"
    AUTO_CLOSE = "auto_close"
    BLOCK = "block"
    UNBLOCK = "unblock"
    DISCARD = "discard"
    REOPEN = "reopen"


attach_labels(
    Status,
    {
        Status.APERTO: ("Aperto", "Open"),
        Status.ATTESA_SUPPORTO: ("Attesa supporto", "Waiting for support"),
        Status.ATTESA_CLIENTE: ("Attesa cliente", "Waiting for customer"),
        Status.IN_CORSO: ("In corso", "In progress"),
        Status.PIANIFICATO: ("Pianificato", "Scheduled"),
        Status.ATTESA_PROGRAMMAZIONE: ("Attesa programmazione", "Waiting for development"),
        Status.RISOLTO: ("Risolto", "Resolved"),
        Status.CHIUSO: ("Chiuso", "Closed"),
        Status.BLOCCATO: ("Bloccato", "Blocked"),
        Status.NON_CONSIDERARE: ("Non considerare", "Disregarded"),
    },
)
attach_labels(
    TicketType,
    {
        TicketType.CHIARIMENTO: ("Chiarimento", "Question"),
        TicketType.ANOMALIA: ("Anomalia", "Fault"),
        TicketType.RICHIESTA: ("Richiesta", "Request"),
    },
)
attach_labels(
    Actor,
    {
        Actor.REQUESTER: ("Richiedente", "Requester"),
        Actor.STAFF: ("Supporto", "Support"),
        Actor.SYSTEM: ("Sistema", "System"),
    },
)
attach_labels(
    Event,
    {
        Event.TAKE_IN_CHARGE: ("Prendi in carico", "Take in charge"),
        Event.ASK_CUSTOMER: ("Chiedi al cliente", "Ask the customer"),
        Event.CUSTOMER_REPLY: ("Rispondi", "Reply"),
        Event.RESUME: ("Riporta in attesa supporto", "Back to support"),
        Event.START_WORK: ("Inizia lavorazione", "Start work"),
        Event.PLAN: ("Pianifica", "Schedule"),
        Event.NEEDS_DEVELOPMENT: ("Richiede programmazione", "Needs development"),
        Event.RESOLVE: ("Risolvi", "Resolve"),
        Event.CONFIRM_RESOLVED: ("Ok, risolto", "OK, resolved"),
        Event.CLOSE: ("Chiudi questo ticket", "Close this ticket"),
        Event.AUTO_CLOSE: ("Chiusura automatica", "Automatic close"),
        Event.BLOCK: ("Blocca", "Block"),
        Event.UNBLOCK: ("Sblocca", "Unblock"),
        Event.DISCARD: ("Non considerare", "Disregard"),
        Event.REOPEN: ("Riapri", "Reopen"),
    },
)

# ---- status groups (what queues and lists need) ----

FINAL_STATUSES: frozenset[Status] = frozenset({Status.CHIUSO, Status.NON_CONSIDERARE})
CLOSED_STATUSES = FINAL_STATUSES
OPEN_STATUSES: frozenset[Status] = frozenset(Status) - FINAL_STATUSES
# The ball is in support's court: these statuses make up the technicians' queue.
WAITING_FOR_STAFF: frozenset[Status] = frozenset(
    {Status.APERTO, Status.ATTESA_SUPPORTO, Status.IN_CORSO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE}
)
# The ball is in the requester's court: an answer or a confirmation is expected.
WAITING_FOR_REQUESTER: frozenset[Status] = frozenset({Status.ATTESA_CLIENTE, Status.RISOLTO})
NOT_TAKEN_IN_CHARGE: frozenset[Status] = frozenset({Status.APERTO})
STAFF_ONLY_STATUSES: frozenset[Status] = frozenset({Status.BLOCCATO, Status.NON_CONSIDERARE})

# ---- the table ----

_WORKING = (Status.ATTESA_SUPPORTO, Status.IN_CORSO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE)
_ACTIVE = (Status.APERTO, *_WORKING, Status.ATTESA_CLIENTE)
_NON_FINAL = tuple(status for status in Status if status not in FINAL_STATUSES)

# (from statuses, actor, event, to status); a `None` target means "stays where it is".
_Rule = tuple[Iterable[Status], Actor, Event, Status | None]
_RULES: tuple[_Rule, ...] = (
    ((Status.APERTO,), Actor.STAFF, Event.TAKE_IN_CHARGE, Status.ATTESA_SUPPORTO),
    (_WORKING, Actor.STAFF, Event.ASK_CUSTOMER, Status.ATTESA_CLIENTE),
    ((Status.ATTESA_CLIENTE, Status.RISOLTO), Actor.REQUESTER, Event.CUSTOMER_REPLY, Status.ATTESA_SUPPORTO),
    ((Status.APERTO, *_WORKING, Status.BLOCCATO), Actor.REQUESTER, Event.CUSTOMER_REPLY, None),
    (
        (Status.ATTESA_CLIENTE, Status.IN_CORSO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE),
        Actor.STAFF,
        Event.RESUME,
        Status.ATTESA_SUPPORTO,
    ),
    (
        (Status.ATTESA_SUPPORTO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE),
        Actor.STAFF,
        Event.START_WORK,
        Status.IN_CORSO,
    ),
    ((Status.IN_CORSO, Status.ATTESA_PROGRAMMAZIONE), Actor.STAFF, Event.PLAN, Status.PIANIFICATO),
    (
        (Status.ATTESA_SUPPORTO, Status.IN_CORSO, Status.PIANIFICATO),
        Actor.STAFF,
        Event.NEEDS_DEVELOPMENT,
        Status.ATTESA_PROGRAMMAZIONE,
    ),
    ((*_WORKING, Status.ATTESA_CLIENTE), Actor.STAFF, Event.RESOLVE, Status.RISOLTO),
    ((Status.RISOLTO,), Actor.REQUESTER, Event.CONFIRM_RESOLVED, Status.CHIUSO),
    (_NON_FINAL, Actor.REQUESTER, Event.CLOSE, Status.CHIUSO),
    ((Status.RISOLTO,), Actor.STAFF, Event.CLOSE, Status.CHIUSO),
    ((Status.RISOLTO,), Actor.SYSTEM, Event.AUTO_CLOSE, Status.CHIUSO),
    (_ACTIVE, Actor.STAFF, Event.BLOCK, Status.BLOCCATO),
    ((Status.BLOCCATO,), Actor.STAFF, Event.UNBLOCK, Status.ATTESA_SUPPORTO),
    (_NON_FINAL, Actor.STAFF, Event.DISCARD, Status.NON_CONSIDERARE),
    ((Status.RISOLTO, *FINAL_STATUSES), Actor.STAFF, Event.REOPEN, Status.ATTESA_SUPPORTO),
)


def _expand(rules: Iterable[_Rule]) -> dict[tuple[Status, Actor, Event], Status]:
    table: dict[tuple[Status, Actor, Event], Status] = {}
    for sources, actor, event, target in rules:
        for source in sources:
            key = (source, actor, event)
            if key in table:
                raise ValueError(f"duplicate workflow rule {key}")
            table[key] = source if target is None else target
    return table


TRANSITIONS: Mapping[tuple[Status, Actor, Event], Status] = _expand(_RULES)

# Statuses a ticket of the given type may never enter: a question is answered, not worked on or planned.
FORBIDDEN_STATUSES: Mapping[TicketType, frozenset[Status]] = {
    TicketType.CHIARIMENTO: frozenset({Status.IN_CORSO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE}),
    TicketType.ANOMALIA: frozenset(),
    TicketType.RICHIESTA: frozenset(),
}


class TransitionRefused(ValueError):
    """The workflow does not allow this event, by this actor, on a ticket of this type in this status."""

    def __init__(self, status: Status, actor: Actor, event: Event, ticket_type: TicketType | None = None) -> None:
        self.status = status
        self.actor = actor
        self.event = event
        self.ticket_type = ticket_type
        kind = f" on a ticket of type {ticket_type.value}" if ticket_type is not None else ""
        super().__init__(f"{actor.value} may not {event.value}{kind} in status {status.value}")


def _target(status: Status, actor: Actor, event: Event, ticket_type: TicketType) -> Status | None:
    target = TRANSITIONS.get((status, actor, event))
    if target is None or target in FORBIDDEN_STATUSES[ticket_type]:
        return None
    return target


def next_status(status: Status, actor: Actor, event: Event, ticket_type: TicketType) -> Status:
    """The status after `event`; raises TransitionRefused when the workflow does not allow it."""
    target = _target(status, actor, event, ticket_type)
    if target is None:
        raise TransitionRefused(status, actor, event, ticket_type)
    return target


def can(status: Status, actor: Actor, event: Event, ticket_type: TicketType) -> bool:
    return _target(status, actor, event, ticket_type) is not None


def allowed_events(status: Status, actor: Actor, ticket_type: TicketType) -> list[Event]:
    """Events this actor may cause now, in declaration order (CUSTOMER_REPLY is the comment form, not a button)."""
    return [event for event in Event if can(status, actor, event, ticket_type)]


def is_open(status: Status) -> bool:
    return status in OPEN_STATUSES


def is_final(status: Status) -> bool:
    return status in FINAL_STATUSES


def changes_status(status: Status, actor: Actor, event: Event, ticket_type: TicketType) -> bool:
    """Whether an allowed event really moves the ticket (a comment on In corso does not): worth a history row."""
    return next_status(status, actor, event, ticket_type) != status


def auto_close_due(
    status: Status, ticket_type: TicketType, last_interaction_at: datetime, now: datetime, after: timedelta
) -> bool:
    """Whether the system may close this ticket now: the table allows AUTO_CLOSE from its status and
    nobody touched it for `after` (the AUTO_CLOSE_DAYS setting, read by the caller)."""
    return can(status, Actor.SYSTEM, Event.AUTO_CLOSE, ticket_type) and now - last_interaction_at >= after


def reachable_statuses(start: Status, ticket_type: TicketType, actors: Iterable[Actor] = tuple(Actor)) -> set[Status]:
    """Every status reachable from `start` (itself included) by events of the given actors."""
    allowed_actors = frozenset(actors)
    seen = {start}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for actor in allowed_actors:
            for event in allowed_events(current, actor, ticket_type):
                target = next_status(current, actor, event, ticket_type)
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    return seen
