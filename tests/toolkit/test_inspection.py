"""The test-writer's toolkit, read side and setup side: queue and message views, history and
fates, the call journal, setup helpers, queue assertions, snapshots. Through real botocore
clients served by the fake, with the clock frozen so every time and timestamp is exact."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS, MessageView, QueueView, Snapshot, mock_sqs

ACCOUNT = "123456789012"
SENDER = "AIDAIENQZJOLO23YVJ4VO"
FROZEN = "2024-05-06T07:08:09Z"
T0 = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
T0_MS = str(int(T0.timestamp() * 1000))

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN)


def url_of(name: str, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    return f"https://sqs.{region}.amazonaws.com/{account}/{name}"


def arn_of(name: str, region: str = "us-east-1", account: str = ACCOUNT) -> str:
    return f"arn:aws:sqs:{region}:{account}:{name}"


def at(seconds: float) -> datetime:
    """The fake's time ``seconds`` after the frozen start."""
    return T0 + timedelta(seconds=seconds)


def ms(seconds: float) -> str:
    """SentTimestamp-style epoch milliseconds, ``seconds`` after the frozen start."""
    return str(int((T0.timestamp() + seconds) * 1000))


def ids(messages: list[MessageView]) -> list[str]:
    return [message.message_id for message in messages]


def receive(client: Any, url: str, count: int = 10, **params: Any) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=count,
        MessageSystemAttributeNames=["All"],
        MessageAttributeNames=["All"],
        **params,
    ).get("Messages", [])
    return messages


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> dict[str, Any]:
    """The parsed Error dict and the HTTP status of a ClientError."""
    response = excinfo.value.response
    return {**response["Error"], "status": response["ResponseMetadata"]["HTTPStatusCode"]}


# --- 1. finding a queue ------------------------------------------------------------------------


def test_queue_by_name_and_by_url_is_the_same_queue(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]

    by_name = fake_sqs.queue("jobs")
    by_url = fake_sqs.queue(url)
    by_legacy_url = fake_sqs.queue(f"https://queue.amazonaws.com/{ACCOUNT}/jobs")

    for view in (by_name, by_url, by_legacy_url):
        assert isinstance(view, QueueView)
        assert (view.name, view.url, view.arn, view.region, view.account_id) == (
            "jobs",
            url_of("jobs"),
            arn_of("jobs"),
            "us-east-1",
            ACCOUNT,
        )


