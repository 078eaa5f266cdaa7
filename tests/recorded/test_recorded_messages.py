"""Messages on standard queues, as recorded on AWS: sending, receiving, attribute filters,
visibility and deletion (tests/aws/services/sqs/test_sqs.py, class TestSqsProvider)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import boto3
import pytest
from recording_helpers import (
    EMPTY_200,
    REGION,
    TIMESTAMP,
    Recording,
    assert_error,
    match,
    message_counts,
    protocols,
)

from pytest_fakesqs import FakeSQS, FakeSQSServer

MAX_SIZE = 1048576
#: One attribute whose name, data type and value add up to 8 bytes ("k" + "String" + "x").
EIGHT_BYTE_ATTRIBUTE = {"k": {"DataType": "String", "StringValue": "x"}}
TRACE_HEADER = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1"


def _received(body: str, md5: str, message_id: str, handle: str, **more: Any) -> dict[str, Any]:
    """One received message as the recordings show it (keys exactly these, plus ``more``)."""
    return {
        "Body": body,
        "MD5OfBody": md5,
        "MessageId": message_id,
        "ReceiptHandle": handle,
        **more,
    }


# --- errors of one call on a fresh standard queue ---------------------------------------------

_INVALID = "InvalidParameterValue", "InvalidParameterValueException"
_MISSING = "MissingParameter", "MissingRequiredParameterException"

#: (recording test id and key, operation, params, (code, query code), message)
ONE_CALL_ERRORS = [
    (
        "test_send_receive_max_number_of_messages: send_max_number_of_messages",
        "receive_message",
        {"MaxNumberOfMessages": 11},
        _INVALID,
        "Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.",
    ),
    (
        "test_send_receive_wait_time_seconds: recieve_message_error_too_large",
        "receive_message",
        {"WaitTimeSeconds": 21},
        _INVALID,
        "Value 21 for parameter WaitTimeSeconds is invalid. "
        "Reason: Must be >= 0 and <= 20, if provided.",
    ),
    (
        "test_send_receive_wait_time_seconds: recieve_message_error_too_small",
        "receive_message",
        {"WaitTimeSeconds": -1},
        _INVALID,
        "Value -1 for parameter WaitTimeSeconds is invalid. "
        "Reason: Must be >= 0 and <= 20, if provided.",
    ),
    (
        "test_send_empty_message: send_empty_message",
        "send_message",
        {"MessageBody": ""},
        _MISSING,
        "The request must contain the parameter MessageBody.",
    ),
    (
        "test_send_oversized_message: send_oversized_message",
        "send_message",
        # The body plus the attribute's 8 bytes is one byte over the default 1 MiB.
        {"MessageBody": "a" * (MAX_SIZE - 8 + 1), "MessageAttributes": EIGHT_BYTE_ATTRIBUTE},
        _INVALID,
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
    ),
    (
        "test_send_message_with_empty_string_attribute: empty-string-attr",
        "send_message",
        {
            "MessageBody": "test",
            "MessageAttributes": {"ErrorDetails": {"StringValue": "", "DataType": "String"}},
        },
        _INVALID,
        "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    ),
]


@protocols()
@pytest.mark.parametrize(
    ("recording", "operation", "params", "codes", "message"),
    ONE_CALL_ERRORS,
    ids=[case[0].split(":")[0] + "-" + case[0].split(": ")[1] for case in ONE_CALL_ERRORS],
)
def test_one_call_errors(
    client: Any,
    recording: str,
    operation: str,
    params: dict[str, Any],
    codes: tuple[str, str],
    message: str,
) -> None:
    """Recordings test_send_receive_max_number_of_messages, test_send_receive_wait_time_seconds,
    test_send_empty_message, test_send_oversized_message and
    test_send_message_with_empty_string_attribute ([sqs] and [sqs_query]): one call on a new
    standard queue fails with InvalidParameterValue or MissingParameter, HTTP 400."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        getattr(client, operation)(QueueUrl=url, **params)
    code, query_code = codes
    assert_error(client, raised, code=code, message=message, query_code=query_code)


