"""boto 2.49 (the legacy ``boto`` package, no botocore) against the fake's HTTP server.

boto 2 speaks the query protocol in its own way: most calls are GETs with the parameters in the
query string, sent to the queue's own path (``/123456789012/jobs``) with no ``QueueUrl``
parameter, lists and maps sent unnumbered when they hold one item (``AttributeName=All``,
``Attribute.Name=...``), and responses read by SAX handlers. The botocore hooks never see it:
only the server serves it. The same state is read in-process through ``fake_sqs``.

boto 2 is not in the project's test extras: this file runs in a virtual environment of its own
(see .ci/run), or wherever ``boto==2.49.0`` is installed.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import struct
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

with warnings.catch_warnings():
    # Two warnings of boto 2's import on Python 3.11, which filterwarnings=error would turn
    # into a failed import: its vendored six (1.9) registers a sys.meta_path importer with
    # only the pre-3.4 find_module()/load_module() protocol (ImportWarning), and boto.plugin
    # imports the deprecated `imp` module (DeprecationWarning).
    warnings.simplefilter("ignore", ImportWarning)
    warnings.filterwarnings("ignore", "the imp module is deprecated", DeprecationWarning)
    import boto.vendored.six
    from boto.exception import SQSError
    from boto.sqs.connection import SQSConnection
    from boto.sqs.jsonmessage import JSONMessage
    from boto.sqs.message import Message, RawMessage
    from boto.sqs.queue import Queue
    from boto.sqs.regioninfo import SQSRegionInfo


def _find_spec(self: Any, fullname: str, path: Any = None, target: Any = None) -> Any:
    if self.find_module(fullname, path) is None:
        return None
    return importlib.util.spec_from_loader(fullname, self)


def _create_module(self: Any, spec: Any) -> Any:
    return self.load_module(spec.name)


def _exec_module(self: Any, module: Any) -> None:
    return None


# The importer stays on sys.meta_path for the rest of the process: give it the modern protocol
# (what six 1.16 added) so that later imports (every failed one reaches it) do not warn either.
_importer = boto.vendored.six._SixMetaPathImporter
_importer.find_spec = _find_spec
_importer.create_module = _create_module
_importer.exec_module = _exec_module

pytestmark = pytest.mark.fake_sqs(freeze="2024-05-01T12:00:00Z")

ACCOUNT = "123456789012"
SENT_AT = "1714564800000"  # the frozen clock, in epoch milliseconds
SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"
# The query protocol's own text (recorded on AWS; JSON says "...does not exist.").
NOT_FOUND = "The specified queue does not exist for this wsdl version."


@pytest.fixture
def sqs(fake_sqs_server: Any) -> Iterator[SQSConnection]:
    region = SQSRegionInfo(name="us-east-1", endpoint=fake_sqs_server.host)
    connection = SQSConnection(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        is_secure=False,
        port=fake_sqs_server.port,
        region=region,
    )
    yield connection
    # boto 2's close() closes nothing: its pool keeps each http.client connection open until
    # garbage collection, which would report it as a ResourceWarning (an error here).
    for pool in connection._pool.host_to_pool.values():
        for http_connection, _ in pool.queue:
            http_connection.close()


@pytest.fixture
def queue(sqs: SQSConnection) -> Queue:
    return sqs.create_queue("jobs")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def attributes_md5(attributes: dict[str, dict[str, str]]) -> str:
    """SQS's MD5OfMessageAttributes, computed as AWS documents it (names sorted; each of name,
    data type and value length-prefixed; a transport byte 1 for strings, 2 for binary)."""
    digest = hashlib.md5()

    def field(data: bytes) -> None:
        digest.update(struct.pack("!I", len(data)) + data)

    for name in sorted(attributes):
        attribute = attributes[name]
        field(name.encode())
        field(attribute["data_type"].encode())
        if "binary_value" in attribute:
            digest.update(b"\x02")
            field(base64.b64decode(attribute["binary_value"]))
        else:
            digest.update(b"\x01")
            field(attribute["string_value"].encode())
    return digest.hexdigest()


# --- queues -------------------------------------------------------------------------------------


def test_create_queue_returns_a_queue_on_the_servers_endpoint(sqs, fake_sqs_server, fake_sqs):
    queue = sqs.create_queue("jobs", visibility_timeout=45)

    assert queue.url == f"{fake_sqs_server.endpoint_url}/{ACCOUNT}/jobs"
    assert queue.id == f"/{ACCOUNT}/jobs"
    assert queue.name == "jobs"
    assert queue.arn == f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs"
    view = fake_sqs.queue("jobs")
    assert view.attributes["VisibilityTimeout"] == "45"
    assert view.arn == f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs"


def test_create_queue_again_with_other_attributes_is_an_error(sqs):
    sqs.create_queue("jobs", visibility_timeout=45)
    with pytest.raises(SQSError) as excinfo:
        sqs.create_queue("jobs", visibility_timeout=60)
    error = excinfo.value
    assert (error.status, error.reason) == (400, "Bad Request")
    assert error.error_code == "QueueAlreadyExists"
    assert error.message == (
        "A queue already exists with the same name and a different value for attribute "
        "VisibilityTimeout"
    )


def test_get_queue_and_lookup(sqs, fake_sqs_server, queue):
    found = sqs.get_queue("jobs")
    assert isinstance(found, Queue)
    assert found.url == f"{fake_sqs_server.endpoint_url}/{ACCOUNT}/jobs"
    assert sqs.lookup("jobs").url == found.url
    # boto 2 turns the NonExistentQueue error into None.
    assert sqs.get_queue("missing") is None
    assert sqs.lookup("missing") is None


def test_get_all_queues_with_and_without_prefix(sqs, fake_sqs_server):
    for name in ("jobs", "jobs-dlq", "reports"):
        sqs.create_queue(name)
    base = f"{fake_sqs_server.endpoint_url}/{ACCOUNT}"
    assert sorted(q.url for q in sqs.get_all_queues()) == [
        f"{base}/jobs",
        f"{base}/jobs-dlq",
        f"{base}/reports",
    ]
    assert sorted(q.name for q in sqs.get_all_queues(prefix="jobs")) == ["jobs", "jobs-dlq"]
    assert list(sqs.get_all_queues(prefix="nothing")) == []


def test_queue_attributes_all_one_and_set(queue, fake_sqs):
    assert queue.set_attribute("VisibilityTimeout", 120) is True
    assert queue.set_attribute("DelaySeconds", "5") is True

    assert queue.get_attributes("VisibilityTimeout") == {"VisibilityTimeout": "120"}
    assert queue.get_timeout() == 120
    assert queue.get_attributes() == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "CreatedTimestamp": "1714564800",
        "DelaySeconds": "5",
        "LastModifiedTimestamp": "1714564800",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
        "VisibilityTimeout": "120",
    }
    assert fake_sqs.queue("jobs").attributes["VisibilityTimeout"] == "120"
    assert fake_sqs.queue("jobs").attributes["DelaySeconds"] == "5"


def test_invalid_attribute_value_is_an_error(queue):
    with pytest.raises(SQSError) as excinfo:
        queue.set_attribute("VisibilityTimeout", 43201)
    error = excinfo.value
    assert (error.status, error.error_code) == (400, "InvalidAttributeValue")
    assert error.message == "Invalid value for the parameter VisibilityTimeout."


def test_delete_queue(sqs, queue, fake_sqs):
    assert queue.delete() is True
    assert sqs.get_queue("jobs") is None
    with pytest.raises(LookupError):
        fake_sqs.queue("jobs")


# --- messages -----------------------------------------------------------------------------------


def test_message_is_base64_on_the_wire(queue, fake_sqs):
    sent = queue.write(Message(body="hello"))

    stored = fake_sqs.queue("jobs").messages
    assert [m.body for m in stored] == [b64("hello")]
    assert sent.id == stored[0].message_id
    # Queue.write copies `md5` from SendMessage's answer, whose element is MD5OfMessageBody:
    # boto 2's Message parser stores that under its own name and leaves `md5` unset.
    assert sent.md5 is None

    received = queue.read()
    assert isinstance(received, Message)
    assert received.get_body() == "hello"
    assert received.id == sent.id
    assert received.md5 == md5(b64("hello"))
    assert received.receipt_handle == fake_sqs.queue("jobs").messages[0].receipt_handle


def test_send_message_answer(sqs, queue, fake_sqs):
    answer = sqs.send_message(
        queue, "body", message_attributes={"k": {"data_type": "String", "string_value": "v"}}
    )
    assert answer.id == fake_sqs.queue("jobs").messages[0].message_id
    assert answer.MD5OfMessageBody == md5("body")
    assert answer.md5_message_attributes == attributes_md5(
        {"k": {"data_type": "String", "string_value": "v"}}
    )


def test_raw_message_is_sent_as_is(queue, fake_sqs):
    queue.set_message_class(RawMessage)
    body = 'plain <text> & "quotes"\r\n\u00e9'
    sent = queue.write(RawMessage(body=body))

    assert fake_sqs.queue("jobs").bodies == [body]
    received = queue.read()
    assert isinstance(received, RawMessage)
    assert received.get_body() == body
    assert received.md5 == md5(body)
    assert received.id == sent.id


def test_json_message_round_trip(queue, fake_sqs):
    queue.set_message_class(JSONMessage)
    queue.write(JSONMessage(body={"order": 1, "items": ["a", "b"]}))

    stored = fake_sqs.queue("jobs").messages[0]
    assert json.loads(base64.b64decode(stored.body)) == {"order": 1, "items": ["a", "b"]}
    received = queue.read()
    assert isinstance(received, JSONMessage)
    assert received.get_body() == {"order": 1, "items": ["a", "b"]}
    assert received["order"] == 1


def test_get_messages_with_attributes_and_message_attributes(queue, fake_sqs):
    message_attributes = {
        "kind": {"data_type": "String", "string_value": "order"},
        "count": {"data_type": "Number", "string_value": "7"},
        "blob": {"data_type": "Binary", "binary_value": b64("\x00raw")},
    }
    message = Message(body="with attributes")
    message.message_attributes = message_attributes
    queue.write(message)

    stored = fake_sqs.queue("jobs").messages[0]
    assert stored.message_attributes == {
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00raw"},
        "count": {"DataType": "Number", "StringValue": "7"},
        "kind": {"DataType": "String", "StringValue": "order"},
    }

    [received] = queue.get_messages(num_messages=10, attributes=["All"], message_attributes=["All"])
    assert received.get_body() == "with attributes"
    assert dict(received.attributes) == {
        "ApproximateFirstReceiveTimestamp": SENT_AT,
        "ApproximateReceiveCount": "1",
        "SenderId": SENDER_ID,
        "SentTimestamp": SENT_AT,
    }
    assert {name: dict(value) for name, value in received.message_attributes.items()} == (
        message_attributes
    )
    assert received.md5_message_attributes == attributes_md5(message_attributes)


def test_get_messages_only_the_named_attributes(queue):
    message = Message(body="x")
    message.message_attributes = {
        "kind": {"data_type": "String", "string_value": "order"},
        "count": {"data_type": "Number", "string_value": "7"},
    }
    queue.write(message)

    [received] = queue.get_messages(attributes="SentTimestamp", message_attributes=["kind"])
    assert dict(received.attributes) == {"SentTimestamp": SENT_AT}
    assert {name: dict(value) for name, value in received.message_attributes.items()} == {
        "kind": {"data_type": "String", "string_value": "order"}
    }


def test_delete_message(queue, fake_sqs):
    queue.write(Message(body="done"))
    received = queue.read()

    assert queue.delete_message(received) is True
    assert fake_sqs.queue("jobs").messages == []
    assert [m.message_id for m in fake_sqs.queue("jobs").deleted] == [received.id]
    assert queue.count() == 0


def test_delete_with_an_invalid_receipt_handle_is_an_error(sqs, queue):
    with pytest.raises(SQSError) as excinfo:
        sqs.delete_message_from_handle(queue, "not-a-handle")
    error = excinfo.value
    assert (error.status, error.error_code) == (400, "ReceiptHandleIsInvalid")
    assert error.message == (
        'The input receipt handle "not-a-handle" is not a valid receipt handle.'
    )


def test_visibility_timeout_and_change_visibility_follow_the_fakes_clock(queue, fake_sqs):
    queue.write(Message(body="work"))
    first = queue.read(visibility_timeout=10)
    assert first.get_body() == "work"
    assert queue.read() is None

    fake_sqs.advance(10)
    second = queue.read()
    assert second.id == first.id
    second.change_visibility(60)

    fake_sqs.advance(59)
    assert queue.read() is None
    assert fake_sqs.queue("jobs").in_flight[0].message_id == first.id
    fake_sqs.advance(1)
    [third] = queue.get_messages(attributes=["ApproximateReceiveCount"])
    assert third.id == first.id
    assert dict(third.attributes) == {"ApproximateReceiveCount": "3"}


def test_delay_follows_the_fakes_clock(queue, fake_sqs):
    queue.write(Message(body="later"), delay_seconds=30)

    assert queue.read() is None
    assert [m.body for m in fake_sqs.queue("jobs").delayed] == [b64("later")]
    assert queue.get_attributes("ApproximateNumberOfMessagesDelayed") == {
        "ApproximateNumberOfMessagesDelayed": "1"
    }
    fake_sqs.advance(29)
    assert queue.read() is None
    fake_sqs.advance(1)
    assert queue.read().get_body() == "later"


def test_count_counts_visible_messages(queue, fake_sqs):
    for body in ("a", "b", "c"):
        queue.write(Message(body=body))
    assert queue.count() == 3
    queue.read()
    assert queue.count() == 2
    assert len(fake_sqs.queue("jobs").in_flight) == 1


def test_purge(queue, fake_sqs):
    for body in ("a", "b"):
        queue.write(Message(body=body))

    assert queue.purge() is True
    assert queue.count() == 0
    assert sorted(m.body for m in fake_sqs.queue("jobs").purged) == [b64("a"), b64("b")]


def test_long_poll_returns_a_message_sent_while_it_waits(sqs, queue):
    received: list[Any] = []
    poller = threading.Thread(target=lambda: received.append(queue.read(wait_time_seconds=20)))
    poller.start()
    # Whether the poll is already waiting or not, the message sent now is what it returns.
    queue.write(Message(body="wake up"))
    poller.join(timeout=10)  # real-time: the poll returns as soon as the send lands
    assert not poller.is_alive()
    assert [m.get_body() for m in received] == ["wake up"]


# --- batches ------------------------------------------------------------------------------------


def test_write_batch(queue, fake_sqs):
    results = queue.write_batch(
        [
            ("first", b64("one"), 0),
            ("second", b64("two"), 30, {"kind": {"data_type": "String", "string_value": "x"}}),
        ]
    )

    stored = {m.body: m for m in fake_sqs.queue("jobs").messages}
    assert results.errors == []
    assert [dict(entry) for entry in results.results] == [
        {
            "id": "first",
            "message_id": stored[b64("one")].message_id,
            "message_md5": md5(b64("one")),
        },
        {
            "id": "second",
            "message_id": stored[b64("two")].message_id,
            "message_md5": md5(b64("two")),
        },
    ]
    assert stored[b64("two")].state == "delayed"
    assert stored[b64("two")].message_attributes == {
        "kind": {"DataType": "String", "StringValue": "x"}
    }


def test_write_batch_entry_failure_and_request_failure(queue):
    results = queue.write_batch([("ok", "fine", 0), ("bad", "\x00", 0)])
    assert [entry["id"] for entry in results.results] == ["ok"]
    assert [dict(entry) for entry in results.errors] == [
        {
            "id": "bad",
            "sender_fault": "true",
            "error_code": "InvalidMessageContents",
            "error_message": (
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
            ),
        }
    ]

    with pytest.raises(SQSError) as excinfo:
        queue.write_batch([("same", "a", 0), ("same", "b", 0)])
    error = excinfo.value
    assert (error.status, error.error_code) == (
        400,
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
    )
    assert error.message == "Id same repeated."


def test_delete_and_change_visibility_batches(queue, fake_sqs):
    queue.write_batch([(str(n), b64(f"m{n}"), 0) for n in range(3)])
    messages = queue.get_messages(num_messages=10)
    assert sorted(m.get_body() for m in messages) == ["m0", "m1", "m2"]

    changed = queue.change_message_visibility_batch([(messages[0], 0), (messages[1], 0)])
    # boto 2's BatchResults keeps only elements ending in "MessageBatchResultEntry", which
    # ChangeMessageVisibilityBatchResultEntry does not: its results stay empty (the answer's
    # XML is checked in test_change_visibility_batch_answer_xml).
    assert (changed.results, changed.errors) == ([], [])
    assert len(fake_sqs.queue("jobs").visible) == 2

    deleted = queue.delete_message_batch(messages)
    assert sorted(entry["id"] for entry in deleted.results) == sorted(m.id for m in messages)
    assert deleted.errors == []
    assert fake_sqs.queue("jobs").messages == []
    assert len(fake_sqs.queue("jobs").deleted) == 3


def test_change_visibility_batch_answer_xml(sqs, queue, fake_sqs):
    queue.write(Message(body="m"))
    [message] = queue.get_messages()
    response = sqs.make_request(
        "ChangeMessageVisibilityBatch",
        {
            "ChangeMessageVisibilityBatchRequestEntry.1.Id": "one",
            "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": message.receipt_handle,
            "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "0",
            "ChangeMessageVisibilityBatchRequestEntry.2.Id": "two",
            "ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle": "bad",
            "ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout": "0",
        },
        queue.id,
        "POST",
    )
    body = response.read().decode()
    request_id = fake_sqs.calls[-1].response["ResponseMetadata"]["RequestId"]
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/xml"
    assert response.getheader("x-amzn-RequestId") == request_id
    assert body == (
        '<?xml version="1.0"?><ChangeMessageVisibilityBatchResponse '
        'xmlns="http://queue.amazonaws.com/doc/2012-11-05/">'
        "<ChangeMessageVisibilityBatchResult>"
        "<ChangeMessageVisibilityBatchResultEntry><Id>one</Id>"
        "</ChangeMessageVisibilityBatchResultEntry>"
        # Members in the order of SQS's query model (botocore 1.29.165).
        "<BatchResultErrorEntry><Id>two</Id><SenderFault>true</SenderFault>"
        "<Code>ReceiptHandleIsInvalid</Code>"
        '<Message>The input receipt handle "bad" is not a valid receipt handle.</Message>'
        "</BatchResultErrorEntry>"
        "</ChangeMessageVisibilityBatchResult>"
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
        "</ChangeMessageVisibilityBatchResponse>"
    )
    assert [m.state for m in fake_sqs.queue("jobs").messages] == ["visible"]


# --- errors -------------------------------------------------------------------------------------


def test_a_queue_that_does_not_exist(sqs, fake_sqs_server):
    missing = Queue(sqs, f"{fake_sqs_server.endpoint_url}/{ACCOUNT}/missing")
    with pytest.raises(SQSError) as excinfo:
        missing.read()
    error = excinfo.value
    assert (error.status, error.reason) == (400, "Bad Request")
    assert error.error_code == "AWS.SimpleQueueService.NonExistentQueue"
    assert error.message == NOT_FOUND
    assert error.type == "Sender"


def test_receive_more_than_ten_is_an_error(queue):
    with pytest.raises(SQSError) as excinfo:
        queue.get_messages(num_messages=11)
    error = excinfo.value
    assert (error.status, error.error_code) == (400, "InvalidParameterValue")
    assert error.message == (
        "Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided."
    )
