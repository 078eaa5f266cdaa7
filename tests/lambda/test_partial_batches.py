"""Partial batch responses (ReportBatchItemFailures) on standard and FIFO queues, the
responses that fail a whole batch, and the runtime's own failures: an answer JSON cannot
encode, a handler that runs past its timeout."""

from __future__ import annotations

import decimal
from typing import Any

import pytest
from conftest import START, Recorder, at, create, with_dead_letter_queue

from pytest_fakesqs import FakeSQS

pytestmark = pytest.mark.fake_sqs(freeze=START)


def failures(*message_ids: str) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": m} for m in message_ids]}


def send_all(sqs: Any, url: str, *bodies: str, **extra: Any) -> list[str]:
    return [sqs.send_message(QueueUrl=url, MessageBody=b, **extra)["MessageId"] for b in bodies]


def test_reported_failures_stay_and_every_other_message_is_deleted(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a", "b", "c", "d")
    handler = Recorder(failures(ids[1], ids[3]), None)
    mapping = fake_sqs.event_source_mapping("orders", handler, report_batch_item_failures=True)

    (first,) = fake_sqs.run_due()

    assert (first.deleted, first.retried) == ((ids[0], ids[2]), (ids[1], ids[3]))
    assert first.failure == "partial batch response: 2 of 4 messages failed"
    assert first.succeeded is False
    assert fake_sqs.queue("orders").bodies == ["b", "d"]
    fake_sqs.advance(30)
    assert handler.batches == [["a", "b", "c", "d"], ["b", "d"]]
    assert mapping.invocations[1].succeeded


def test_without_report_batch_item_failures_the_response_is_ignored(fake_sqs: FakeSQS, sqs: Any):
    # Lambda reads a partial batch response only when the mapping asks for it: here the
    # "failed" message is deleted with the others.
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a", "b")
    fake_sqs.event_source_mapping("orders", Recorder(failures(ids[0])))

    (invocation,) = fake_sqs.run_due()

    assert (invocation.deleted, invocation.retried) == (tuple(ids), ())
    assert len(fake_sqs.queue("orders")) == 0


@pytest.mark.parametrize(
    "answer",
    [None, {}, {"batchItemFailures": []}, {"batchItemFailures": None}, {"statusCode": 200}],
    ids=["None", "empty object", "empty list", "null list", "other keys"],
)
def test_answers_that_are_complete_successes(fake_sqs: FakeSQS, sqs: Any, answer: Any):
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a", "b")
    fake_sqs.event_source_mapping("orders", Recorder(answer), report_batch_item_failures=True)

    (invocation,) = fake_sqs.run_due()

    assert (invocation.deleted, invocation.retried, invocation.failure) == (tuple(ids), (), None)


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        # Recorded on AWS: the whole batch comes back, and goes to the DLQ in the end.
        (
            {"batchItemFailures": [{"foo": "notvalid"}]},
            "entry {'foo': 'notvalid'} has no itemIdentifier",
        ),
        (
            {"batchItemFailures": [{"itemIdentifier": ""}]},
            "entry {'itemIdentifier': ''} has no itemIdentifier",
        ),
        (
            {"batchItemFailures": [{"itemIdentifier": None}]},
            "entry {'itemIdentifier': None} has no itemIdentifier",
        ),
        (
            {"batchItemFailures": [{"itemIdentifier": "nope"}]},
            "itemIdentifier 'nope' is not a message of this batch",
        ),
        (
            {"batchItemFailures": [{"itemIdentifier": 7}]},
            "entry {'itemIdentifier': 7} has no itemIdentifier",
        ),
        ({"batchItemFailures": ["id"]}, "entry 'id' has no itemIdentifier"),
    ],
    ids=["bad key", "empty", "null", "unknown", "number", "bare string"],
)
def test_malformed_responses_fail_the_whole_batch(
    fake_sqs: FakeSQS, sqs: Any, answer: Any, problem: str
):
    url = with_dead_letter_queue(sqs, "orders", 2, VisibilityTimeout=4)
    ids = send_all(sqs, url, "a", "b")
    mapping = fake_sqs.event_source_mapping(
        "orders", Recorder(answer, answer), report_batch_item_failures=True
    )

    fake_sqs.advance(60)

    first, second = mapping.invocations
    assert (first.deleted, first.retried) == ((), tuple(ids))
    assert first.failure == f"invalid partial batch response: {problem}; the whole batch failed"
    assert (second.time, second.retried) == (at(4), tuple(ids))
    assert fake_sqs.queue("orders-dlq").bodies == ["a", "b"]


@pytest.mark.parametrize(
    ("answer", "failure"),
    [
        (
            {"batchItemFailures": "all"},
            "invalid partial batch response: batchItemFailures is 'all', not a list; the whole "
            "batch failed",
        ),
        (
            "done",
            "invalid partial batch response 'done': not a JSON object; the whole batch failed",
        ),
        (
            [1, 2],
            "invalid partial batch response [1, 2]: not a JSON object; the whole batch failed",
        ),
    ],
    ids=["list is a string", "string", "array"],
)
def test_responses_of_the_wrong_type_fail_the_whole_batch(
    fake_sqs: FakeSQS, sqs: Any, answer: Any, failure: str
):
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a")
    fake_sqs.event_source_mapping("orders", Recorder(answer), report_batch_item_failures=True)

    (invocation,) = fake_sqs.run_due()

    assert (invocation.retried, invocation.failure) == (tuple(ids), failure)