@protocols()
def test_send_message_with_updated_maximum_message_size(client: Any) -> None:
    """Recording test_send_message_with_updated_maximum_message_size, key send_oversized_message:
    after MaximumMessageSize=1024, a 1024-byte body is accepted and a body whose size with its
    attribute is 1025 bytes fails, naming the queue's limit."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"MaximumMessageSize": "1024"})
    client.send_message(QueueUrl=url, MessageBody="a" * 1024)
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.send_message(
            QueueUrl=url, MessageBody="a" * (1024 - 8 + 1), MessageAttributes=EIGHT_BYTE_ATTRIBUTE
        )
    assert_error(
        client,
        raised,
        code="InvalidParameterValue",
        message="One or more parameters are invalid. Reason: Message must be shorter than 1024 "
        "bytes.",
        query_code="InvalidParameterValueException",
    )


# --- receiving ---------------------------------------------------------------------------------


@protocols()
def test_send_receive_wait_time_seconds_short_polls(client: Any) -> None:
    """Recording test_send_receive_wait_time_seconds, keys empty_short_poll_by_default_resp and
    empty_short_poll_explicit_resp: of two messages sent with the same body, a receive with
    MaxNumberOfMessages=1 and then one with WaitTimeSeconds=0 each get one, different ones."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    client.send_message(QueueUrl=url, MessageBody="message")
    client.send_message(QueueUrl=url, MessageBody="message")
    recording = Recording()
    md5 = "78e731027d8fd50ed642340b7c9a63b3"
    recording.match(
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1),
        {"Messages": [_received("message", md5, "<uuid:1>", "<receipt-handle:1>")], **EMPTY_200},
    )
    recording.match(
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=0),
        {"Messages": [_received("message", md5, "<uuid:2>", "<receipt-handle:2>")], **EMPTY_200},
    )


@protocols()
def test_receive_empty_queue(client: Any) -> None:
    """Recording test_receive_empty_queue, keys empty_short_poll_resp_no_param,
    empty_short_poll_resp and empty_long_poll_resp: an empty queue answers every receive with
    no Messages key at all, HTTP 200 (the long poll waits its second on the fake's clock)."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    match(client.receive_message(QueueUrl=url), EMPTY_200)
    match(client.receive_message(QueueUrl=url, MaxNumberOfMessages=1), EMPTY_200)
    match(client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1), EMPTY_200)


@protocols()
def test_send_message_with_binary_attributes(client: Any) -> None:
    """Recording test_send_message_with_binary_attributes, key binary-attrs-msg: a Binary
    attribute comes back byte for byte, with AWS's MD5OfMessageAttributes."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    attributes = {
        "attr1": {
            "BinaryValue": b"traceparent\x1e"
            b"00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01",
            "DataType": "Binary",
        }
    }
    sent = client.send_message(QueueUrl=url, MessageBody="test", MessageAttributes=attributes)
    received = client.receive_message(QueueUrl=url, MessageAttributeNames=["All"])
    message = _received(
        "test",
        "098f6bcd4621d373cade4e832627b4f6",
        sent["MessageId"],
        "<receipt-handle:1>",
        MD5OfMessageAttributes="8cbe4db156db8a94db8b801b7addb984",
        MessageAttributes=attributes,
    )
    match(received, {"Messages": [message], **EMPTY_200})
    assert sent["MD5OfMessageAttributes"] == "8cbe4db156db8a94db8b801b7addb984"


HELLO = {"DataType": "String", "StringValue": "There"}
HELP_ME = {"DataType": "String", "StringValue": "Me"}
GENERAL = {"DataType": "String", "StringValue": "Kenobi"}
ALL_THREE = (
    "4c360f3fdafd970e05fae2f149d997f5",
    {"General": GENERAL, "Hello": HELLO, "Help.Me": HELP_ME},
)

