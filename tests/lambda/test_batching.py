"""How messages become batches: batch size, the batching window, the 6 MB payload limit and
maximum concurrency."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import START, Recorder, at, create

from pytest_fakesqs import FakeSQS

pytestmark = pytest.mark.fake_sqs(freeze=START)


def send_batches(sqs: Any, url: str, count: int, prefix: str = "m") -> None:
    for start in range(0, count, 10):
        entries = [
            {"Id": str(n), "MessageBody": f"{prefix}{n}"}
            for n in range(start, min(start + 10, count))
        ]
        sqs.send_message_batch(QueueUrl=url, Entries=entries)


def test_without_a_window_each_batch_is_what_one_receive_gets(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, batch_size=4)
    send_batches(sqs, url, 10)

    fake_sqs.run_due()

    assert [len(batch) for batch in handler.batches] == [4, 4, 2]
    assert [body for batch in handler.batches for body in batch] == [f"m{n}" for n in range(10)]


def test_maximum_concurrency_is_how_many_batches_a_round_takes_before_handlers_run(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders")
    in_flight_seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        in_flight_seen.append(
            fake_sqs.queue("orders").attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    fake_sqs.event_source_mapping("orders", handler, batch_size=10, maximum_concurrency=2)
    send_batches(sqs, url, 50)

    fake_sqs.run_due()

    # Rounds of two batches: both are in flight when the first handler of a round runs.
    assert in_flight_seen == ["20", "10", "20", "10", "10"]


def test_by_default_a_round_takes_five_batches(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    in_flight_seen: list[str] = []

    def handler(event: dict[str, Any], context: Any) -> None:
        in_flight_seen.append(
            fake_sqs.queue("orders").attributes["ApproximateNumberOfMessagesNotVisible"]
        )

    mapping = fake_sqs.event_source_mapping("orders", handler, batch_size=2)
    send_batches(sqs, url, 12)

    fake_sqs.run_due()

    assert mapping.maximum_concurrency is None
    assert in_flight_seen == ["10", "8", "6", "4", "2", "2"]


def test_a_window_gathers_a_batch_until_it_ends(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping(
        "orders", handler, batch_size=100, maximum_batching_window=20
    )
    sqs.send_message(QueueUrl=url, MessageBody="first")
    fake_sqs.advance(5)
    sqs.send_message(QueueUrl=url, MessageBody="second", DelaySeconds=10)  # arrives at 15

    fake_sqs.advance(14)
    assert handler.batches == []
    # Each message was received as it arrived: its visibility timer runs from then.
    first, second = fake_sqs.queue("orders").messages
    assert (first.state, first.visible_at, second.state, second.visible_at) == (
        "in_flight",
        at(30),
        "in_flight",
        at(45),
    )
    assert fake_sqs.next_change_at == at(20)  # the window, begun at the first message, ends

    fake_sqs.advance(1)

    assert handler.batches == [["first", "second"]]
    assert [i.time for i in mapping.invocations] == [at(20)]


def test_a_full_batch_does_not_wait_for_the_window(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders", VisibilityTimeout=900)
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping(
        "orders", handler, batch_size=25, maximum_batching_window=300
    )
    send_batches(sqs, url, 60)

    fake_sqs.advance(1)
    assert [len(batch) for batch in handler.batches] == [25, 25]
    fake_sqs.advance(299)

    assert [len(batch) for batch in handler.batches] == [25, 25, 10]
    assert [i.time for i in mapping.invocations] == [at(0), at(0), at(300)]
    assert [body for batch in handler.batches for body in batch] == [f"m{n}" for n in range(60)]


def test_a_batch_stops_at_six_megabytes_of_event(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders", VisibilityTimeout=900)
    body = "x" * 1_000_000  # under SQS's 1 MiB; seven of them pass Lambda's 6 MB
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, batch_size=100, maximum_batching_window=60)
    for _ in range(8):
        sqs.send_message(QueueUrl=url, MessageBody=body)

    fake_sqs.advance(60)

    assert [len(batch) for batch in handler.batches] == [6, 2]
    import json

    sizes = [len(json.dumps(event, separators=(",", ":"))) for event in handler.events]
    assert all(size <= 6 * 1024 * 1024 for size in sizes)
    assert sizes[0] + 1_000_000 > 6 * 1024 * 1024


def test_without_a_window_a_receive_over_six_megabytes_is_split(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, batch_size=10)
    for _ in range(10):
        sqs.send_message(QueueUrl=url, MessageBody="y" * 1_000_000)

    fake_sqs.run_due()

    assert [len(batch) for batch in handler.batches] == [6, 4]


def test_a_window_longer_than_the_visibility_timeout_gets_messages_twice(
    fake_sqs: FakeSQS, sqs: Any
):
    # Why a queue fed to a windowed mapping wants a visibility timeout above the window: a
    # gathered message comes back while its batch still waits.
    url = create(sqs, "orders", VisibilityTimeout=30)
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, batch_size=100, maximum_batching_window=45)
    sqs.send_message(QueueUrl=url, MessageBody="once")

    fake_sqs.advance(45)

    (event,) = handler.events
    counts = [record["attributes"]["ApproximateReceiveCount"] for record in event["Records"]]
    assert (handler.batches, counts) == ([["once", "once"]], ["1", "2"])
    assert fake_sqs.queue("orders").deleted[0].body == "once"
