"""The ticket workflow, exhaustively: every status x actor x event x type, the design's rules, and walks."""

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.i18n import set_locale
from app.tickets.choices import LabelledStrEnum, Priority, Severity
from app.tickets.workflow import (
    CLOSED_STATUSES,
    FINAL_STATUSES,
    FORBIDDEN_STATUSES,
    OPEN_STATUSES,
    STAFF_ONLY_STATUSES,
    TRANSITIONS,
    WAITING_FOR_REQUESTER,
    WAITING_FOR_STAFF,
    Actor,
    Event,
    Status,
    TicketType,
    TransitionRefused,
    allowed_events,
    auto_close_due,
    can,
    changes_status,
    is_final,
    is_open,
    next_status,
    reachable_statuses,
)

ALL_CASES = list(product(Status, Actor, Event, TicketType))
CLOSING_EVENTS = {Event.CONFIRM_RESOLVED, Event.CLOSE, Event.AUTO_CLOSE}
QUESTION_ONLY_FORBIDDEN = {Status.IN_CORSO, Status.PIANIFICATO, Status.ATTESA_PROGRAMMAZIONE}

# The design's sentences, one row each, written independently of the table in workflow.py.
DESIGNED_MOVES = [
    (Status.APERTO, Actor.STAFF, Event.TAKE_IN_CHARGE, TicketType.ANOMALIA, Status.ATTESA_SUPPORTO),
    (Status.APERTO, Actor.STAFF, Event.TAKE_IN_CHARGE, TicketType.CHIARIMENTO, Status.ATTESA_SUPPORTO),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.ASK_CUSTOMER, TicketType.RICHIESTA, Status.ATTESA_CLIENTE),
    (Status.ATTESA_CLIENTE, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.RICHIESTA, Status.ATTESA_SUPPORTO),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.START_WORK, TicketType.ANOMALIA, Status.IN_CORSO),
    (Status.IN_CORSO, Actor.STAFF, Event.PLAN, TicketType.ANOMALIA, Status.PIANIFICATO),
    (Status.PIANIFICATO, Actor.STAFF, Event.RESOLVE, TicketType.ANOMALIA, Status.RISOLTO),
    (Status.IN_CORSO, Actor.STAFF, Event.NEEDS_DEVELOPMENT, TicketType.RICHIESTA, Status.ATTESA_PROGRAMMAZIONE),
    (Status.ATTESA_PROGRAMMAZIONE, Actor.STAFF, Event.RESOLVE, TicketType.RICHIESTA, Status.RISOLTO),
    (Status.RISOLTO, Actor.REQUESTER, Event.CONFIRM_RESOLVED, TicketType.ANOMALIA, Status.CHIUSO),
    (Status.RISOLTO, Actor.SYSTEM, Event.AUTO_CLOSE, TicketType.CHIARIMENTO, Status.CHIUSO),
    (Status.RISOLTO, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA, Status.ATTESA_SUPPORTO),
    (Status.IN_CORSO, Actor.REQUESTER, Event.CLOSE, TicketType.ANOMALIA, Status.CHIUSO),
    (Status.APERTO, Actor.REQUESTER, Event.CLOSE, TicketType.CHIARIMENTO, Status.CHIUSO),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.RESOLVE, TicketType.CHIARIMENTO, Status.RISOLTO),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.ASK_CUSTOMER, TicketType.CHIARIMENTO, Status.ATTESA_CLIENTE),
    (Status.IN_CORSO, Actor.STAFF, Event.BLOCK, TicketType.ANOMALIA, Status.BLOCCATO),
    (Status.BLOCCATO, Actor.STAFF, Event.UNBLOCK, TicketType.ANOMALIA, Status.ATTESA_SUPPORTO),
    (Status.APERTO, Actor.STAFF, Event.DISCARD, TicketType.RICHIESTA, Status.NON_CONSIDERARE),
    (Status.CHIUSO, Actor.STAFF, Event.REOPEN, TicketType.ANOMALIA, Status.ATTESA_SUPPORTO),
    (Status.IN_CORSO, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA, Status.IN_CORSO),
]

DESIGNED_REFUSALS = [
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.START_WORK, TicketType.CHIARIMENTO),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.NEEDS_DEVELOPMENT, TicketType.CHIARIMENTO),
    (Status.APERTO, Actor.REQUESTER, Event.TAKE_IN_CHARGE, TicketType.ANOMALIA),
    (Status.APERTO, Actor.STAFF, Event.RESOLVE, TicketType.ANOMALIA),
    (Status.IN_CORSO, Actor.REQUESTER, Event.BLOCK, TicketType.ANOMALIA),
    (Status.IN_CORSO, Actor.REQUESTER, Event.DISCARD, TicketType.ANOMALIA),
    (Status.ATTESA_SUPPORTO, Actor.SYSTEM, Event.AUTO_CLOSE, TicketType.ANOMALIA),
    (Status.ATTESA_SUPPORTO, Actor.STAFF, Event.CLOSE, TicketType.ANOMALIA),
    (Status.CHIUSO, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA),
    (Status.CHIUSO, Actor.REQUESTER, Event.REOPEN, TicketType.ANOMALIA),
    (Status.CHIUSO, Actor.REQUESTER, Event.CLOSE, TicketType.ANOMALIA),
    (Status.NON_CONSIDERARE, Actor.REQUESTER, Event.CLOSE, TicketType.RICHIESTA),
    (Status.RISOLTO, Actor.STAFF, Event.CONFIRM_RESOLVED, TicketType.ANOMALIA),
    (Status.ATTESA_CLIENTE, Actor.REQUESTER, Event.CONFIRM_RESOLVED, TicketType.ANOMALIA),
]


