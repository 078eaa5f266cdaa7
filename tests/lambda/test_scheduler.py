"""The interface the time-travel code (and the long polls) use: ``engine.event_sources``,
with ``next_due_at(now)`` under the engine's lock and ``run_due()`` outside it."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import START, T0, Recorder, at, create

from pytest_fakesqs import FakeSQS

pytestmark = pytest.mark.fake_sqs(freeze=START)


def next_due(fake: FakeSQS) -> float | None:
    engine = fake.engine
    with engine.lock:
        return engine.event_sources.next_due_at(engine.now())


def test_without_mappings_nothing_is_due_and_nothing_runs(fake_sqs: FakeSQS):
    sources = fake_sqs.engine.event_sources

    assert (bool(sources), next_due(fake_sqs), sources.run_due()) == (False, None, False)


def test_next_due_at_is_now_while_a_message_waits_then_when_one_may_come_back(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders", VisibilityTimeout=40)
    fake_sqs.event_source_mapping("orders", Recorder(ValueError("retry me")))
    sources = fake_sqs.engine.event_sources
    assert next_due(fake_sqs) is None  # an empty queue: nothing may ever come

    sqs.send_message(QueueUrl=url, MessageBody="m")
    assert next_due(fake_sqs) == T0
    assert sources.run_due() is True
    assert next_due(fake_sqs) == T0 + 40  # in flight until its visibility timeout ends
    assert sources.run_due() is False


def test_next_due_at_is_the_end_of_a_gathering_window(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    mapping = fake_sqs.event_source_mapping("orders", Recorder(), maximum_batching_window=15)
    sqs.send_message(QueueUrl=url, MessageBody="m")

    assert fake_sqs.engine.event_sources.run_due() is True  # received into the window
    assert (next_due(fake_sqs), mapping.invocations) == (T0 + 15, [])
    mapping.disable()
    assert next_due(fake_sqs) is None


def test_run_due_inside_a_handler_does_nothing(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    nested: list[bool] = []
    sources = fake_sqs.engine.event_sources

    def handler(event: dict[str, Any], context: Any) -> None:
        if event["Records"][0]["body"] == "first":
            sqs.send_message(QueueUrl=url, MessageBody="more")
        nested.append(sources.run_due())

    fake_sqs.event_source_mapping("orders", handler)
    sqs.send_message(QueueUrl=url, MessageBody="first")

    assert sources.run_due() is True
    # The inner call ran nothing; the outer one went on to the message the handler sent.
    assert nested == [False, False]


def test_a_long_poll_in_the_test_thread_runs_the_mappings_due_on_the_way(
    fake_sqs: FakeSQS, sqs: Any
) -> None:
    """A long poll that would jump the clock stops where a mapping is due and runs it, in the
    polling thread: the handler's message arrives inside the poll's wait."""
    orders = create(sqs, "orders")
    shipped = create(sqs, "shipped")

    def ship(event: dict[str, Any], context: Any) -> None:
        for record in event["Records"]:
            sqs.send_message(QueueUrl=shipped, MessageBody=f"shipped {record['body']}")

    mapping = fake_sqs.event_source_mapping("orders", ship)
    sqs.send_message(QueueUrl=orders, MessageBody="order 1", DelaySeconds=5)

    response = sqs.receive_message(QueueUrl=shipped, WaitTimeSeconds=20)

    assert [m["Body"] for m in response["Messages"]] == ["shipped order 1"]
    assert [i.time for i in mapping.invocations] == [at(5)]
    assert fake_sqs.now == at(5)  # not the poll's deadline