#: MessageAttributeNames -> (recording key, (MD5OfMessageAttributes, attributes) or None).
ATTRIBUTE_FILTERS: list[tuple[list[str], str, tuple[str, dict[str, Any]] | None]] = [
    ([], "empty_filter", None),
    (["All"], "all_name", ALL_THREE),
    (["*"], "all_wildcard_asterisk", ALL_THREE),
    ([".*"], "all_wildcard", ALL_THREE),
    (["Foo", "Help"], "only_non_existing_names", None),
    (
        ["Hello", "General"],
        "only_existing",
        ("fca026605781cb4126a1e9044df24232", {"General": GENERAL, "Hello": HELLO}),
    ),
    (
        ["Foo", "Hello"],
        "existing_and_non_existing",
        ("a311262e065454b75da111d535b8dacd", {"Hello": HELLO}),
    ),
    (
        ["Hel.*"],
        "prefix_filter",
        ("83fee93c1bcd8b9a5a923ffacdc636c7", {"Hello": HELLO, "Help.Me": HELP_ME}),
    ),
    (["AWS."], "illegal_name_1", None),
    (["..foo"], "illegal_name_2", None),
]


@protocols()
def test_receive_message_message_attribute_names_filters(client: Any) -> None:
    """Recording test_receive_message_message_attribute_names_filters, every key: which message
    attributes each MessageAttributeNames filter returns ("*" and ".*" mean all; "Hel.*" is a
    prefix; names that are not there, "AWS." and "..foo" are accepted and select nothing), and
    MD5OfMessageAttributes over the returned ones only. The queue's VisibilityTimeout is 0, so
    each receive gets the same message with a new receipt handle."""
    url = client.create_queue(QueueName="recorded", Attributes={"VisibilityTimeout": "0"})[
        "QueueUrl"
    ]
    sent = client.send_message(
        QueueUrl=url,
        MessageBody="msg",
        MessageAttributes={"Help.Me": HELP_ME, "Hello": HELLO, "General": GENERAL},
    )
    recording = Recording()
    recording.match(
        sent,
        {
            "MD5OfMessageAttributes": ALL_THREE[0],
            "MD5OfMessageBody": "6e2baaf3b97dbeef01c0043275f9a0e7",
            "MessageId": "<uuid:1>",
            **EMPTY_200,
        },
    )
    for number, (names, key, selected) in enumerate(ATTRIBUTE_FILTERS, start=1):
        more = {}
        if selected is not None:
            more = {"MD5OfMessageAttributes": selected[0], "MessageAttributes": selected[1]}
        message = _received(
            "msg", "6e2baaf3b97dbeef01c0043275f9a0e7", "<uuid:1>", f"<receipt-handle:{number}>"
        )
        response = client.receive_message(
            QueueUrl=url, WaitTimeSeconds=5, MessageAttributeNames=names
        )
        try:
            recording.match(response, {"Messages": [{**message, **more}], **EMPTY_200})
        except AssertionError as failure:
            raise AssertionError(f"recording key {key}: {failure}") from None


def _system_attributes_filters(
    client: Any, url: str, member: str, recording: Recording, *, receive_count: int = 0
) -> None:
    """The four receives of the *_attribute_names_filters recordings, with ``member`` as the
    system-attribute list (AttributeNames or MessageSystemAttributeNames)."""
    everything = {
        "ApproximateFirstReceiveTimestamp": TIMESTAMP,
        "ApproximateReceiveCount": "1",
        "SenderId": "<sender-id:1>",
        "SentTimestamp": TIMESTAMP,
    }
    foo = {"Foo": {"DataType": "String", "StringValue": "Bar"}}
    md5 = "6e2baaf3b97dbeef01c0043275f9a0e7"
    cases: list[tuple[str, list[str], list[str], dict[str, Any]]] = [
        ("all_attributes", ["All"], [], {"Attributes": everything}),
        (
            "all_system_and_message_attributes",
            ["All"],
            ["All"],
            {
                "Attributes": {**everything, "ApproximateReceiveCount": "2"},
                "MD5OfMessageAttributes": "ae7155c6026991b6d54b11589678bf9c",
                "MessageAttributes": foo,
            },
        ),
        ("single_attribute", ["SenderId"], [], {"Attributes": {"SenderId": "<sender-id:1>"}}),
        (
            "multiple_attributes",
            ["SenderId", "SequenceNumber"],
            [],
            {"Attributes": {"SenderId": "<sender-id:1>"}},
        ),
    ]
    for number, (key, names, message_names, more) in enumerate(cases, start=1):
        response = client.receive_message(
            QueueUrl=url, WaitTimeSeconds=5, MessageAttributeNames=message_names, **{member: names}
        )
        expected = _received("msg", md5, "<uuid:1>", f"<receipt-handle:{number}>", **more)
        try:
            recording.match(response, {"Messages": [expected], **EMPTY_200})
        except AssertionError as failure:
            raise AssertionError(f"recording key {key}: {failure}") from None