@pytest.mark.parametrize(("status", "actor", "event", "ticket_type"), ALL_CASES)
def test_every_combination_is_either_a_valid_move_or_a_refusal(
    status: Status, actor: Actor, event: Event, ticket_type: TicketType
) -> None:
    table_before = dict(TRANSITIONS)
    offered = event in allowed_events(status, actor, ticket_type)
    try:
        result = next_status(status, actor, event, ticket_type)
    except TransitionRefused as refusal:
        refused = (refusal.status, refusal.actor, refusal.event, refusal.ticket_type)
        assert refused == (status, actor, event, ticket_type)
        assert not offered and not can(status, actor, event, ticket_type)
    else:
        assert isinstance(result, Status)
        assert result not in FORBIDDEN_STATUSES[ticket_type]
        assert offered and can(status, actor, event, ticket_type)
        assert result == TRANSITIONS[(status, actor, event)]
    assert dict(TRANSITIONS) == table_before


def test_the_table_size_per_actor() -> None:
    per_actor = {actor: sum(1 for (_, who, _) in TRANSITIONS if who is actor) for actor in Actor}
    assert per_actor == {Actor.STAFF: 41, Actor.REQUESTER: 17, Actor.SYSTEM: 1}
    assert len(TRANSITIONS) == 59


@pytest.mark.parametrize(("status", "actor", "event", "ticket_type", "expected"), DESIGNED_MOVES)
def test_designed_moves(status: Status, actor: Actor, event: Event, ticket_type: TicketType, expected: Status) -> None:
    assert next_status(status, actor, event, ticket_type) is expected


@pytest.mark.parametrize(("status", "actor", "event", "ticket_type"), DESIGNED_REFUSALS)
def test_designed_refusals(status: Status, actor: Actor, event: Event, ticket_type: TicketType) -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, actor, event, ticket_type)
    message = str(refused.value)
    assert actor.value in message and event.value in message and status.value in message
    assert ticket_type.value in message
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("final", sorted(FINAL_STATUSES))
def test_final_statuses_only_accept_a_staff_reopen(final: Status) -> None:
    for ticket_type in TicketType:
        moves = {(actor, event) for actor in Actor for event in allowed_events(final, actor, ticket_type)}
        assert moves == {(Actor.STAFF, Event.REOPEN)}
        assert next_status(final, Actor.STAFF, Event.REOPEN, ticket_type) is Status.ATTESA_SUPPORTO


def test_chiuso_is_entered_only_by_closing_events() -> None:
    entering = {event for (_, _, event), target in TRANSITIONS.items() if target is Status.CHIUSO}
    assert entering == CLOSING_EVENTS
    assert {actor for (_, actor, event) in TRANSITIONS if event is Event.AUTO_CLOSE} == {Actor.SYSTEM}
    assert {event for (_, actor, event) in TRANSITIONS if actor is Actor.SYSTEM} == {Event.AUTO_CLOSE}


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_requester_may_close_from_every_non_final_status(status: Status) -> None:
    for ticket_type in TicketType:
        assert next_status(status, Actor.REQUESTER, Event.CLOSE, ticket_type) is Status.CHIUSO


def test_requester_never_moves_a_ticket_into_a_staff_only_status() -> None:
    for (source, actor, _), target in TRANSITIONS.items():
        if actor is not Actor.STAFF and target in STAFF_ONLY_STATUSES:
            assert target is source
    for ticket_type in TicketType:
        by_requester = reachable_statuses(Status.APERTO, ticket_type, actors=(Actor.REQUESTER, Actor.SYSTEM))
        assert by_requester == {Status.APERTO, Status.CHIUSO}
        assert reachable_statuses(Status.BLOCCATO, ticket_type, actors=(Actor.REQUESTER,)) == {
            Status.BLOCCATO,
            Status.CHIUSO,
        }


def test_a_question_never_enters_work_planning_or_development() -> None:
    assert FORBIDDEN_STATUSES[TicketType.CHIARIMENTO] == QUESTION_ONLY_FORBIDDEN
    for status, actor, event in product(Status, Actor, Event):
        if can(status, actor, event, TicketType.CHIARIMENTO):
            assert next_status(status, actor, event, TicketType.CHIARIMENTO) not in QUESTION_ONLY_FORBIDDEN
    reachable = reachable_statuses(Status.APERTO, TicketType.CHIARIMENTO)
    assert reachable == set(Status) - QUESTION_ONLY_FORBIDDEN
    assert allowed_events(Status.ATTESA_SUPPORTO, Actor.STAFF, TicketType.CHIARIMENTO) == [
        Event.ASK_CUSTOMER,
        Event.RESOLVE,
        Event.BLOCK,
        Event.DISCARD,
    ]