def test_the_response_is_read_after_its_json_round_trip(fake_sqs: FakeSQS, sqs: Any):
    # A tuple is a JSON array and a Decimal a number, as the Python runtime encodes them.
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a", "b")
    answer = {"batchItemFailures": ({"itemIdentifier": ids[0]},), "count": decimal.Decimal("1")}
    fake_sqs.event_source_mapping("orders", Recorder(answer), report_batch_item_failures=True)

    (invocation,) = fake_sqs.run_due()

    assert invocation.result is answer
    assert (invocation.deleted, invocation.retried) == ((ids[1],), (ids[0],))


def test_an_answer_json_cannot_encode_fails_the_invocation(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a")
    fake_sqs.event_source_mapping("orders", Recorder({"seen": {1, 2}}))

    (invocation,) = fake_sqs.run_due()

    assert invocation.retried == tuple(ids)
    assert str(invocation.error) == (
        "Unable to marshal response: Object of type set is not JSON serializable"
    )
    assert invocation.failure == (
        "Runtime.MarshalError: Unable to marshal response: Object of type set is not JSON "
        "serializable"
    )


def test_a_handler_running_past_its_timeout_in_fake_time_fails(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    empty = create(sqs, "empty")
    ids = send_all(sqs, url, "a")

    def slow(event: dict[str, Any], context: Any) -> None:
        sqs.receive_message(QueueUrl=empty, WaitTimeSeconds=5)  # 5 s of fake time

    fake_sqs.event_source_mapping("orders", slow, timeout=4)

    (invocation,) = fake_sqs.run_due()

    assert (invocation.retried, invocation.failure) == (
        tuple(ids),
        "Task timed out after 4.00 seconds",
    )
    assert str(invocation.error) == "Task timed out after 4.00 seconds"


# --- FIFO -------------------------------------------------------------------------------------


def fifo_send(sqs: Any, url: str, group: str, *bodies: str) -> list[str]:
    return [
        sqs.send_message(
            QueueUrl=url, MessageBody=b, MessageGroupId=group, MessageDeduplicationId=b
        )["MessageId"]
        for b in bodies
    ]


def test_fifo_partial_failure_keeps_the_group_in_order(fake_sqs: FakeSQS, sqs: Any):
    # The rule Lambda documents: after a failure, report the rest of the group as failed too.
    url = create(sqs, "orders.fifo", VisibilityTimeout=10)
    a = fifo_send(sqs, url, "A", "a1", "a2", "a3")
    b = fifo_send(sqs, url, "B", "b1")

    def handler(event: dict[str, Any], context: Any) -> Any:
        failed: list[str] = []
        for record in event["Records"]:
            first_try = record["attributes"]["ApproximateReceiveCount"] == "1"
            if failed or (record["body"] == "a2" and first_try):
                failed.append(record["messageId"])
        return failures(*failed)

    mapping = fake_sqs.event_source_mapping("orders.fifo", handler, report_batch_item_failures=True)

    fake_sqs.advance(60)

    first, second = mapping.invocations
    assert first.bodies == ["a1", "a2", "a3", "b1"]
    assert (first.deleted, first.retried) == ((a[0],), (a[1], a[2], b[0]))
    assert first.deleted_out_of_order == ()
    assert (second.time, second.bodies, second.succeeded) == (at(10), ["a2", "a3", "b1"], True)


def test_fifo_messages_reported_processed_after_a_failure_are_deleted_out_of_order(
    fake_sqs: FakeSQS, sqs: Any
):
    # Lambda deletes what a partial batch response reports as processed, even behind a
    # failed message of the same group: a2 is consumed before a1, which comes back later.
    url = create(sqs, "orders.fifo", VisibilityTimeout=10)
    a = fifo_send(sqs, url, "A", "a1", "a2")
    b = fifo_send(sqs, url, "B", "b1")
    handler = Recorder(failures(a[0]), None)
    mapping = fake_sqs.event_source_mapping("orders.fifo", handler, report_batch_item_failures=True)

    fake_sqs.advance(60)

    first, second = mapping.invocations
    assert (first.deleted, first.retried) == ((a[1], b[0]), (a[0],))
    assert first.deleted_out_of_order == (a[1],)
    assert (second.time, second.bodies) == (at(10), ["a1"])


def test_fifo_one_batch_per_group_at_a_time(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders.fifo", VisibilityTimeout=10)
    fifo_send(sqs, url, "A", *(f"a{n}" for n in range(12)))
    fifo_send(sqs, url, "B", "b0")
    handler = Recorder(ValueError("first batch fails"))
    fake_sqs.event_source_mapping("orders.fifo", handler, maximum_concurrency=5)

    fake_sqs.run_due()

    # Five pollers, but group A's first ten are in flight: the others get only B.
    assert handler.batches == [[f"a{n}" for n in range(10)], ["b0"]]
    fake_sqs.advance(10)
    assert handler.batches[2:] == [[f"a{n}" for n in range(10)], ["a10", "a11"]]


def test_a_handler_changing_its_event_does_not_change_what_lambda_deletes(
    fake_sqs: FakeSQS, sqs: Any
):
    # On AWS the handler gets its own copy of the event; here it gets the recorded one, but
    # Lambda's decisions use the batch as it was sent.
    url = create(sqs, "orders")
    ids = send_all(sqs, url, "a", "b")

    def meddling(event: dict[str, Any], context: Any) -> Any:
        first = event["Records"].pop(0)
        event["Records"][0]["messageId"] = "forged"
        return failures(first["messageId"])

    fake_sqs.event_source_mapping("orders", meddling, report_batch_item_failures=True)

    (invocation,) = fake_sqs.run_due()

    assert (invocation.deleted, invocation.retried) == ((ids[1],), (ids[0],))
    assert fake_sqs.queue("orders").bodies == ["a"]
