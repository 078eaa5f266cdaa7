"""Event filtering: Lambda's filter-rule syntax on the SQS record, the JSON-or-plain-string body
rules, and messages matching no filter deleted without an invocation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import START, Recorder, create

from pytest_fakesqs import FakeSQS
from pytest_fakesqs._lambda._filters import parse_pattern, record_matches

pytestmark = pytest.mark.fake_sqs(freeze=START)


def record(body: Any, **fields: Any) -> dict[str, Any]:
    """An SQS record with this body (JSON-encoded unless a string) and other fields."""
    text = body if isinstance(body, str) else json.dumps(body)
    base: dict[str, Any] = {
        "messageId": "m-1",
        "body": text,
        "attributes": {"ApproximateReceiveCount": "1", "MessageGroupId": "g1"},
        "messageAttributes": {
            "kind": {
                "stringValue": "order",
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            }
        },
        "eventSource": "aws:sqs",
    }
    base.update(fields)
    return base


def matches(pattern: dict[str, Any], item: dict[str, Any]) -> bool:
    return record_matches([parse_pattern(json.dumps(pattern))], item)


# (pattern, matching body, non-matching body): the operators, each with a case either way.
RULES = [
    ({"body": {"k": ["v"]}}, {"k": "v"}, {"k": "w"}),
    ({"body": {"k": ["v1", "v2"]}}, {"k": "v2"}, {"k": "v3"}),
    ({"body": {"a": ["1"], "b": ["2"]}}, {"a": "1", "b": "2"}, {"a": "1", "b": "3"}),
    ({"body": {"k": [None]}}, {"k": None}, {"k": "null"}),
    ({"body": {"k": [""]}}, {"k": ""}, {"k": " "}),
    ({"body": {"k": [True]}}, {"k": True}, {"k": "true"}),
    ({"body": {"n": [100]}}, {"n": 100}, {"n": 100.0}),
    ({"body": {"k": [{"anything-but": ["a", "b"]}]}}, {"k": "c"}, {"k": "a"}),
    ({"body": {"k": [{"anything-but": "a"}]}}, {"k": "b"}, {"k": "a"}),
    ({"body": {"n": [{"anything-but": [1]}]}}, {"n": 2}, {"n": 1}),
    ({"body": {"n": [{"numeric": ["=", 100]}]}}, {"n": 100.0}, {"n": 101}),
    ({"body": {"n": [{"numeric": [">", 100]}]}}, {"n": 101}, {"n": 100}),
    ({"body": {"n": [{"numeric": ["<", 100]}]}}, {"n": 99}, {"n": 100}),
    ({"body": {"n": [{"numeric": [">=", 100, "<", 200]}]}}, {"n": 100}, {"n": 200}),
    ({"body": {"n": [{"numeric": [">", 0, "<=", 5]}]}}, {"n": 5}, {"n": "5"}),
    ({"body": {"k": [{"exists": True}]}}, {"k": "any"}, {"other": "any"}),
    ({"body": {"k": [{"exists": False}]}}, {"other": 1}, {"k": 1}),
    ({"body": {"k": [{"prefix": "us-"}]}}, {"k": "us-east-1"}, {"k": "eu-west-1"}),
    ({"body": {"k": [{"suffix": ".png"}]}}, {"k": "a.png"}, {"k": "a.jpg"}),
    ({"body": {"k": [{"equals-ignore-case": "Alice"}]}}, {"k": "aLICE"}, {"k": "Alicia"}),
    ({"body": {"outer": {"inner": ["x"]}}}, {"outer": {"inner": "x"}}, {"outer": {"inner": "y"}}),
    ({"body": {"outer": {"inner": ["x"]}}}, {"outer": {"inner": "x"}}, {"outer": "x"}),
    ({"body": {"tags": ["red"]}}, {"tags": ["blue", "red"]}, {"tags": ["blue"]}),
    ({"body": {"k": ["v"]}}, {"k": "v", "extra": 1}, {"extra": 1}),
]


@pytest.mark.parametrize(("pattern", "good", "bad"), RULES, ids=[str(r[0]) for r in RULES])
def test_each_rule_matches_and_refuses(pattern: dict[str, Any], good: Any, bad: Any):
    assert (matches(pattern, record(good)), matches(pattern, record(bad))) == (True, False)


def test_fields_beside_the_body_are_matched_too():
    assert matches({"attributes": {"MessageGroupId": ["g1"]}}, record("x"))
    assert not matches({"attributes": {"MessageGroupId": ["g2"]}}, record("x"))
    assert matches({"messageAttributes": {"kind": {"stringValue": ["order"]}}}, record("x"))
    assert matches({"eventSource": ["aws:sqs"], "body": {"k": ["v"]}}, record({"k": "v"}))
    assert not matches({"eventSource": ["aws:s3"], "body": {"k": ["v"]}}, record({"k": "v"}))


@pytest.mark.parametrize(
    ("pattern", "body", "kept"),
    [
        # Lambda's table: the body must be in the pattern's form, JSON or plain string.
        ({"body": ["hello"]}, "hello", True),
        ({"body": [{"prefix": "hel"}]}, "hello", True),
        ({"body": ["hello"]}, '"hello"', False),  # valid JSON against a plain-string rule
        ({"body": {"k": ["v"]}}, "k=v", False),  # plain string against a JSON filter
        ({"attributes": {"MessageGroupId": ["g1"]}}, "k=v", True),  # no body filter: no check
        ({"attributes": {"MessageGroupId": ["g1"]}}, '{"k": "v"}', True),
        ({"body": {"k": ["v"]}}, "[1, 2]", False),  # JSON, but not an object
    ],
)
def test_the_body_must_be_in_the_patterns_form(pattern: dict[str, Any], body: str, kept: bool):
    assert matches(pattern, record(body)) is kept


def test_a_record_is_kept_when_any_filter_matches():
    patterns = [parse_pattern(json.dumps({"body": {"k": [v]}})) for v in ("a", "b")]

    assert [record_matches(patterns, record({"k": v})) for v in "abc"] == [True, True, False]
    assert record_matches([], record("anything"))


def test_unmatched_messages_are_deleted_without_an_invocation(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping(
        "orders",
        handler,
        filter_criteria={"Filters": [{"Pattern": json.dumps({"body": {"kind": ["order"]}})}]},
    )
    ids = [
        sqs.send_message(QueueUrl=url, MessageBody=body)["MessageId"]
        for body in ['{"kind": "order", "n": 1}', '{"kind": "refund"}', "not json"]
    ]

    ran = fake_sqs.run_due()

    assert handler.batches == [['{"kind": "order", "n": 1}']]
    assert [i.message_ids for i in ran] == [[ids[0]]]
    assert mapping.discarded == ids[1:]
    queue = fake_sqs.queue("orders")
    assert ([m.message_id for m in queue.deleted], len(queue)) == (ids, 0)


def test_a_batch_that_matches_nothing_invokes_nothing(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping(
        "orders", handler, filter_criteria=[{"body": {"kind": ["order"]}}]
    )
    sqs.send_message(QueueUrl=url, MessageBody='{"kind": "refund"}')

    assert fake_sqs.run_due() == []
    assert (handler.events, len(mapping.discarded), len(fake_sqs.queue("orders"))) == ([], 1, 0)


def test_with_a_window_unmatched_messages_go_at_once_and_the_rest_wait(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    mapping = fake_sqs.event_source_mapping(
        "orders",
        handler,
        maximum_batching_window=10,
        filter_criteria=['{"body": {"kind": ["order"]}}'],
    )
    sqs.send_message(QueueUrl=url, MessageBody='{"kind": "refund"}')
    sqs.send_message(QueueUrl=url, MessageBody='{"kind": "order"}')

    fake_sqs.advance(1)
    assert (len(mapping.discarded), handler.events) == (1, [])
    fake_sqs.advance(9)

    assert handler.batches == [['{"kind": "order"}']]