@pytest.mark.parametrize("ticket_type", [TicketType.ANOMALIA, TicketType.RICHIESTA])
def test_faults_and_requests_can_reach_every_status(ticket_type: TicketType) -> None:
    assert reachable_statuses(Status.APERTO, ticket_type) == set(Status)


@pytest.mark.parametrize(("status", "ticket_type"), list(product(sorted(OPEN_STATUSES), TicketType)))
def test_every_open_status_has_a_path_to_chiuso(status: Status, ticket_type: TicketType) -> None:
    assert Status.CHIUSO in reachable_statuses(status, ticket_type)
    # Even when the requester never answers, support and the auto-close job get there.
    assert Status.CHIUSO in reachable_statuses(status, ticket_type, actors=(Actor.STAFF, Actor.SYSTEM))


def test_status_groups_partition_the_statuses() -> None:
    assert OPEN_STATUSES | CLOSED_STATUSES == set(Status)
    assert not OPEN_STATUSES & CLOSED_STATUSES
    assert CLOSED_STATUSES == {Status.CHIUSO, Status.NON_CONSIDERARE}
    assert not WAITING_FOR_STAFF & WAITING_FOR_REQUESTER
    assert WAITING_FOR_STAFF | WAITING_FOR_REQUESTER <= OPEN_STATUSES
    assert Status.BLOCCATO not in WAITING_FOR_STAFF | WAITING_FOR_REQUESTER
    assert [status for status in Status if is_open(status)] == [s for s in Status if s not in CLOSED_STATUSES]
    assert [status for status in Status if is_final(status)] == [Status.CHIUSO, Status.NON_CONSIDERARE]


def test_changes_status_tells_a_comment_from_a_move() -> None:
    assert not changes_status(Status.IN_CORSO, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA)
    assert changes_status(Status.ATTESA_CLIENTE, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA)
    with pytest.raises(TransitionRefused):
        changes_status(Status.CHIUSO, Actor.REQUESTER, Event.CUSTOMER_REPLY, TicketType.ANOMALIA)


def test_auto_close_is_due_after_three_days_on_risolto() -> None:
    resolved_at = datetime(2026, 11, 20, 10, tzinfo=UTC)
    three = timedelta(days=3)
    assert auto_close_due(Status.RISOLTO, TicketType.ANOMALIA, resolved_at, resolved_at + three, three)
    assert not auto_close_due(Status.RISOLTO, TicketType.ANOMALIA, resolved_at,
                              resolved_at + three - timedelta(seconds=1), three)
    assert not auto_close_due(Status.ATTESA_CLIENTE, TicketType.ANOMALIA, resolved_at,
                              resolved_at + timedelta(days=30), three)


@pytest.mark.parametrize(("status", "ticket_type"), list(product(Status, TicketType)))
def test_auto_close_is_due_exactly_where_the_table_lets_the_system_close(
    status: Status, ticket_type: TicketType
) -> None:
    quiet_since = datetime(2026, 11, 20, 10, tzinfo=UTC)
    one_day = timedelta(days=1)
    due = auto_close_due(status, ticket_type, quiet_since, quiet_since + one_day, one_day)
    assert due == ((status, Actor.SYSTEM, Event.AUTO_CLOSE) in TRANSITIONS)
    assert not auto_close_due(status, ticket_type, quiet_since, quiet_since + one_day / 2, one_day)


def test_status_labels_are_the_portal_words() -> None:
    assert [status.label_it for status in Status] == [
        "Aperto",
        "Attesa supporto",
        "Attesa cliente",
        "In corso",
        "Pianificato",
        "Attesa programmazione",
        "Risolto",
        "Chiuso",
        "Bloccato",
        "Non considerare",
    ]
    assert Event.CONFIRM_RESOLVED.label_it == "Ok, risolto"
    assert Event.CLOSE.label_en == "Close this ticket"


@pytest.mark.parametrize("enum_class", [Status, TicketType, Actor, Event, Priority, Severity])
def test_every_value_is_stable_ascii_with_distinct_labels_in_both_languages(enum_class: type[LabelledStrEnum]) -> None:
    for member in enum_class:
        assert member.value.isascii() and member.value == member.value.lower() and " " not in member.value
    for locale in ("it", "en"):
        labels = [member.label_for(locale) for member in enum_class]
        assert all(labels) and len(set(labels)) == len(labels)


def test_label_follows_the_request_locale() -> None:
    try:
        set_locale("en")
        assert Status.ATTESA_CLIENTE.label == "Waiting for customer"
    finally:
        set_locale("it")
    assert Status.ATTESA_CLIENTE.label == "Attesa cliente"
    assert TicketType.choices("en") == [("chiarimento", "Question"), ("anomalia", "Fault"), ("richiesta", "Request")]