def _queue_with_foo_message(client: Any) -> str:
    url: str = client.create_queue(QueueName="recorded", Attributes={"VisibilityTimeout": "0"})[
        "QueueUrl"
    ]
    client.send_message(
        QueueUrl=url,
        MessageBody="msg",
        MessageAttributes={"Foo": {"DataType": "String", "StringValue": "Bar"}},
    )
    return url


@protocols()
def test_receive_message_attribute_names_filters(client: Any) -> None:
    """Recording test_receive_message_attribute_names_filters, every key: AttributeNames=All
    gives the four system attributes of a standard-queue message; a list gives only those of
    its names that apply (SequenceNumber does not, on a standard queue)."""
    url = _queue_with_foo_message(client)
    _system_attributes_filters(client, url, "AttributeNames", Recording())


def test_receive_message_message_system_attribute_names_filters(json_client: Any) -> None:
    """Recording test_receive_message_message_system_attribute_names_filters[sqs], every key:
    the same through MessageSystemAttributeNames. (The [sqs_query] run used a query model that
    has MessageSystemAttributeNames; botocore 1.29.165's has not, so it is not reproduced.)"""
    url = _queue_with_foo_message(json_client)
    _system_attributes_filters(json_client, url, "MessageSystemAttributeNames", Recording())


def test_message_system_attribute_names_with_attribute_names(json_client: Any) -> None:
    """Recording test_message_system_attribute_names_with_attribute_names[sqs], keys same_values
    and different_values: with both lists, MessageSystemAttributeNames=All wins over
    AttributeNames=SenderId on the JSON protocol. (The [sqs_query] run, where AttributeNames
    won, needs a query model with MessageSystemAttributeNames: not reproduced.)"""
    url = _queue_with_foo_message(json_client)
    everything = {
        "ApproximateFirstReceiveTimestamp": TIMESTAMP,
        "ApproximateReceiveCount": "1",
        "SenderId": "<sender-id:1>",
        "SentTimestamp": TIMESTAMP,
    }
    md5 = "6e2baaf3b97dbeef01c0043275f9a0e7"
    recording = Recording()
    for number, attribute_names in enumerate((["All"], ["SenderId"]), start=1):
        response = json_client.receive_message(
            QueueUrl=url,
            WaitTimeSeconds=5,
            MessageSystemAttributeNames=["All"],
            AttributeNames=attribute_names,
        )
        attributes = {**everything, "ApproximateReceiveCount": str(number)}
        expected = _received(
            "msg", md5, "<uuid:1>", f"<receipt-handle:{number}>", Attributes=attributes
        )
        recording.match(response, {"Messages": [expected], **EMPTY_200})


def _trace_header_message(received: dict[str, Any]) -> None:
    """Recording test_aws_trace_header_propagation, key xray-msg (the test deleted nothing)."""
    message = _received(
        "test",
        "098f6bcd4621d373cade4e832627b4f6",
        "<uuid:1>",
        "<receipt-handle:1>",
        Attributes={"AWSTraceHeader": TRACE_HEADER, "SentTimestamp": TIMESTAMP},
        MD5OfMessageAttributes="235c5c510d26fb653d073faed50ae77c",
        MessageAttributes={"timestamp": {"StringValue": "1493147359900", "DataType": "Number"}},
    )
    match(received, message)


#: Not modelled, and documented (docs/compatibility.md): the fake answers at before-call, so a
#: header a before-send handler adds never reaches it. The same request over the localhost
#: server is served exactly (test_aws_trace_header_propagation_over_http).
NOT_MODELLED_BEFORE_SEND = (
    "not modelled in-process (documented): the recording's X-Amzn-Trace-Id header is added by "
    "a before-send handler, after the fake has answered at before-call"
)


