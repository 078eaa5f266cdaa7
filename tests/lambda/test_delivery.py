"""What happens to a batch after its invocation, and when invocations happen: deletion,
retries after the visibility timeout, the dead-letter queue, stepping through due moments
inside one advance(), and the controls (run_due, disable, enable, delete)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from conftest import START, Recorder, arn, at, create, with_dead_letter_queue

from pytest_fakesqs import FakeSQS, Invocation

pytestmark = pytest.mark.fake_sqs(freeze=START)


def process_order(event: dict[str, Any], context: Any) -> None:
    for record in event["Records"]:
        if json.loads(record["body"])["id"] == "bad":
            raise ValueError("cannot process order bad")


def test_a_poison_message_lands_in_the_dlq_after_max_receive_count_invocations(
    fake_sqs: FakeSQS, sqs: Any
):
    url = with_dead_letter_queue(sqs, "orders", 3)
    mapping = fake_sqs.event_source_mapping(
        "orders", process_order, batch_size=10, report_batch_item_failures=True
    )
    sqs.send_message(QueueUrl=url, MessageBody='{"id": "bad"}')

    done = fake_sqs.run_until(
        lambda: fake_sqs.queue("orders-dlq").messages, within=timedelta(hours=1)
    )

    assert [i.event["Records"][0]["body"] for i in mapping.invocations] == ['{"id": "bad"}'] * 3
    assert [i.time for i in mapping.invocations] == [at(0), at(30), at(60)]
    assert [
        i.event["Records"][0]["attributes"]["ApproximateReceiveCount"] for i in mapping.invocations
    ] == ["1", "2", "3"]
    # The fourth receive, when the third visibility timeout ends, moves it instead.
    assert done == at(90)
    (dead,) = fake_sqs.queue("orders-dlq").messages
    assert (dead.body, dead.receive_count, dead.dead_letter_source_arn) == (
        '{"id": "bad"}',
        3,
        arn("orders"),
    )
    assert [str(i.error) for i in mapping.invocations] == ["cannot process order bad"] * 3
    assert (
        mapping.invocations[0].failure == "the handler raised ValueError: cannot process order bad"
    )


def test_a_normal_return_deletes_the_whole_batch(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder("anything")
    mapping = fake_sqs.event_source_mapping("orders", handler)
    sent = [sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")["MessageId"] for n in range(3)]

    (invocation,) = fake_sqs.run_due()

    assert invocation.result == "anything"
    assert (invocation.error, invocation.failure, invocation.succeeded) == (None, None, True)
    assert invocation.deleted == tuple(sent)
    assert invocation.retried == ()
    assert invocation.message_ids == sent
    assert [m.message_id for m in fake_sqs.queue("orders").deleted] == sent
    assert len(fake_sqs.queue("orders")) == 0
    assert mapping.invocations == [invocation]


def test_a_raising_handler_leaves_every_message_for_a_retry_after_the_visibility_timeout(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders", VisibilityTimeout=45)
    handler = Recorder(RuntimeError("database down"), None)
    mapping = fake_sqs.event_source_mapping("orders", handler)
    for n in range(2):
        sqs.send_message(QueueUrl=url, MessageBody=f"m{n}")

    first = fake_sqs.run_due()
    assert [m.state for m in fake_sqs.queue("orders").messages] == ["in_flight"] * 2
    assert first[0].retried == tuple(first[0].message_ids)
    assert first[0].deleted == ()

    fake_sqs.advance(44)
    assert len(mapping.invocations) == 1
    fake_sqs.advance(1)

    assert handler.batches == [["m0", "m1"], ["m0", "m1"]]
    assert [i.time for i in mapping.invocations] == [at(0), at(45)]
    assert [r["attributes"]["ApproximateReceiveCount"] for r in handler.events[1]["Records"]] == [
        "2",
        "2",
    ]
    assert len(fake_sqs.queue("orders")) == 0


def test_one_advance_runs_every_invocation_due_on_the_way(fake_sqs: FakeSQS, sqs: Any):
    url = with_dead_letter_queue(sqs, "orders", 5, VisibilityTimeout=10)
    mapping = fake_sqs.event_source_mapping("orders", process_order)
    sqs.send_message(QueueUrl=url, MessageBody='{"id": "bad"}', DelaySeconds=5)

    fake_sqs.advance(3600)

    assert [i.time for i in mapping.invocations] == [at(5), at(15), at(25), at(35), at(45)]
    assert fake_sqs.queue("orders-dlq").bodies == ['{"id": "bad"}']
    assert fake_sqs.now == at(3600)


def test_the_pollers_calls_are_not_in_the_journal_but_the_handlers_are(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    shipped = create(sqs, "shipped")

    def ship(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            sqs.send_message(QueueUrl=shipped, MessageBody=record["body"])

    fake_sqs.event_source_mapping("orders", ship)
    fake_sqs.calls.clear()
    sqs.send_message(QueueUrl=url, MessageBody="order 1")

    fake_sqs.advance(1)

    assert fake_sqs.calls.operations == ["SendMessage", "SendMessage"]
    assert fake_sqs.queue("shipped").bodies == ["order 1"]


def test_next_change_is_now_while_a_mapping_has_work_and_advance_to_next_change_runs_it(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders", VisibilityTimeout=20, MessageRetentionPeriod=600)
    mapping = fake_sqs.event_source_mapping("orders", Recorder(ValueError("no")))
    sqs.send_message(QueueUrl=url, MessageBody="m")

    assert fake_sqs.next_change_at == START
    assert fake_sqs.advance_to_next_change() == START
    assert len(mapping.invocations) == 1
    assert fake_sqs.next_change_at == at(20)  # the message comes back
    assert fake_sqs.advance_to_next_change() == at(20)
    assert len(mapping.invocations) == 2
    assert mapping.invocations[1].time == at(20)


def test_nothing_runs_until_the_test_moves_time_or_calls_run_due(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    mapping = fake_sqs.event_source_mapping("orders", Recorder())
    sqs.send_message(QueueUrl=url, MessageBody="m")

    assert mapping.invocations == []
    assert fake_sqs.run_due() == mapping.invocations
    assert fake_sqs.run_due() == []
    assert fake_sqs.now == START


def test_advance_zero_runs_what_is_due_now(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    mapping = fake_sqs.event_source_mapping("orders", Recorder())
    sqs.send_message(QueueUrl=url, MessageBody="m")

    fake_sqs.advance(0)

    assert [i.time for i in mapping.invocations] == [START]


def test_disable_enable_and_delete(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping("orders", handler, enabled=False)
    sqs.send_message(QueueUrl=url, MessageBody="m1")

    fake_sqs.advance(10)
    assert (mapping.enabled, handler.batches) == (False, [])
    assert fake_sqs.next_change_at is not None and fake_sqs.next_change_at > at(10)

    mapping.enable()
    fake_sqs.advance(1)
    assert (mapping.enabled, handler.batches) == (True, [["m1"]])

    mapping.disable()
    sqs.send_message(QueueUrl=url, MessageBody="m2")
    fake_sqs.advance(1)
    assert handler.batches == [["m1"]]

    mapping.enable()
    mapping.delete()
    fake_sqs.advance(1)
    assert (mapping.enabled, handler.batches, fake_sqs.event_source_mappings) == (
        False,
        [["m1"]],
        [],
    )
    with pytest.raises(RuntimeError) as excinfo:
        mapping.enable()
    assert str(excinfo.value) == f"event source mapping {mapping.uuid} was deleted"


def test_a_deleted_queue_stops_its_mapping_quietly(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    mapping = fake_sqs.event_source_mapping("orders", Recorder())
    sqs.delete_queue(QueueUrl=url)

    fake_sqs.advance(60)

    assert mapping.invocations == []
    with pytest.raises(LookupError) as excinfo:
        mapping.queue  # noqa: B018
    assert str(excinfo.value) == f"the queue {arn('orders')} of this mapping was deleted"


def test_a_handler_may_call_sqs_and_make_another_mapping(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    audit = create(sqs, "audit")
    audited = Recorder()

    def first(event: dict[str, Any], context: Any) -> None:
        if not fake_sqs.event_source_mappings[1:]:
            fake_sqs.event_source_mapping("audit", audited)
        sqs.send_message(QueueUrl=audit, MessageBody="seen " + event["Records"][0]["body"])

    fake_sqs.event_source_mapping("orders", first)
    sqs.send_message(QueueUrl=url, MessageBody="o1")

    fake_sqs.run_due()

    # The new mapping runs at the same moment, in the same run_due().
    assert audited.batches == [["seen o1"]]


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda fake: fake.advance(1), "advance()"),
        (lambda fake: fake.advance_to_next_change(), "advance_to_next_change()"),
        (lambda fake: fake.run_until(lambda: True), "run_until()"),
        (lambda fake: fake.run_due(), "run_due()"),
    ],
)
def test_a_handler_cannot_move_the_clock(fake_sqs: FakeSQS, sqs: Any, call: Any, name: str):
    url = create(sqs, "orders")
    mapping = fake_sqs.event_source_mapping("orders", lambda event, context: call(fake_sqs))
    sqs.send_message(QueueUrl=url, MessageBody="m")

    (invocation,) = fake_sqs.run_due()

    assert isinstance(invocation.error, RuntimeError)
    assert str(invocation.error) == (
        f"{name} was called from inside an event source mapping's handler: the fake's clock "
        "moves only between invocations. Move it from the test instead."
    )
    assert fake_sqs.now == START
    assert mapping.invocations == [invocation]


def test_a_handler_that_keeps_feeding_its_own_queue_is_stopped(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "loop")

    def echo(event: dict[str, Any], context: Any) -> None:
        sqs.send_message(QueueUrl=url, MessageBody="again")

    from pytest_fakesqs._lambda import _scheduler

    fake_sqs.event_source_mapping("loop", echo)
    sqs.send_message(QueueUrl=url, MessageBody="start")
    original = _scheduler.MAX_ROUNDS
    _scheduler.MAX_ROUNDS = 50
    try:
        with pytest.raises(RuntimeError) as excinfo:
            fake_sqs.advance(1)
    finally:
        _scheduler.MAX_ROUNDS = original

    assert str(excinfo.value) == (
        "the event source mappings still had work after 50 poll rounds at one moment of fake "
        "time: a handler keeps sending to its own queue, or failed messages come straight back "
        "(VisibilityTimeout 0) with no dead-letter queue"
    )


def test_restore_drops_a_batch_being_gathered(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, maximum_batching_window=10)
    before = fake_sqs.snapshot()
    sqs.send_message(QueueUrl=url, MessageBody="gathered, then undone")
    fake_sqs.advance(5)  # received into the window's batch

    fake_sqs.restore(before)
    sqs.send_message(QueueUrl=url, MessageBody="after the restore")
    fake_sqs.advance(10)

    assert handler.batches == [["after the restore"]]


def test_invocations_are_listed_oldest_first_across_mappings_by_run_due(
    fake_sqs: FakeSQS, sqs: Any
):
    a = create(sqs, "a")
    b = create(sqs, "b")
    first = fake_sqs.event_source_mapping("a", Recorder())
    second = fake_sqs.event_source_mapping("b", Recorder())
    sqs.send_message(QueueUrl=b, MessageBody="to b")
    sqs.send_message(QueueUrl=a, MessageBody="to a")

    ran: list[Invocation] = fake_sqs.run_due()

    assert ran == [*first.invocations, *second.invocations]
    assert [i.bodies for i in ran] == [["to a"], ["to b"]]


def test_handlers_run_without_the_fakes_lock(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    audit = create(sqs, "audit")

    def handler(event: dict[str, Any], context: Any) -> None:
        # Another thread's call must get through while the handler waits for it.
        sender = threading.Thread(
            target=lambda: sqs.send_message(QueueUrl=audit, MessageBody="from a thread")
        )
        sender.start()
        # real-time: waits only for that one send; a held lock would make it time out.
        sender.join(timeout=10)
        assert not sender.is_alive()

    fake_sqs.event_source_mapping("orders", handler)
    sqs.send_message(QueueUrl=url, MessageBody="m")

    (invocation,) = fake_sqs.run_due()

    assert invocation.error is None
    assert fake_sqs.queue("audit").bodies == ["from a thread"]