def test_queue_by_name_with_region_picks_among_same_named_queues(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    sqs_client.create_queue(QueueName="jobs")
    west = boto3.client("sqs", region_name="eu-west-1")
    west_url = west.create_queue(QueueName="jobs")["QueueUrl"]

    assert fake_sqs.queue("jobs", region="eu-west-1").url == west_url
    assert fake_sqs.queue("jobs", region="us-east-1").url == url_of("jobs")
    # A URL names its region: no region= needed.
    assert fake_sqs.queue(west_url).arn == arn_of("jobs", "eu-west-1")
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("jobs")
    assert str(excinfo.value) == (
        "queue 'jobs' exists in several regions ['eu-west-1', 'us-east-1']: pass region="
    )


def test_unknown_queue_name_lists_what_the_fake_has(fake_sqs: FakeSQS) -> None:
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("jobs")
    assert str(excinfo.value) == (
        "no queue named 'jobs' in account 123456789012; the fake has: no queues"
    )

    fake_sqs.create_queue("jobs")
    fake_sqs.create_queue("jobs", region="eu-west-1")
    fake_sqs.create_queue("audit", region="eu-west-1")
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("nope")
    assert str(excinfo.value) == (
        "no queue named 'nope' in account 123456789012; the fake has: "
        "audit (eu-west-1), jobs (eu-west-1), jobs (us-east-1)"
    )
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("audit", region="us-east-1")
    assert str(excinfo.value) == (
        "no queue named 'audit' in account 123456789012 and region us-east-1; the fake has: "
        "audit (eu-west-1), jobs (eu-west-1), jobs (us-east-1)"
    )


@pytest.mark.fake_sqs(account_id="111122223333")
def test_queue_lookup_uses_the_fakes_account_unless_told(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]

    assert url == url_of("jobs", account="111122223333")
    assert fake_sqs.queue("jobs").account_id == "111122223333"
    assert fake_sqs.queue("jobs", account_id="111122223333").url == url
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("jobs", account_id=ACCOUNT)
    assert str(excinfo.value) == (
        "no queue named 'jobs' in account 123456789012; the fake has: jobs (us-east-1)"
    )


def test_deleted_queue_is_not_found_but_its_view_remains(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="left behind")
    view = fake_sqs.queue("jobs")

    sqs_client.delete_queue(QueueUrl=url)

    assert view.exists is False
    assert view.name == "jobs"
    assert view.bodies == ["left behind"]
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.queue("jobs")
    assert str(excinfo.value) == (
        "no queue named 'jobs' in account 123456789012; the fake has: no queues"
    )


def test_unknown_queue_url_raises_lookup_error(fake_sqs: FakeSQS) -> None:
    fake_sqs.create_queue("jobs")
    missing = url_of("nope")

    with pytest.raises(LookupError, match=re.escape("nope")):
        fake_sqs.queue(missing)


def test_queues_are_listed_by_region_then_name(fake_sqs: FakeSQS) -> None:
    assert fake_sqs.queues() == []
    fake_sqs.create_queue("b")
    fake_sqs.create_queue("a")
    fake_sqs.create_queue("z", region="ap-south-1")
    fake_sqs.create_queue("c.fifo", region="eu-west-1")
    fake_sqs.create_queue("a", region="eu-west-1")

    listed = [(view.region, view.name) for view in fake_sqs.queues()]

    assert listed == [
        ("ap-south-1", "z"),
        ("eu-west-1", "a"),
        ("eu-west-1", "c.fifo"),
        ("us-east-1", "a"),
        ("us-east-1", "b"),
    ]


# --- 2. what a view shows ----------------------------------------------------------------------


def test_queue_view_fields_match_the_api(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    url = sqs_client.create_queue(
        QueueName="jobs", Attributes={"VisibilityTimeout": "45"}, tags={"team": "core"}
    )["QueueUrl"]
    view = fake_sqs.queue("jobs")

    assert view.name == "jobs"
    assert view.url == url
    assert view.arn == arn_of("jobs")
    assert view.region == "us-east-1"
    assert view.account_id == ACCOUNT
    assert view.fifo is False
    assert view.exists is True
    assert view.tags == {"team": "core"} == sqs_client.list_queue_tags(QueueUrl=url)["Tags"]
    assert len(view) == 0
    assert repr(view) == "<QueueView jobs (us-east-1, 123456789012)>"
    assert view.attributes == {
        "DelaySeconds": "0",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "0",
        "VisibilityTimeout": "45",
        "SqsManagedSseEnabled": "true",
        "QueueArn": arn_of("jobs"),
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "CreatedTimestamp": str(int(T0.timestamp())),
        "LastModifiedTimestamp": str(int(T0.timestamp())),
    }

    sqs_client.send_message(QueueUrl=url, MessageBody="one")
    sqs_client.send_message(QueueUrl=url, MessageBody="two", DelaySeconds=5)
    sqs_client.send_message(QueueUrl=url, MessageBody="three")
    receive(sqs_client, url, count=1)

    api = sqs_client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert view.attributes == api
    assert (
        api["ApproximateNumberOfMessages"],
        api["ApproximateNumberOfMessagesNotVisible"],
        api["ApproximateNumberOfMessagesDelayed"],
    ) == ("1", "1", "1")
    assert len(view) == 3
    assert view.bodies == ["one", "two", "three"]
    assert [m.body for m in view.messages] == ["one", "two", "three"]
    assert [m.body for m in view.visible] == ["three"]
    assert [m.body for m in view.in_flight] == ["one"]
    assert [m.body for m in view.delayed] == ["two"]


def test_fifo_queue_view(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    sqs_client.create_queue(
        QueueName="orders.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )
    view = fake_sqs.queue("orders.fifo")

    assert view.fifo is True
    assert (
        view.attributes
        == sqs_client.get_queue_attributes(QueueUrl=view.url, AttributeNames=["All"])["Attributes"]
    )
    assert view.attributes["FifoQueue"] == "true"
    assert view.attributes["ContentBasedDeduplication"] == "true"


@pytest.mark.fake_sqs(sender_id="AIDATESTSENDER00001")
def test_message_view_fields_match_what_the_client_sent_and_received(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    attributes = {
        "colour": {"DataType": "String", "StringValue": "blue"},
        "size": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff\x10"},
        "kind": {"DataType": "String.custom", "StringValue": "x"},
    }
    sent = sqs_client.send_message(
        QueueUrl=url, MessageBody='{"order": [1, 2]}', MessageAttributes=attributes
    )
    view = fake_sqs.queue("jobs")

    [message] = view.messages
    assert message == MessageView(
        message_id=sent["MessageId"],
        body='{"order": [1, 2]}',
        attributes={
            "SenderId": "AIDATESTSENDER00001",
            "SentTimestamp": T0_MS,
            "ApproximateReceiveCount": "0",
        },
        message_attributes=attributes,
        state="visible",
        receive_count=0,
        sent_at=T0,
        visible_at=T0,
        receipt_handle=None,
        group_id=None,
        deduplication_id=None,
        sequence_number=None,
        origin="sent",
        fate=None,
        dead_letter_source_arn=None,
    )
    assert message.json() == {"order": [1, 2]}

    fake_sqs.advance(3)
    [received] = receive(sqs_client, url)
    [message] = view.messages

    assert message.message_id == received["MessageId"]
    assert message.body == received["Body"]
    assert (
        message.attributes
        == received["Attributes"]
        == {
            "SenderId": "AIDATESTSENDER00001",
            "SentTimestamp": T0_MS,
            "ApproximateReceiveCount": "1",
            "ApproximateFirstReceiveTimestamp": ms(3),
        }
    )
    assert message.message_attributes == received["MessageAttributes"] == attributes
    assert message.receipt_handle == received["ReceiptHandle"]
    assert (message.state, message.receive_count) == ("in_flight", 1)
    assert (message.sent_at, message.visible_at) == (T0, at(33))
    with pytest.raises(dataclasses.FrozenInstanceError):
        message.body = "changed"  # type: ignore[misc]


def test_visible_at_of_delayed_in_flight_visible_and_gone_messages(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="m", DelaySeconds=10)
    view = fake_sqs.queue("jobs")

    [message] = view.messages
    assert (message.state, message.visible_at) == ("delayed", at(10))

    fake_sqs.advance(10)
    [message] = view.messages
    assert (message.state, message.visible_at) == ("visible", at(10))

    [received] = receive(sqs_client, url, VisibilityTimeout=45)
    [message] = view.messages
    assert (message.state, message.visible_at) == ("in_flight", at(55))

    fake_sqs.advance(2)
    sqs_client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=received["ReceiptHandle"], VisibilityTimeout=5
    )
    [message] = view.messages
    assert (message.state, message.visible_at) == ("in_flight", at(17))

    fake_sqs.advance(5)
    [message] = view.messages
    assert (message.state, message.visible_at, message.receive_count) == ("visible", at(17), 1)

    [received] = receive(sqs_client, url)
    sqs_client.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])
    [message] = view.history
    assert (message.state, message.visible_at, message.fate) == ("gone", None, "deleted")


def test_fifo_message_view_carries_what_the_send_answered(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(
        QueueName="orders.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    first = sqs_client.send_message(
        QueueUrl=url, MessageBody="a", MessageGroupId="g1", MessageDeduplicationId="d-1"
    )
    second = sqs_client.send_message(QueueUrl=url, MessageBody="b", MessageGroupId="g2")
    view = fake_sqs.queue(url)

    one, two = view.messages
    assert (one.message_id, one.group_id, one.deduplication_id, one.sequence_number) == (
        first["MessageId"],
        "g1",
        "d-1",
        first["SequenceNumber"],
    )
    assert one.attributes == {
        "SenderId": SENDER,
        "SentTimestamp": T0_MS,
        "ApproximateReceiveCount": "0",
        "SequenceNumber": first["SequenceNumber"],
        "MessageDeduplicationId": "d-1",
        "MessageGroupId": "g1",
    }
    content_hash = hashlib.sha256(b"b").hexdigest()
    assert (two.message_id, two.group_id, two.deduplication_id, two.sequence_number) == (
        second["MessageId"],
        "g2",
        content_hash,
        second["SequenceNumber"],
    )

    received = receive(sqs_client, url)
    assert [m["Attributes"] for m in received] == [m.attributes for m in view.messages]
    assert [m["ReceiptHandle"] for m in received] == [m.receipt_handle for m in view.messages]


# --- 3. reading changes nothing ----------------------------------------------------------------


def read_everything(fake: FakeSQS) -> None:
    """Every read the toolkit offers, three times over."""
    for _ in range(3):
        fake.queues()
        fake.report()
        assert fake.seed == 2024
        fake.time, fake.now, fake.next_change_at  # noqa: B018
        list(fake.calls)
        fake.calls.operations  # noqa: B018
        for view in fake.queues():
            again = fake.queue(view.url)
            fake.queue(view.name, region=view.region)
            for queue in (view, again):
                queue.name, queue.url, queue.arn, queue.region, queue.account_id  # noqa: B018
                queue.fifo, queue.exists, queue.attributes, queue.tags  # noqa: B018
                len(queue)
                repr(queue)
                queue.bodies  # noqa: B018
                for listed in (
                    queue.messages,
                    queue.visible,
                    queue.in_flight,
                    queue.delayed,
                    queue.history,
                    queue.sent,
                    queue.deleted,
                    queue.expired,
                    queue.purged,
                    queue.dead_lettered,
                    queue.moved,
                ):
                    for message in listed:
                        message.attributes, message.receipt_handle, message.visible_at  # noqa: B018


def scenario(read: bool, realism: bool) -> list[dict[str, Any]]:
    """Queues, sends, receives, redrive, a move task and a purge; every response returned."""
    answers: list[dict[str, Any]] = []
    with mock_sqs(seed=2024, freeze=FROZEN, realism=realism or None) as fake:
        client = boto3.client("sqs", region_name="us-east-1")

        def call(operation: str, **params: Any) -> dict[str, Any]:
            answer: dict[str, Any] = getattr(client, operation)(**params)
            answers.append(answer)
            if read:
                read_everything(fake)
            return answer

        dead = call("create_queue", QueueName="dead")["QueueUrl"]
        dead_arn = arn_of("dead")
        redrive = json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": 2})
        work = call(
            "create_queue",
            QueueName="work",
            Attributes={"RedrivePolicy": redrive, "VisibilityTimeout": "10"},
        )["QueueUrl"]
        slow = call("create_queue", QueueName="slow", Attributes={"DelaySeconds": "5"})["QueueUrl"]
        fifo = call(
            "create_queue",
            QueueName="ordered.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        call(
            "send_message_batch",
            QueueUrl=work,
            Entries=[{"Id": str(n), "MessageBody": f"work {n}"} for n in range(6)],
        )
        for n in range(2):
            call("send_message", QueueUrl=slow, MessageBody=f"slow {n}")
        for n in range(4):
            call("send_message", QueueUrl=fifo, MessageBody=f"fifo {n}", MessageGroupId=f"g{n % 2}")
        everything = {"MaxNumberOfMessages": 10, "MessageSystemAttributeNames": ["All"]}
        first = call(
            "receive_message",
            QueueUrl=work,
            MaxNumberOfMessages=3,
            MessageSystemAttributeNames=["All"],
        )
        for url in (work, slow, fifo, dead):
            call("get_queue_attributes", QueueUrl=url, AttributeNames=["All"])
        fake.advance(5)
        call("receive_message", QueueUrl=slow, **everything)
        fake.advance(10)
        second = call("receive_message", QueueUrl=work, **everything)
        handles = [m["ReceiptHandle"] for m in second.get("Messages", [])]
        if handles:
            call("delete_message", QueueUrl=work, ReceiptHandle=handles[0])
        if len(handles) > 1:
            call(
                "change_message_visibility",
                QueueUrl=work,
                ReceiptHandle=handles[1],
                VisibilityTimeout=0,
            )
        fake.advance(30)
        call("receive_message", QueueUrl=work, **everything)
        fake.advance(30)
        call("receive_message", QueueUrl=work, **everything)
        for message in call("receive_message", QueueUrl=fifo, **everything).get("Messages", []):
            call("delete_message", QueueUrl=fifo, ReceiptHandle=message["ReceiptHandle"])
        call("receive_message", QueueUrl=fifo, **everything)
        call("start_message_move_task", SourceArn=dead_arn)
        fake.advance(1)
        call("list_message_move_tasks", SourceArn=dead_arn)
        call("receive_message", QueueUrl=work, **everything)
        call("purge_queue", QueueUrl=slow)
        for url in (work, slow, fifo, dead):
            call("get_queue_attributes", QueueUrl=url, AttributeNames=["All"])
        assert first.get("Messages")
    return answers


@pytest.mark.parametrize("realism", [False, True], ids=["exact", "realism"])
def test_reading_every_view_changes_no_answer_of_a_twin_run(realism: bool) -> None:
    without_reads = scenario(read=False, realism=realism)
    with_reads = scenario(read=True, realism=realism)

    # Request ids, message ids, receipt handles, receive counts, order and queue counts.
    assert with_reads == without_reads
    receive_counts = [
        message["Attributes"]["ApproximateReceiveCount"]
        for answer in with_reads
        for message in answer.get("Messages", [])
    ]
    assert receive_counts == [
        message["Attributes"]["ApproximateReceiveCount"]
        for answer in without_reads
        for message in answer.get("Messages", [])
    ]
    assert "2" in receive_counts


def test_reading_a_view_changes_no_receive_count_or_visibility(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="a")
    sqs_client.send_message(QueueUrl=url, MessageBody="b", DelaySeconds=20)
    [received] = receive(sqs_client, url)
    view = fake_sqs.queue("jobs")
    before = (view.messages, view.attributes, view.history)

    read_everything_of(view)

    assert (view.messages, view.attributes, view.history) == before
    assert [(m.body, m.state, m.receive_count) for m in view.messages] == [
        ("a", "in_flight", 1),
        ("b", "delayed", 0),
    ]
    assert view.messages[0].receipt_handle == received["ReceiptHandle"]


def read_everything_of(view: QueueView) -> None:
    for _ in range(5):
        view.messages, view.visible, view.in_flight, view.delayed, view.bodies  # noqa: B018
        view.history, view.sent, view.deleted, view.attributes, len(view)


# --- 4. history and fates ----------------------------------------------------------------------


def test_sent_lists_every_accepted_message_and_deleted_the_deleted_ones(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sent = [sqs_client.send_message(QueueUrl=url, MessageBody=b)["MessageId"] for b in "abc"]
    first, _ = receive(sqs_client, url, count=2)
    sqs_client.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    view = fake_sqs.queue("jobs")

    assert ids(view.sent) == sent
    assert ids(view.history) == sent
    assert ids(view.deleted) == [sent[0]]
    assert ids(view.messages) == sent[1:]
    [deleted] = view.deleted
    assert (deleted.state, deleted.fate, deleted.visible_at, deleted.receive_count) == (
        "gone",
        "deleted",
        None,
        1,
    )
    assert deleted.receipt_handle == first["ReceiptHandle"]
    assert [(m.state, m.fate) for m in view.sent] == [
        ("gone", "deleted"),
        ("in_flight", None),
        ("visible", None),
    ]
    assert view.expired == view.purged == view.dead_lettered == view.moved == []


def test_expired_lists_messages_past_the_retention_period(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="short", Attributes={"MessageRetentionPeriod": "60"})[
        "QueueUrl"
    ]
    old = sqs_client.send_message(QueueUrl=url, MessageBody="old")["MessageId"]
    fake_sqs.advance(30)
    new = sqs_client.send_message(QueueUrl=url, MessageBody="new")["MessageId"]
    view = fake_sqs.queue("short")

    fake_sqs.advance(29)
    assert view.expired == []

    fake_sqs.advance(1)

    assert ids(view.expired) == [old]
    assert [(m.state, m.fate, m.visible_at) for m in view.expired] == [("gone", "expired", None)]
    assert ids(view.messages) == [new]
    assert ids(view.sent) == [old, new]
    assert receive(sqs_client, url)[0]["MessageId"] == new


def test_purged_lists_every_message_a_purge_dropped(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sent = [sqs_client.send_message(QueueUrl=url, MessageBody=b)["MessageId"] for b in "ab"]
    sent.append(
        sqs_client.send_message(QueueUrl=url, MessageBody="c", DelaySeconds=30)["MessageId"]
    )
    receive(sqs_client, url, count=1)

    sqs_client.purge_queue(QueueUrl=url)
    view = fake_sqs.queue("jobs")

    assert ids(view.purged) == sent
    assert {(m.state, m.fate) for m in view.purged} == {("gone", "purged")}
    assert view.messages == []
    assert ids(view.sent) == sent
    assert view.deleted == []


def test_redrive_then_move_task_back_to_the_source(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    dlq_url = sqs_client.create_queue(QueueName="jobs-dlq")["QueueUrl"]
    redrive = json.dumps({"deadLetterTargetArn": arn_of("jobs-dlq"), "maxReceiveCount": 2})
    url = sqs_client.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": redrive})[
        "QueueUrl"
    ]
    sent = [sqs_client.send_message(QueueUrl=url, MessageBody=b)["MessageId"] for b in "ab"]
    source, dlq = fake_sqs.queue("jobs"), fake_sqs.queue("jobs-dlq")

    assert len(receive(sqs_client, url)) == 2
    fake_sqs.advance(30)
    assert len(receive(sqs_client, url)) == 2
    fake_sqs.advance(30)
    assert receive(sqs_client, url) == []  # both past maxReceiveCount: moved on

    assert ids(source.dead_lettered) == sent
    assert [(m.state, m.fate, m.origin, m.receive_count) for m in source.dead_lettered] == [
        ("gone", "dead_lettered", "sent", 2),
        ("gone", "dead_lettered", "sent", 2),
    ]
    assert source.messages == []
    assert ids(dlq.messages) == sent
    assert dlq.sent == []
    assert ids(dlq.history) == sent
    for message in dlq.messages:
        assert (message.state, message.origin, message.fate, message.receive_count) == (
            "visible",
            "dead_lettered",
            None,
            2,
        )
        assert message.dead_letter_source_arn == arn_of("jobs")
        assert message.attributes["DeadLetterQueueSourceArn"] == arn_of("jobs")
        assert message.visible_at == at(60)

    sqs_client.start_message_move_task(SourceArn=arn_of("jobs-dlq"))
    fake_sqs.run_until(
        lambda: (
            sqs_client.list_message_move_tasks(SourceArn=arn_of("jobs-dlq"))["Results"][0]["Status"]
            == "COMPLETED"
        )
    )

    assert ids(dlq.moved) == sent
    assert [(m.state, m.fate, m.origin) for m in dlq.moved] == [
        ("gone", "moved", "dead_lettered"),
        ("gone", "moved", "dead_lettered"),
    ]
    assert dlq.messages == []
    assert ids(source.messages) == sent
    assert [
        (m.state, m.origin, m.fate, m.receive_count, m.dead_letter_source_arn)
        for m in source.messages
    ] == [("visible", "moved", None, 0, None), ("visible", "moved", None, 0, None)]
    assert ids(source.history) == sent + sent
    assert [(m.origin, m.fate) for m in source.history] == [
        ("sent", "dead_lettered"),
        ("sent", "dead_lettered"),
        ("moved", None),
        ("moved", None),
    ]
    assert ids(source.sent) == sent
    assert source.moved == []
    again = receive(sqs_client, url)
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in again] == ["1", "1"]
    assert [m.receipt_handle for m in source.messages] == [m["ReceiptHandle"] for m in again]
    assert dlq_url == dlq.url


def test_views_show_move_task_steps_the_clock_has_made_due(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    # The views apply what the clock already says is due "as the next SQS call would"; the
    # next call would run the move task's steps first.
    dlq = fake_sqs.create_queue("jobs-dlq")
    redrive = {"deadLetterTargetArn": dlq.arn, "maxReceiveCount": 1}
    source = fake_sqs.create_queue("jobs", {"RedrivePolicy": json.dumps(redrive)})
    source.put("a", state="in_flight", receive_count=1, visible_in=0.001)
    fake_sqs.advance(1)
    assert receive(sqs_client, source.url) == []
    assert dlq.bodies == ["a"]
    sqs_client.start_message_move_task(SourceArn=dlq.arn)

    fake_sqs.advance(1)

    assert (dlq.bodies, source.bodies) == ([], ["a"])
    assert [m.fate for m in dlq.moved] == ["moved"]


def test_fifo_duplicate_is_not_listed_twice(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="orders.fifo", Attributes={"FifoQueue": "true"})[
        "QueueUrl"
    ]
    first = sqs_client.send_message(
        QueueUrl=url, MessageBody="a", MessageGroupId="g", MessageDeduplicationId="d"
    )
    duplicate = sqs_client.send_message(
        QueueUrl=url, MessageBody="a again", MessageGroupId="g", MessageDeduplicationId="d"
    )
    [received] = receive(sqs_client, url)
    sqs_client.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])
    after_delete = sqs_client.send_message(
        QueueUrl=url, MessageBody="a", MessageGroupId="g", MessageDeduplicationId="d"
    )
    view = fake_sqs.queue("orders.fifo")

    assert duplicate["MessageId"] == after_delete["MessageId"] == first["MessageId"]
    assert ids(view.sent) == [first["MessageId"]]
    assert ids(view.history) == [first["MessageId"]]
    assert ids(view.deleted) == [first["MessageId"]]
    assert view.sent[0].body == "a"
    assert view.messages == []


# --- 5. the call journal -----------------------------------------------------------------------


def test_a_call_is_recorded_with_params_region_time_status_and_response(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    fake_sqs.advance(2.5)
    params = {
        "QueueUrl": url,
        "MessageBody": "hello",
        "DelaySeconds": 3,
        "MessageAttributes": {"blob": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}},
    }
    answer = sqs_client.send_message(**params)

    created, sent = fake_sqs.calls
    assert (created.operation, created.params, created.region) == (
        "CreateQueue",
        {"QueueName": "jobs"},
        "us-east-1",
    )
    assert (created.time, created.at, created.status) == (T0.timestamp(), T0, 200)
    assert created.response is not None
    assert created.response["QueueUrl"] == url
    assert (created.error, created.ok, created.error_code) == (None, True, None)

    assert (sent.operation, sent.params, sent.region) == ("SendMessage", params, "us-east-1")
    assert (sent.time, sent.at, sent.status) == (T0.timestamp() + 2.5, at(2.5), 200)
    assert sent.response is not None
    assert sent.response["MessageId"] == answer["MessageId"]
    assert sent.response["MD5OfMessageBody"] == answer["MD5OfMessageBody"]
    assert sent.response == answer


def test_a_failing_call_is_recorded_with_its_error(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    with pytest.raises(ClientError):
        sqs_client.get_queue_url(QueueName="missing")
    fake_sqs.fail_next("ListQueues", "ThrottlingException", message="slow down")
    with pytest.raises(ClientError):
        sqs_client.list_queues()

    missing, throttled = fake_sqs.calls
    assert (missing.operation, missing.params, missing.status, missing.response) == (
        "GetQueueUrl",
        {"QueueName": "missing"},
        400,
        None,
    )
    assert missing.error == {
        "Message": "The specified queue does not exist.",
        "Code": "AWS.SimpleQueueService.NonExistentQueue",
        "QueryErrorCode": "QueueDoesNotExist",
        "Type": "Sender",
    }
    assert (missing.ok, missing.error_code) == (False, "QueueDoesNotExist")
    assert (throttled.operation, throttled.params, throttled.response) == (
        "ListQueues",
        {},
        None,
    )
    assert throttled.error is not None
    assert (throttled.error["Code"], throttled.error["Message"]) == (
        "ThrottlingException",
        "slow down",
    )
    assert (throttled.ok, throttled.error_code, throttled.status) == (
        False,
        "ThrottlingException",
        400,
    )


def test_journal_reads_like_a_sequence(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="a")
    receive(sqs_client, url)
    sqs_client.send_message(QueueUrl=url, MessageBody="b")
    calls = fake_sqs.calls

    assert len(calls) == 4
    assert calls.operations == ["CreateQueue", "SendMessage", "ReceiveMessage", "SendMessage"]
    assert [call.operation for call in calls] == calls.operations
    assert calls[0].operation == "CreateQueue"
    assert calls[-1].params == {"QueueUrl": url, "MessageBody": "b"}
    assert [call.operation for call in calls[1:3]] == ["SendMessage", "ReceiveMessage"]
    assert isinstance(calls[1:3], list)
    assert [call.params["MessageBody"] for call in calls.of("SendMessage")] == ["a", "b"]
    assert [call.operation for call in calls.of("ReceiveMessage", "CreateQueue")] == [
        "CreateQueue",
        "ReceiveMessage",
    ]
    assert calls.of("DeleteMessage") == []
    assert repr(calls) == (
        "<CallJournal of 4 calls: ['CreateQueue', 'SendMessage', 'ReceiveMessage', 'SendMessage']>"
    )

    # Iterating gives the calls as they were when it started.
    seen = []
    for call in calls:
        seen.append(call.operation)
        sqs_client.list_queues()
    assert len(seen) == 4
    assert len(calls) == 8

    calls.clear()
    assert len(calls) == 0
    assert list(calls) == []
    assert calls.operations == []
    sqs_client.list_queues()
    assert fake_sqs.calls.operations == ["ListQueues"]


def test_setup_helpers_and_reads_are_not_journaled_nor_faulted(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    fake_sqs.fail_next("SendMessage", "ThrottlingException")
    fake_sqs.fail_next("CreateQueue", "ThrottlingException")
    view = fake_sqs.create_queue("jobs")
    fifo = fake_sqs.create_queue("orders.fifo")
    view.put("visible")
    view.put("delayed", state="delayed", visible_in=5)
    view.put("in flight", state="in_flight", receive_count=2)
    fifo.put("ordered", group_id="g")
    with pytest.raises(ClientError):
        fake_sqs.create_queue("not a name")
    fake_sqs.queues(), view.messages, fake_sqs.report()

    assert len(fake_sqs.calls) == 0

    # The planned failures are still there for the code under test.
    with pytest.raises(ClientError) as excinfo:
        sqs_client.send_message(QueueUrl=view.url, MessageBody="x")
    assert error_of(excinfo)["Code"] == "ThrottlingException"
    assert fake_sqs.calls.operations == ["SendMessage"]


def test_calls_from_two_clients_in_two_regions(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    west = boto3.client("sqs", region_name="eu-west-1")

    sqs_client.create_queue(QueueName="east")
    west.create_queue(QueueName="west")
    sqs_client.list_queues()
    west.list_queues()

    assert [(call.operation, call.region) for call in fake_sqs.calls] == [
        ("CreateQueue", "us-east-1"),
        ("CreateQueue", "eu-west-1"),
        ("ListQueues", "us-east-1"),
        ("ListQueues", "eu-west-1"),
    ]
    assert [call.response["QueueUrl"] for call in fake_sqs.calls.of("CreateQueue")] == [  # type: ignore[index]
        url_of("east"),
        url_of("west", "eu-west-1"),
    ]
    assert [call.response["QueueUrls"] for call in fake_sqs.calls.of("ListQueues")] == [  # type: ignore[index]
        [url_of("east")],
        [url_of("west", "eu-west-1")],
    ]


# --- 6. setup helpers --------------------------------------------------------------------------


def test_create_queue_makes_a_standard_queue_clients_see(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    view = fake_sqs.create_queue(
        "jobs",
        {"VisibilityTimeout": 60, "DelaySeconds": 0, "SqsManagedSseEnabled": False},
        tags={"team": "core"},
    )

    assert isinstance(view, QueueView)
    assert (view.name, view.url, view.fifo, view.region) == (
        "jobs",
        url_of("jobs"),
        False,
        "us-east-1",
    )
    assert sqs_client.get_queue_url(QueueName="jobs")["QueueUrl"] == view.url
    attributes = sqs_client.get_queue_attributes(QueueUrl=view.url, AttributeNames=["All"])[
        "Attributes"
    ]
    assert (
        attributes["VisibilityTimeout"],
        attributes["DelaySeconds"],
        attributes["SqsManagedSseEnabled"],
    ) == ("60", "0", "false")
    assert sqs_client.list_queue_tags(QueueUrl=view.url)["Tags"] == {"team": "core"}


def test_create_queue_with_a_fifo_name_makes_a_fifo_queue_in_any_region(
    fake_sqs: FakeSQS,
) -> None:
    view = fake_sqs.create_queue(
        "orders.fifo",
        {"ContentBasedDeduplication": True, "VisibilityTimeout": 10},
        region="eu-west-1",
    )
    west = boto3.client("sqs", region_name="eu-west-1")

    assert (view.fifo, view.region, view.url) == (
        True,
        "eu-west-1",
        url_of("orders.fifo", "eu-west-1"),
    )
    attributes = west.get_queue_attributes(QueueUrl=view.url, AttributeNames=["All"])["Attributes"]
    assert (
        attributes["FifoQueue"],
        attributes["ContentBasedDeduplication"],
        attributes["VisibilityTimeout"],
    ) == ("true", "true", "10")


def test_create_queue_with_an_invalid_name_raises_sqs_error(fake_sqs: FakeSQS) -> None:
    with pytest.raises(ClientError) as excinfo:
        fake_sqs.create_queue("not a name")

    assert error_of(excinfo) == {
        "Code": "InvalidParameterValue",
        "Message": "Can only include alphanumeric characters, hyphens, or underscores. "
        "1 to 80 in length",
        "QueryErrorCode": "InvalidParameterValueException",
        "Type": "Sender",
        "status": 400,
    }
    assert excinfo.value.operation_name == "CreateQueue"
    assert fake_sqs.queues() == []


def test_create_queue_again_identically_returns_the_same_queue(fake_sqs: FakeSQS) -> None:
    first = fake_sqs.create_queue("jobs", {"VisibilityTimeout": 60})
    first.put("kept")

    again = fake_sqs.create_queue("jobs", {"VisibilityTimeout": "60"})

    assert (again.url, again.arn) == (first.url, first.arn)
    assert again.bodies == ["kept"]
    assert len(fake_sqs.queues()) == 1
    with pytest.raises(ClientError) as excinfo:
        fake_sqs.create_queue("jobs", {"VisibilityTimeout": 61})
    assert error_of(excinfo) == {
        "Code": "QueueAlreadyExists",
        "Message": "A queue already exists with the same name and a different value for "
        "attribute VisibilityTimeout",
        "QueryErrorCode": "QueueNameExists",
        "Type": "Sender",
        "status": 400,
    }


def test_put_visible_is_received_like_a_sent_message(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    view = fake_sqs.create_queue("jobs")
    attributes = {"colour": {"DataType": "String", "StringValue": "red"}}

    put = view.put("hello", message_attributes=attributes)

    assert (put.state, put.receive_count, put.visible_at, put.sent_at, put.origin) == (
        "visible",
        0,
        T0,
        T0,
        "sent",
    )
    assert put.message_attributes == attributes
    assert view.messages == [put]
    [received] = receive(sqs_client, view.url)
    assert (received["MessageId"], received["Body"], received["MessageAttributes"]) == (
        put.message_id,
        "hello",
        attributes,
    )
    assert received["Attributes"]["ApproximateReceiveCount"] == "1"


def test_put_visible_on_a_queue_with_a_delay_is_visible_now(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("slow", {"DelaySeconds": 10})

    put = view.put("now")

    assert (put.state, put.visible_at) == ("visible", T0)
    assert [(m.state, m.visible_at) for m in view.messages] == [("visible", T0)]


def test_put_delayed_with_visible_in_and_with_the_queues_delay(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    plain = fake_sqs.create_queue("plain")
    slow = fake_sqs.create_queue("slow", {"DelaySeconds": 10})

    soon = plain.put("in 15", state="delayed", visible_in=15)
    default = slow.put("in 10", state="delayed")

    assert (soon.state, soon.visible_at) == ("delayed", at(15))
    assert (default.state, default.visible_at) == ("delayed", at(10))
    fake_sqs.advance(9)
    assert receive(sqs_client, slow.url) == []
    fake_sqs.advance(1)
    assert [m["Body"] for m in receive(sqs_client, slow.url)] == ["in 10"]
    assert receive(sqs_client, plain.url) == []
    fake_sqs.advance(5)
    assert [m["Body"] for m in receive(sqs_client, plain.url)] == ["in 15"]


@pytest.mark.parametrize(
    ("state", "visible_in", "message"),
    [
        ("delayed", float("nan"), "the fake's clock moves by a finite number of seconds; got nan"),
        (
            "in_flight",
            float("inf"),
            "the fake's clock moves by a finite number of seconds; got inf",
        ),
        (
            "delayed",
            1e20,
            "the fake's clock cannot go past 9999-12-31T23:59:59Z; got 1e+20 seconds from "
            "2024-05-06T07:08:09Z",
        ),
    ],
)
def test_put_refuses_a_visible_in_the_clock_cannot_reach_and_stores_nothing(
    fake_sqs: FakeSQS, sqs_client: Any, state: str, visible_in: float, message: str
) -> None:
    view = fake_sqs.create_queue("jobs")

    with pytest.raises(ValueError) as excinfo:
        view.put("never", state=state, visible_in=visible_in)

    assert str(excinfo.value) == message
    assert view.messages == []
    assert fake_sqs.next_change_at is None  # nothing scheduled either
    view.put("fine", state=state, visible_in=5)
    fake_sqs.advance(5)
    assert [m["Body"] for m in receive(sqs_client, view.url)] == ["fine"]


def test_put_in_flight_gives_a_receipt_handle_that_deletes(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    view = fake_sqs.create_queue("jobs", {"VisibilityTimeout": 40})

    put = view.put("busy", state="in_flight", receive_count=3, visible_in=20)
    default = view.put("busy too", state="in_flight")

    assert (put.state, put.receive_count, put.visible_at) == ("in_flight", 3, at(20))
    assert put.attributes["ApproximateReceiveCount"] == "3"
    assert put.attributes["ApproximateFirstReceiveTimestamp"] == T0_MS
    assert (default.state, default.receive_count, default.visible_at) == ("in_flight", 1, at(40))
    assert put.receipt_handle is not None
    assert put.receipt_handle != default.receipt_handle
    assert receive(sqs_client, view.url) == []

    sqs_client.delete_message(QueueUrl=view.url, ReceiptHandle=put.receipt_handle)

    assert ids(view.deleted) == [put.message_id]
    assert ids(view.messages) == [default.message_id]


def test_put_in_flight_is_received_again_with_the_next_receive_count(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    view = fake_sqs.create_queue("jobs")
    put = view.put("retry me", state="in_flight", receive_count=2, visible_in=20)

    fake_sqs.advance(19)
    assert receive(sqs_client, view.url) == []
    fake_sqs.advance(1)
    [received] = receive(sqs_client, view.url)

    assert received["MessageId"] == put.message_id
    assert received["Attributes"]["ApproximateReceiveCount"] == "3"
    assert received["Attributes"]["ApproximateFirstReceiveTimestamp"] == T0_MS


def test_put_on_a_fifo_queue(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    orders = fake_sqs.create_queue("orders.fifo")
    by_content = fake_sqs.create_queue("content.fifo", {"ContentBasedDeduplication": True})

    with pytest.raises(ClientError) as excinfo:
        orders.put("no group")
    assert error_of(excinfo) == {
        "Code": "MissingParameter",
        "Message": "The request must contain the parameter MessageGroupId.",
        "QueryErrorCode": "MissingRequiredParameterException",
        "Type": "Sender",
        "status": 400,
    }
    assert excinfo.value.operation_name == "SendMessage"

    first = orders.put("first", group_id="g")
    second = orders.put("second", group_id="g")
    chosen = orders.put("chosen", group_id="h", deduplication_id="mine")
    hashed = by_content.put("body", group_id="g")

    assert first.deduplication_id is not None
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
        first.deduplication_id,
    )
    assert first.deduplication_id != second.deduplication_id
    assert chosen.deduplication_id == "mine"
    assert hashed.deduplication_id == hashlib.sha256(b"body").hexdigest()
    assert first.sequence_number is not None and second.sequence_number is not None
    assert int(first.sequence_number) < int(second.sequence_number)
    received = receive(sqs_client, orders.url)
    assert [(m["Body"], m["Attributes"]["MessageGroupId"]) for m in received] == [
        ("first", "g"),
        ("second", "g"),
        ("chosen", "h"),
    ]
    assert received[0]["Attributes"]["SequenceNumber"] == first.sequence_number
    assert received[0]["Attributes"]["MessageDeduplicationId"] == first.deduplication_id


def test_put_rejects_bad_options(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("jobs")

    with pytest.raises(ValueError) as excinfo:
        view.put("x", state="received")
    assert str(excinfo.value) == (
        "put(state=...) is one of ['delayed', 'in_flight', 'visible'], got 'received'"
    )
    with pytest.raises(ValueError) as excinfo:
        view.put("x", state="in_flight", receive_count=-1)
    assert str(excinfo.value) == "put(receive_count=...) must be an int >= 0, got -1"
    with pytest.raises(ValueError) as excinfo:
        view.put("x", receive_count=1.5)  # type: ignore[arg-type]
    assert str(excinfo.value) == "put(receive_count=...) must be an int >= 0, got 1.5"
    with pytest.raises(ValueError) as excinfo:
        view.put("x", receive_count=True)  # type: ignore[arg-type]
    assert str(excinfo.value) == "put(receive_count=...) must be an int >= 0, got True"
    with pytest.raises(ValueError) as excinfo:
        view.put("x", state="delayed")
    assert str(excinfo.value) == "put(state='delayed') needs visible_in=<seconds> > 0"
    assert view.history == []


def test_put_of_a_fifo_duplicate_is_refused_and_leaves_the_first_message_alone(
    fake_sqs: FakeSQS,
) -> None:
    view = fake_sqs.create_queue("orders.fifo")
    first = view.put("a", group_id="g", deduplication_id="d1")

    with pytest.raises(ValueError) as excinfo:
        view.put("a again", group_id="g", deduplication_id="d1", state="in_flight")

    assert str(excinfo.value) == (
        f"put(): a FIFO duplicate of message {first.message_id} (same deduplication id "
        "within 5 minutes); nothing was stored"
    )
    assert view.messages == [first]


def test_put_validates_the_message_as_send_message_would(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("jobs", {"MaximumMessageSize": 1024})

    with pytest.raises(ClientError) as excinfo:
        view.put("x" * 1025)

    assert error_of(excinfo)["Code"] == "InvalidParameterValue"
    assert view.history == []


# --- 7. assertions -----------------------------------------------------------------------------


def test_assert_empty(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("jobs")
    view.assert_empty()

    one = view.put("one")
    with pytest.raises(AssertionError) as excinfo:
        view.assert_empty()
    assert str(excinfo.value) == (
        f"queue 'jobs' is not empty: 1 message stored\n"
        f"  - visible 'one' (id {one.message_id}, receives 0)"
    )

    two = view.put("two", state="in_flight", receive_count=2)
    with pytest.raises(AssertionError) as excinfo:
        view.assert_empty()
    assert str(excinfo.value) == (
        f"queue 'jobs' is not empty: 2 messages stored\n"
        f"  - visible 'one' (id {one.message_id}, receives 0)\n"
        f"  - in_flight 'two' (id {two.message_id}, receives 2)"
    )


def test_assert_empty_on_fifo_names_the_group(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("orders.fifo")
    message = view.put("x", group_id="g1", state="delayed", visible_in=3)

    with pytest.raises(AssertionError) as excinfo:
        view.assert_empty()
    assert str(excinfo.value) == (
        f"queue 'orders.fifo' is not empty: 1 message stored\n"
        f"  - delayed 'x' (id {message.message_id}, receives 0, group 'g1')"
    )


@pytest.fixture
def jobs(fake_sqs: FakeSQS, sqs_client: Any) -> QueueView:
    """A queue with two messages sent by a client: a JSON one with attributes, and 'plain'."""
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(
        QueueUrl=url,
        MessageBody=json.dumps({"id": 1, "kind": "order"}),
        MessageAttributes={
            "source": {"DataType": "String", "StringValue": "shop"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    sqs_client.send_message(QueueUrl=url, MessageBody="plain")
    return fake_sqs.queue("jobs")


def listing_of(view: QueueView) -> str:
    first, second = view.sent
    return (
        f'  - visible \'{{"id": 1, "kind": "order"}}\' (id {first.message_id}, receives 0)\n'
        f"  - visible 'plain' (id {second.message_id}, receives 0)"
    )


def test_assert_sent_matches_and_returns_the_matches(jobs: QueueView, sqs_client: Any) -> None:
    json_message, plain = jobs.sent

    assert jobs.assert_sent() == [json_message, plain]
    assert jobs.assert_sent("plain") == [plain]
    assert jobs.assert_sent({"id": 1, "kind": "order"}) == [json_message]
    assert jobs.assert_sent(lambda body: body.startswith("{")) == [json_message]
    assert jobs.assert_sent(message_attributes={"source": "shop"}) == [json_message]
    assert jobs.assert_sent(
        message_attributes={"source": {"DataType": "String", "StringValue": "shop"}}
    ) == [json_message]
    assert jobs.assert_sent(message_attributes={"blob": b"\x00\x01"}) == [json_message]
    assert jobs.assert_sent(
        message_attributes={"blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}
    ) == [json_message]
    assert jobs.assert_sent("plain", count=1) == [plain]
    assert jobs.assert_sent(count=2) == [json_message, plain]

    # Deleted messages were still sent.
    for message in receive(sqs_client, jobs.url):
        sqs_client.delete_message(QueueUrl=jobs.url, ReceiptHandle=message["ReceiptHandle"])
    assert jobs.messages == []
    assert [m.message_id for m in jobs.assert_sent("plain")] == [plain.message_id]
    jobs.assert_not_sent("other")
    jobs.assert_not_sent(message_attributes={"source": "elsewhere"})


def test_assert_sent_by_group(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("orders.fifo", {"ContentBasedDeduplication": True})
    a = view.put("a", group_id="g1")
    b = view.put("b", group_id="g2")
    c = view.put("c", group_id="g1")

    assert view.assert_sent(group_id="g1") == [a, c]
    assert view.assert_sent("b", group_id="g2") == [b]
    view.assert_not_sent("b", group_id="g1")
    with pytest.raises(AssertionError) as excinfo:
        view.assert_sent("a", group_id="g2")
    assert str(excinfo.value) == (
        "no message sent to queue 'orders.fifo' matches body='a', group_id='g2'\n"
        "3 messages were sent:\n"
        f"  - visible 'a' (id {a.message_id}, receives 0, group 'g1')\n"
        f"  - visible 'b' (id {b.message_id}, receives 0, group 'g2')\n"
        f"  - visible 'c' (id {c.message_id}, receives 0, group 'g1')\n"
        f"closest (id {a.message_id}); diff as pytest shows it, - expected + actual:\n"
        # The group is part of the diff: it is what differs.
        "  - {'body': 'a', 'group_id': 'g2'}\n"
        "  + {'body': 'a', 'group_id': 'g1'}"
    )


def test_assert_sent_failure_with_a_string_body_shows_the_closest_diff(jobs: QueueView) -> None:
    plain = jobs.sent[1]

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_sent("plainer")

    assert str(excinfo.value) == (
        "no message sent to queue 'jobs' matches body='plainer'\n"
        "2 messages were sent:\n"
        f"{listing_of(jobs)}\n"
        f"closest (id {plain.message_id}); diff as pytest shows it, - expected + actual:\n"
        "  - {'body': 'plainer'}\n"
        "  + {'body': 'plain'}"
    )


def test_assert_sent_failure_with_a_json_body_diffs_parsed_json(jobs: QueueView) -> None:
    json_message = jobs.sent[0]

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_sent({"id": 2, "kind": "order"})

    assert str(excinfo.value) == (
        "no message sent to queue 'jobs' matches body={'id': 2, 'kind': 'order'}\n"
        "2 messages were sent:\n"
        f"{listing_of(jobs)}\n"
        f"closest (id {json_message.message_id}); diff as pytest shows it, "
        "- expected + actual:\n"
        "  - {'body': {'id': 2, 'kind': 'order'}}\n"
        "  + {'body': {'id': 1, 'kind': 'order'}}"
    )


def test_assert_sent_failure_with_message_attributes(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("jobs")
    shop = view.put(
        "a",
        message_attributes={
            "source": {"DataType": "String", "StringValue": "shop"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
        },
    )
    other = view.put(
        "b", message_attributes={"source": {"DataType": "String", "StringValue": "warehouse"}}
    )

    with pytest.raises(AssertionError) as excinfo:
        view.assert_sent(
            message_attributes={
                "source": {"DataType": "String", "StringValue": "shop"},
                "blob": b"\x00\x02",
            }
        )

    assert str(excinfo.value) == (
        "no message sent to queue 'jobs' matches message_attributes="
        "{'source': {'DataType': 'String', 'StringValue': 'shop'}, 'blob': b'\\x00\\x02'}\n"
        "2 messages were sent:\n"
        f"  - visible 'a' (id {shop.message_id}, receives 0)\n"
        f"  - visible 'b' (id {other.message_id}, receives 0)\n"
        f"closest (id {shop.message_id}); diff as pytest shows it, - expected + actual:\n"
        "  - {'message_attributes': {'blob': b'\\x00\\x02', 'source': 'shop'}}\n"
        "  + {'message_attributes': {'blob': b'\\x00\\x01', 'source': 'shop'}}"
    )


def test_assert_sent_failure_with_a_predicate_names_it_and_shows_no_diff(
    jobs: QueueView,
) -> None:
    def is_urgent(body: str) -> bool:
        return "urgent" in body

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_sent(is_urgent)

    assert str(excinfo.value) == (
        "no message sent to queue 'jobs' matches body=is_urgent\n"
        "2 messages were sent:\n"
        f"{listing_of(jobs)}"
    )


def test_assert_sent_failure_on_count(jobs: QueueView) -> None:
    plain = jobs.sent[1]

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_sent("plain", count=2)
    assert str(excinfo.value) == (
        "expected 2 message(s) sent to queue 'jobs' matching body='plain', found 1\n"
        f"  - visible 'plain' (id {plain.message_id}, receives 0)"
    )

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_sent("nothing like it", count=1)
    assert str(excinfo.value) == (
        "expected 1 message(s) sent to queue 'jobs' matching body='nothing like it', found 0\n"
        f"{listing_of(jobs)}"
    )


def test_assert_not_sent_failure_lists_the_matches(jobs: QueueView) -> None:
    plain = jobs.sent[1]

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_not_sent("plain")
    assert str(excinfo.value) == (
        "1 message(s) sent to queue 'jobs' match body='plain', expected none\n"
        f"  - visible 'plain' (id {plain.message_id}, receives 0)"
    )

    with pytest.raises(AssertionError) as excinfo:
        jobs.assert_not_sent()
    assert str(excinfo.value) == (
        f"2 message(s) sent to queue 'jobs' match anything, expected none\n{listing_of(jobs)}"
    )


def test_assertions_when_nothing_was_sent(fake_sqs: FakeSQS) -> None:
    view = fake_sqs.create_queue("jobs")

    view.assert_not_sent()
    view.assert_not_sent("x")
    assert view.assert_sent(count=0) == []
    with pytest.raises(AssertionError) as excinfo:
        view.assert_sent("x")
    assert str(excinfo.value) == (
        "no message was sent to queue 'jobs'; expected one matching body='x'"
    )
    with pytest.raises(AssertionError) as excinfo:
        view.assert_sent()
    assert str(excinfo.value) == (
        "no message was sent to queue 'jobs'; expected one matching anything"
    )


def test_assert_sent_count_when_nothing_was_sent_ends_without_a_blank_listing(
    fake_sqs: FakeSQS,
) -> None:
    view = fake_sqs.create_queue("jobs")

    with pytest.raises(AssertionError) as excinfo:
        view.assert_sent(count=1)

    assert str(excinfo.value) == (
        "expected 1 message(s) sent to queue 'jobs' matching anything, found 0"
    )


# --- 8. snapshots ------------------------------------------------------------------------------


def build_state(fake: FakeSQS, client: Any) -> dict[str, Any]:
    """Two queues with a visible, an in-flight and a delayed message; what the client saw."""
    url = client.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
    fake.create_queue("orders.fifo", {"ContentBasedDeduplication": True}).put("o", group_id="g")
    client.send_message(QueueUrl=url, MessageBody="in flight")
    client.send_message(QueueUrl=url, MessageBody="visible")
    client.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=30)
    [received] = receive(client, url, count=1)
    fake.advance(10)
    return {"url": url, "handle": received["ReceiptHandle"]}


STATES = [("in flight", "in_flight", 1), ("visible", "visible", 0), ("delayed", "delayed", 0)]


def states(view: QueueView) -> list[tuple[str, str, int]]:
    return [(m.body, m.state, m.receive_count) for m in view.messages]


def test_restore_gives_back_queues_messages_states_and_the_clock(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    built = build_state(fake_sqs, sqs_client)
    view = fake_sqs.queue("jobs")
    before = view.messages
    snapshot = fake_sqs.snapshot()
    assert isinstance(snapshot, Snapshot)
    assert (snapshot.time, snapshot.at) == (T0.timestamp() + 10, at(10))

    fake_sqs.advance(100)
    sqs_client.delete_queue(QueueUrl=fake_sqs.queue("orders.fifo").url)
    sqs_client.send_message(QueueUrl=built["url"], MessageBody="after")
    sqs_client.create_queue(QueueName="later")
    assert view.bodies == ["in flight", "visible", "delayed", "after"]

    fake_sqs.restore(snapshot)

    assert (fake_sqs.time, fake_sqs.now) == (T0.timestamp() + 10, at(10))
    assert [q.name for q in fake_sqs.queues()] == ["jobs", "orders.fifo"]
    assert states(view) == STATES
    assert view.messages == before
    assert fake_sqs.queue("orders.fifo").bodies == ["o"]
    assert sqs_client.list_queues()["QueueUrls"] == [url_of("jobs"), url_of("orders.fifo")]
    # The restored in-flight message still answers to its receipt handle.
    assert [m["Body"] for m in receive(sqs_client, built["url"])] == ["visible"]
    sqs_client.delete_message(QueueUrl=built["url"], ReceiptHandle=built["handle"])
    assert [m.body for m in view.deleted] == ["in flight"]


def test_restoring_twice_gives_identical_independent_copies(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    built = build_state(fake_sqs, sqs_client)
    view = fake_sqs.queue("jobs")
    snapshot = fake_sqs.snapshot()
    original = view.messages

    fake_sqs.restore(snapshot)
    sqs_client.delete_message(QueueUrl=built["url"], ReceiptHandle=built["handle"])
    sqs_client.purge_queue(QueueUrl=built["url"])
    fake_sqs.advance(500)
    assert view.messages == []

    fake_sqs.restore(snapshot)

    assert view.messages == original
    assert states(view) == STATES
    assert fake_sqs.time == snapshot.time
    assert view.purged == view.deleted == []


def test_changes_after_a_snapshot_do_not_leak_into_it(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    built = build_state(fake_sqs, sqs_client)
    view = fake_sqs.queue("jobs")
    snapshot = fake_sqs.snapshot()

    sqs_client.delete_message(QueueUrl=built["url"], ReceiptHandle=built["handle"])
    sqs_client.send_message(QueueUrl=built["url"], MessageBody="after")
    fake_sqs.queue("orders.fifo").put("p", group_id="g")
    fake_sqs.advance(60)
    receive(sqs_client, built["url"])

    fake_sqs.restore(snapshot)

    assert states(view) == STATES
    assert fake_sqs.queue("orders.fifo").bodies == ["o"]
    assert view.deleted == []


@pytest.fixture(scope="session")
def prepared() -> tuple[Snapshot, dict[str, Any]]:
    """State built once, outside any test's fake, in a fake of its own."""
    with mock_sqs(seed=77, freeze=FROZEN) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        built = build_state(fake, client)
        built["ids"] = ids(fake.queue("jobs").messages)
        return fake.snapshot(), built


def test_a_snapshot_restores_into_another_fake(
    prepared: tuple[Snapshot, dict[str, Any]], fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    snapshot, built = prepared
    assert fake_sqs.queues() == []

    fake_sqs.restore(snapshot)

    view = fake_sqs.queue("jobs")
    assert states(view) == STATES
    assert ids(view.messages) == built["ids"]
    assert fake_sqs.time == snapshot.time
    sqs_client.delete_message(QueueUrl=built["url"], ReceiptHandle=built["handle"])
    assert [m.body for m in view.deleted] == ["in flight"]


def test_a_snapshot_restores_into_another_fake_again_unchanged(
    prepared: tuple[Snapshot, dict[str, Any]], fake_sqs: FakeSQS
) -> None:
    snapshot, built = prepared

    fake_sqs.restore(snapshot)

    view = fake_sqs.queue("jobs")
    assert states(view) == STATES
    assert ids(view.messages) == built["ids"]
    assert view.deleted == []


# --- keep_history=False ------------------------------------------------------------------------


def test_without_history_calls_and_gone_messages_are_not_kept() -> None:
    with mock_sqs(seed=3, freeze=T0, keep_history=False) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="big")["QueueUrl"]
        for body in ("a", "b"):
            client.send_message(QueueUrl=url, MessageBody=body)
        [received] = client.receive_message(QueueUrl=url)["Messages"]
        client.delete_message(QueueUrl=url, ReceiptHandle=received["ReceiptHandle"])
        view = fake.queue("big")
        queue = fake.engine.backend.by_url(url, "us-east-1", "123456789012")

        assert queue.gone is None and queue.history() is None
        assert len(fake.engine.journal) == 0
        assert [m.body for m in view.messages] == ["b"]  # what is stored is still readable
        assert view.put("c").body == "c"
        with pytest.raises(RuntimeError) as calls_error:
            fake.calls  # noqa: B018
        assert str(calls_error.value) == "this fake keeps no call journal (keep_history=False)"
        for reader in ("history", "sent", "deleted"):
            with pytest.raises(RuntimeError) as excinfo:
                getattr(view, reader)
            assert str(excinfo.value) == (
                "this fake keeps no history (keep_history=False): only the messages stored now "
                "can be read"
            )
        assert "1 sent" not in fake.report()
        assert "queue big (us-east-1): 2 visible, 0 in flight, 0 delayed\n" in fake.report() + "\n"


# --- history_limit -----------------------------------------------------------------------------


def test_the_journal_keeps_the_last_history_limit_calls_and_counts_the_dropped_ones() -> None:
    with mock_sqs(freeze=T0, history_limit=3) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        for body in ("a", "b", "c"):
            client.send_message(QueueUrl=url, MessageBody=body)
        client.list_queues()

        calls = fake.calls
        assert (calls.limit, calls.dropped, len(calls)) == (3, 2, 3)
        assert calls.operations == ["SendMessage", "SendMessage", "ListQueues"]
        assert [c.params.get("MessageBody") for c in calls.of("SendMessage")] == ["b", "c"]
        assert calls[0].params["MessageBody"] == "b"  # call number 2 (dropped) of the fake
        assert [c.operation for c in calls[1:]] == ["SendMessage", "ListQueues"]
        assert calls[-1].operation == "ListQueues"
        assert repr(calls) == (
            "<CallJournal of the last 3 calls (2 earlier ones dropped: history_limit=3): "
            "['SendMessage', 'SendMessage', 'ListQueues']>"
        )
        assert "last 3 of 3 calls (2 earlier calls dropped):" in fake.report()

        calls.clear()
        assert (len(calls), calls.dropped) == (0, 0)
        assert repr(calls) == "<CallJournal of 0 calls: []>"


def test_the_default_limit_is_10_000_calls_and_none_keeps_every_call() -> None:
    for limit, kept, dropped in ((10_000, 10_000, 5), (None, 10_005, 0)):
        with mock_sqs(freeze=T0, **({} if limit == 10_000 else {"history_limit": limit})) as fake:
            engine = fake.engine
            for _ in range(10_005):
                engine.handle("ListQueues", {}, "us-east-1")
            assert (fake.calls.limit, len(fake.calls), fake.calls.dropped) == (
                limit,
                kept,
                dropped,
            )


def test_each_queue_keeps_the_last_history_limit_gone_messages() -> None:
    with mock_sqs(freeze=T0, history_limit=2) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        other = fake.create_queue("other")
        for body in ("a", "b", "c", "d", "stays"):
            client.send_message(QueueUrl=url, MessageBody=body)
        other.put("elsewhere")
        received = client.receive_message(QueueUrl=url, MaxNumberOfMessages=4)["Messages"]
        for message in received:
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        jobs = fake.queue("jobs")

        # Stored messages are always in the history; of the gone ones, the last two are.
        assert [(m.body, m.fate) for m in jobs.history] == [
            ("c", "deleted"),
            ("d", "deleted"),
            ("stays", None),
        ]
        assert [m.body for m in jobs.sent] == ["c", "d", "stays"]
        assert [m.body for m in jobs.deleted] == ["c", "d"]
        assert jobs.dropped_from_history == 2
        assert (other.dropped_from_history, [m.body for m in other.history]) == (0, ["elsewhere"])
        assert "1 visible, 0 in flight, 0 delayed; 3 sent, 2 deleted (2 gone messages dropped " in (
            fake.report()
        )

        jobs.assert_sent("c")
        with pytest.raises(AssertionError) as excinfo:
            jobs.assert_sent("a")
        assert str(excinfo.value).endswith(
            "\n(only the last gone messages are kept: 2 earlier ones were dropped from queue "
            "'jobs''s history; history_limit=None keeps them all)"
        )
        with pytest.raises(AssertionError) as excinfo:
            other.assert_sent("a")
        assert "dropped" not in str(excinfo.value)


@pytest.mark.parametrize("limit", [0, -1, True, 2.5, "10"])
def test_a_bad_history_limit_raises_value_error(limit: Any) -> None:
    with pytest.raises(ValueError) as excinfo:
        mock_sqs(history_limit=limit)
    assert str(excinfo.value) == (
        f"history_limit= takes a positive int, or None to keep everything; got {limit!r}"
    )