@protocols(
    sqs=NOT_MODELLED_BEFORE_SEND,
    sqs_query=NOT_MODELLED_BEFORE_SEND,
)
def test_aws_trace_header_propagation(client: Any) -> None:
    """Recording test_aws_trace_header_propagation, key xray-msg: SendMessage carried no
    MessageSystemAttributes; a ``before-send.sqs.SendMessage`` handler set the HTTP header
    ``X-Amzn-Trace-Id``, and the received message has it as AWSTraceHeader."""

    def add_trace_header(request: Any, **_: Any) -> None:
        request.headers["X-Amzn-Trace-Id"] = TRACE_HEADER

    client.meta.events.register("before-send.sqs.SendMessage", add_trace_header)
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    client.send_message(
        QueueUrl=url,
        MessageBody="test",
        MessageAttributes={"timestamp": {"StringValue": "1493147359900", "DataType": "Number"}},
    )
    response = client.receive_message(
        QueueUrl=url,
        AttributeNames=["SentTimestamp", "AWSTraceHeader"],
        MaxNumberOfMessages=1,
        MessageAttributeNames=["All"],
        VisibilityTimeout=2,
        WaitTimeSeconds=2,
    )
    assert len(response["Messages"]) == 1
    _trace_header_message(response["Messages"][0])


def test_aws_trace_header_propagation_over_http(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    """Recording test_aws_trace_header_propagation, key xray-msg, with the recorded request
    sent over HTTP to the fake's server: a JSON SendMessage with the X-Amzn-Trace-Id header.
    (In-process clients never reach the server, hence the raw request.)"""
    client = boto3.client("sqs", region_name=REGION)
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    body = {
        "QueueUrl": url,
        "MessageBody": "test",
        "MessageAttributes": {"timestamp": {"StringValue": "1493147359900", "DataType": "Number"}},
    }
    request = urllib.request.Request(
        fake_sqs_server.endpoint_url,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "AmazonSQS.SendMessage",
            "X-Amzn-Trace-Id": TRACE_HEADER,
        },
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    response = client.receive_message(
        QueueUrl=url,
        AttributeNames=["SentTimestamp", "AWSTraceHeader"],
        MessageAttributeNames=["All"],
    )
    _trace_header_message(response["Messages"][0])


@protocols()
def test_fair_queue_with_message_group_id(client: Any) -> None:
    """Recording test_fair_queue_with_message_group_id, keys send_message and
    get-message-with-deduplication-id: a standard queue takes a MessageGroupId; SendMessage has
    no SequenceNumber, and AttributeNames=All shows MessageGroupId (but no SequenceNumber or
    MessageDeduplicationId)."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    recording = Recording()
    md5 = "78e731027d8fd50ed642340b7c9a63b3"
    recording.match(
        client.send_message(QueueUrl=url, MessageBody="message", MessageGroupId="test"),
        {"MD5OfMessageBody": md5, "MessageId": "<uuid:1>", **EMPTY_200},
    )
    attributes = {
        "ApproximateFirstReceiveTimestamp": TIMESTAMP,
        "ApproximateReceiveCount": "1",
        "MessageGroupId": "test",
        "SenderId": "<sender-id:1>",
        "SentTimestamp": TIMESTAMP,
    }
    recording.match(
        client.receive_message(QueueUrl=url, WaitTimeSeconds=5, AttributeNames=["All"]),
        {
            "Messages": [
                _received("message", md5, "<uuid:1>", "<receipt-handle:1>", Attributes=attributes)
            ],
            **EMPTY_200,
        },
    )


@pytest.mark.parametrize("value", ["", "a" * 129, "group 123"], ids=["empty", "too_long", "spaces"])
@pytest.mark.parametrize(
    ("parameter", "queue_name"),
    [("MessageGroupId", "recorded"), ("MessageDeduplicationId", "recorded.fifo")],
    ids=[
        "test_send_message_to_standard_queue_with_invalid_message_group_id",
        "test_message_deduplication_id_invalid",
    ],
)
def test_invalid_group_and_deduplication_ids(
    json_client: Any, parameter: str, queue_name: str, value: str
) -> None:
    """Recordings test_send_message_to_standard_queue_with_invalid_message_group_id (standard
    queue, MessageGroupId) and test_message_deduplication_id_invalid (FIFO queue,
    MessageDeduplicationId, group "test"), each [empty], [too_long] and [spaces], key
    error-response (JSON client): the value as sent, in the message."""
    fifo = queue_name.endswith(".fifo")
    url = json_client.create_queue(
        QueueName=queue_name, Attributes={"FifoQueue": "true"} if fifo else {}
    )["QueueUrl"]
    params = {parameter: value, **({"MessageGroupId": "test"} if fifo else {})}
    with pytest.raises(json_client.exceptions.ClientError) as raised:
        json_client.send_message(QueueUrl=url, MessageBody="Hello World!", **params)
    assert_error(
        json_client,
        raised,
        code="InvalidParameterValue",
        message=f"Value {value} for parameter {parameter} is invalid. Reason: {parameter} can "
        "only include alphanumeric and punctuation characters. 1 to 128 in length.",
        query_code="InvalidParameterValueException",
    )


def test_send_message_via_queue_url_with_json_protocol(fake_sqs: FakeSQS) -> None:
    """Recording test_send_message_via_queue_url_with_json_protocol, key
    receive-json-on-queue-url: a JSON client whose endpoint_url is the queue's URL (what the
    PHP SDK does) is answered as usual: an empty receive, HTTP 200."""
    queue_url = boto3.client("sqs", region_name=REGION).create_queue(QueueName="recorded")[
        "QueueUrl"
    ]
    client = boto3.client("sqs", region_name=REGION, endpoint_url=queue_url)
    match(client.receive_message(QueueUrl=queue_url, WaitTimeSeconds=1), EMPTY_200)


# --- visibility and deletion -------------------------------------------------------------------


@protocols()
def test_change_message_visibility_after_visibility_timeout_expiration(
    client: Any, fake_sqs: FakeSQS
) -> None:
    """Recording test_change_message_visibility_after_visibility_timeout_expiration, key
    visibility_timeout_expired: on a standard queue, ChangeMessageVisibility with the handle of
    a message whose 1-second visibility ended 1 second ago succeeds, HTTP 200, empty."""
    url = client.create_queue(QueueName="recorded", Attributes={"VisibilityTimeout": "1"})[
        "QueueUrl"
    ]
    client.send_message(QueueUrl=url, MessageBody="test")
    handle = client.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
    fake_sqs.advance(2)  # the recording's time.sleep(2)
    response = client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=2
    )
    match(response, EMPTY_200)


@protocols()
def test_delete_after_visibility_timeout(client: Any, fake_sqs: FakeSQS) -> None:
    """Recording test_delete_after_visibility_timeout, key delete_after_timeout_queue_empty: on
    a standard queue, DeleteMessage with the handle of a message whose visibility timeout has
    just ended deletes it: the next receive is empty."""
    url = client.create_queue(QueueName="recorded", Attributes={"VisibilityTimeout": "1"})[
        "QueueUrl"
    ]
    client.send_message(QueueUrl=url, MessageBody="foobar")
    received = client.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    handle = received["Messages"][0]["ReceiptHandle"]
    fake_sqs.advance(1)  # the recording's time.sleep(timeout)
    match(client.delete_message(QueueUrl=url, ReceiptHandle=handle), EMPTY_200)
    match(client.receive_message(QueueUrl=url), EMPTY_200)


@protocols()
def test_approximate_number_of_messages_not_visible(client: Any, fake_sqs: FakeSQS) -> None:
    """Recording test_approximate_number_of_messages_not_visible (validated on AWS, no
    recorded content: the facts are the test's assertions): of six messages one received, the
    counts are 5 visible, 1 not visible; after its 60-second visibility, 6 and 0."""
    url = client.create_queue(QueueName="recorded", Attributes={"VisibilityTimeout": "60"})[
        "QueueUrl"
    ]
    for number in range(1, 7):
        client.send_message(QueueUrl=url, MessageBody=f"message-{number}")
    client.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
    assert message_counts(client, url) == ("5", "1", "0")
    fake_sqs.advance(60)
    assert message_counts(client, url) == ("6", "0", "0")
