"""Messages on standard queues: send, receive, delete and visibility, through real clients.

The fake's clock is frozen for the whole module, so timestamps are exact. Error texts come from
/tmp/research/sqs-errors.md (recorded from AWS) where recorded, otherwise from the fake.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError
from sqs_helpers import assert_error, counts, knows_member, receive, system_attributes

from pytest_fakesqs import FakeSQS

FROZEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
FROZEN_MS = 1704164645000
SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"
MAX_SIZE = 1048576
#: One attribute whose name, type and value add up to 8 bytes ("k" + "String" + "x").
EIGHT_BYTE_ATTRIBUTE = {"k": {"DataType": "String", "StringValue": "x"}}
SYSTEM_ATTRIBUTES = {
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
}
INVALID_CHARACTERS_MESSAGE = (
    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
    "#xE000 to #xFFFD | #x10000 to #x10FFFF"
)
GROUP_ID_REASON = (
    "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length."
)
# The three attributes of a message recorded from real AWS, with the digests AWS returned.
RECORDED_ATTRIBUTES = {
    "Help.Me": {"DataType": "String", "StringValue": "Me"},
    "Hello": {"DataType": "String", "StringValue": "There"},
    "General": {"DataType": "String", "StringValue": "Kenobi"},
}

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN)


# --- helpers ------------------------------------------------------------------------------------


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """MD5OfMessageAttributes as sqs-behaviour.md describes it, written without the package."""
    data = b""
    for name in sorted(attributes):
        value = attributes[name]
        data += _length_prefixed(name.encode("utf-8"))
        data += _length_prefixed(value["DataType"].encode("utf-8"))
        if "BinaryValue" in value:
            data += b"\x02" + _length_prefixed(value["BinaryValue"])
        else:
            data += b"\x01" + _length_prefixed(value["StringValue"].encode("utf-8"))
    return hashlib.md5(data).hexdigest()


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def assert_invalid_parameter(excinfo: pytest.ExceptionInfo[ClientError], message: str) -> None:
    """InvalidParameterValue is not in the service model: botocore raises a plain ClientError."""
    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=message,
        query_code="InvalidParameterValueException",
    )


def attribute_name_message(name: str) -> str:
    return (
        f"Message (user) attribute '{name}' is invalid. The attribute name can contain "
        "alphanumeric characters, hyphens (-), underscores (_), and periods (.). It must not "
        "start or end with a period, or contain consecutive periods, and must not start with "
        "'AWS.' or 'Amazon.' (case-insensitive). Its length must be 1-256 characters."
    )


# --- SendMessage: response ------------------------------------------------------------------


def test_send_returns_uuid4_message_id_and_body_md5(client: Any, queue_url: str) -> None:
    response = client.send_message(QueueUrl=queue_url, MessageBody="hello")

    message_id = response["MessageId"]
    assert str(uuid.UUID(message_id)) == message_id
    assert uuid.UUID(message_id).version == 4
    assert response["MD5OfMessageBody"] == hashlib.md5(b"hello").hexdigest()
    assert set(response) == {"MessageId", "MD5OfMessageBody", "ResponseMetadata"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_send_gives_every_message_a_new_id(client: Any, queue_url: str) -> None:
    ids = {client.send_message(QueueUrl=queue_url, MessageBody="same")["MessageId"] for _ in "abc"}

    assert len(ids) == 3


@pytest.mark.parametrize(
    "body",
    ["héllo wörld", "日本語のメッセージ", "emoji \U0001f600 and \u2713", "tab\tnew\nline\rcr"],
)
def test_md5_of_non_ascii_body_is_over_its_utf8_bytes(
    client: Any, queue_url: str, body: str
) -> None:
    response = client.send_message(QueueUrl=queue_url, MessageBody=body)

    assert response["MD5OfMessageBody"] == hashlib.md5(body.encode("utf-8")).hexdigest()
    [message] = receive(client, queue_url)
    assert message["Body"] == body
    assert message["MD5OfBody"] == response["MD5OfMessageBody"]


def test_digests_match_those_recorded_from_aws(client: Any, queue_url: str) -> None:
    response = client.send_message(
        QueueUrl=queue_url, MessageBody="msg", MessageAttributes=RECORDED_ATTRIBUTES
    )

    assert response["MD5OfMessageBody"] == "6e2baaf3b97dbeef01c0043275f9a0e7"
    assert response["MD5OfMessageAttributes"] == "4c360f3fdafd970e05fae2f149d997f5"
    assert md5_of_attributes(RECORDED_ATTRIBUTES) == "4c360f3fdafd970e05fae2f149d997f5"


@pytest.mark.parametrize(
    "attributes",
    [
        {"name": {"DataType": "String", "StringValue": "value"}},
        {"count": {"DataType": "Number", "StringValue": "-12.5e3"}},
        {"blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xfe\xff"}},
        {"tagged": {"DataType": "String.custom", "StringValue": "labelled"}},
        {"price": {"DataType": "Number.float", "StringValue": "3.14"}},
        {"image": {"DataType": "Binary.gif", "BinaryValue": b"GIF89a"}},
        {"naïve": {"DataType": "String", "StringValue": "ünïcödé \U0001f600"}},
        {
            "b": {"DataType": "Binary", "BinaryValue": b"\x10"},
            "a": {"DataType": "String", "StringValue": "first"},
            "C": {"DataType": "Number", "StringValue": "7"},
            "a.b": {"DataType": "String.x", "StringValue": "dotted"},
        },
    ],
    ids=["string", "number", "binary", "custom-string", "custom-number", "custom-binary",
         "unicode", "several-sorted"],
)  # fmt: skip
def test_md5_of_message_attributes_is_exact(
    client: Any, queue_url: str, attributes: dict[str, Any]
) -> None:
    response = client.send_message(
        QueueUrl=queue_url, MessageBody="body", MessageAttributes=attributes
    )

    assert response["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    [message] = receive(client, queue_url, MessageAttributeNames=["All"])
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    assert message["MessageAttributes"] == attributes


def test_aws_trace_header_digest_is_the_one_recorded_from_aws(client: Any, queue_url: str) -> None:
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

    response = client.send_message(
        QueueUrl=queue_url,
        MessageBody="traced",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": trace}},
    )

    assert response["MD5OfMessageSystemAttributes"] == "5ae4d5d7636402d80f4eb6d213245a88"
    # System attributes are not message attributes.
    assert "MD5OfMessageAttributes" not in response
    [message] = receive(client, queue_url, **system_attributes(client, ["All"]))
    assert message["Attributes"] == {
        "AWSTraceHeader": trace,
        "SenderId": SENDER_ID,
        "SentTimestamp": str(FROZEN_MS),
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": str(FROZEN_MS),
    }
    assert "MessageAttributes" not in message


LAMBDA_TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture
def inside_lambda(monkeypatch: pytest.MonkeyPatch) -> None:
    """What Lambda's runtime sets: botocore then adds X-Amzn-Trace-Id to every request."""
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "order-handler")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", LAMBDA_TRACE)


def test_messages_sent_from_lambda_carry_the_trace_header(
    client: Any, queue_url: str, inside_lambda: None
) -> None:
    sent = client.send_message(QueueUrl=queue_url, MessageBody="one")
    batch = client.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": "a", "MessageBody": "two"}, {"Id": "b", "MessageBody": "three"}],
    )

    # The header is no system attribute of the request: no digest of it comes back.
    assert "MD5OfMessageSystemAttributes" not in sent
    assert all("MD5OfMessageSystemAttributes" not in e for e in batch["Successful"])
    received = receive(
        client, queue_url, MaxNumberOfMessages=10, **system_attributes(client, ["AWSTraceHeader"])
    )
    assert [(m["Body"], m["Attributes"]) for m in received] == [
        (body, {"AWSTraceHeader": LAMBDA_TRACE}) for body in ("one", "two", "three")
    ]


def test_a_message_s_own_trace_header_wins_over_the_request_s(
    client: Any, queue_url: str, inside_lambda: None
) -> None:
    own = "Root=1-00000000-000000000000000000000001;Sampled=0"
    client.send_message(
        QueueUrl=queue_url,
        MessageBody="traced",
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": own}},
    )

    [message] = receive(client, queue_url, **system_attributes(client, ["AWSTraceHeader"]))
    assert message["Attributes"] == {"AWSTraceHeader": own}


def test_no_trace_header_outside_lambda(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="plain")

    [message] = receive(client, queue_url, **system_attributes(client, ["AWSTraceHeader"]))
    assert "Attributes" not in message


@pytest.mark.parametrize(
    ("system_attribute", "message"),
    [
        (
            {"SentTimestamp": {"DataType": "String", "StringValue": "1"}},
            "Message system attribute name 'SentTimestamp' is invalid.",
        ),
        (
            {"AWSTraceHeader": {"DataType": "Binary", "BinaryValue": b"Root=1"}},
            "The message system attribute 'AWSTraceHeader' must use data type String.",
        ),
    ],
    ids=["name-other-than-AWSTraceHeader", "trace-header-not-a-string"],
)
def test_a_system_attribute_other_than_a_string_trace_header_is_refused_and_nothing_is_sent(
    client: Any, queue_url: str, system_attribute: dict[str, Any], message: str
) -> None:
    # AWSTraceHeader is the only system attribute a sender may set (the service model's
    # MessageSystemAttributeNameForSends). The texts are the ones other emulators use; AWS's
    # are not recorded (unverified).
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url, MessageBody="traced", MessageSystemAttributes=system_attribute
        )

    assert_invalid_parameter(excinfo, message)
    assert receive(client, queue_url) == []


def test_binary_attribute_round_trips_as_bytes(client: Any, queue_url: str) -> None:
    data = bytes(range(256))
    client.send_message(
        QueueUrl=queue_url,
        MessageBody="binary",
        MessageAttributes={"raw": {"DataType": "Binary", "BinaryValue": data}},
    )

    [message] = receive(client, queue_url, MessageAttributeNames=["raw"])

    value = message["MessageAttributes"]["raw"]
    assert value == {"DataType": "Binary", "BinaryValue": data}
    assert type(value["BinaryValue"]) is bytes


def test_botocore_client_sends_and_receives(sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="plain-botocore")["QueueUrl"]
    attributes = {"n": {"DataType": "Number", "StringValue": "42"}}

    sent = sqs_client.send_message(
        QueueUrl=url, MessageBody="via botocore", MessageAttributes=attributes
    )
    [message] = receive(sqs_client, url, MessageAttributeNames=["All"])

    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == "via botocore"
    assert message["MD5OfBody"] == md5("via botocore")
    assert message["MessageAttributes"] == attributes
    assert sent["MD5OfMessageAttributes"] == md5_of_attributes(attributes)


def test_attribute_name_with_letters_of_any_script_is_accepted(client: Any, queue_url: str) -> None:
    # Recorded from AWS as a valid name.
    attributes = {"attr.1øßä": {"StringValue": "Valida", "DataType": "String"}}

    response = client.send_message(
        QueueUrl=queue_url, MessageBody="test", MessageAttributes=attributes
    )

    assert response["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    [message] = receive(client, queue_url, MessageAttributeNames=["All"])
    assert message["MessageAttributes"] == attributes


def test_valid_message_group_id_on_standard_queue(client: Any, queue_url: str) -> None:
    response = client.send_message(
        QueueUrl=queue_url, MessageBody="fair", MessageGroupId="tenant-1"
    )

    assert "SequenceNumber" not in response
    assert set(response) == {"MessageId", "MD5OfMessageBody", "ResponseMetadata"}
    [message] = receive(client, queue_url, AttributeNames=["All"])
    assert message["Attributes"] == {
        "MessageGroupId": "tenant-1",
        "SenderId": SENDER_ID,
        "SentTimestamp": str(FROZEN_MS),
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": str(FROZEN_MS),
    }


# --- SendMessage: validation ----------------------------------------------------------------


def test_empty_body_is_a_missing_parameter(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="")

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="MissingParameter",
        message="The request must contain the parameter MessageBody.",
        query_code="MissingRequiredParameterException",
    )
    assert counts(client, queue_url) == (0, 0, 0)


@pytest.mark.parametrize(
    "body",
    ["nul \x00 here", "lone \ud800 surrogate", "not a character \uffff", "\x08", "\x1f", "\ufffe"],
    ids=["nul", "lone-surrogate", "uffff", "backspace", "unit-separator", "ufffe"],
)
def test_invalid_characters_in_body(client: Any, queue_url: str, body: str) -> None:
    with pytest.raises(client.exceptions.InvalidMessageContents) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody=body)

    assert_error(
        excinfo,
        code="InvalidMessageContents",
        message=INVALID_CHARACTERS_MESSAGE,
        query_code="InvalidMessageContents",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_boundary_characters_are_accepted(client: Any, queue_url: str) -> None:
    body = "\t\n\r \ud7ff\ue000\ufffd\U00010000\U0010ffff"

    client.send_message(QueueUrl=queue_url, MessageBody=body)

    [message] = receive(client, queue_url)
    assert message["Body"] == body
    assert message["MD5OfBody"] == hashlib.md5(body.encode("utf-8")).hexdigest()


def test_invalid_characters_in_string_attribute_value(client: Any, queue_url: str) -> None:
    # InvalidParameterValue (a plain ClientError), not the body's InvalidMessageContents.
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="ok",
            MessageAttributes={"attr1": {"StringValue": "Invalid-\x08,\x0b", "DataType": "String"}},
        )

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Invalid characters found in message attribute 'attr1'.",
        query_code="InvalidParameterValueException",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_message_of_exactly_the_maximum_size_with_attributes_is_accepted(
    client: Any, queue_url: str
) -> None:
    body = "a" * (MAX_SIZE - 8)

    client.send_message(
        QueueUrl=queue_url, MessageBody=body, MessageAttributes=EIGHT_BYTE_ATTRIBUTE
    )

    [message] = receive(client, queue_url)
    assert len(message["Body"]) == MAX_SIZE - 8


def test_one_byte_over_the_maximum_counting_attributes_is_rejected(
    client: Any, queue_url: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="a" * (MAX_SIZE - 8 + 1),
            MessageAttributes=EIGHT_BYTE_ATTRIBUTE,
        )

    assert_invalid_parameter(
        excinfo,
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_size_counts_utf8_bytes_not_characters(client: Any, queue_url: str) -> None:
    # "é" is two bytes in UTF-8.
    client.send_message(QueueUrl=queue_url, MessageBody="é" * (MAX_SIZE // 2))

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="é" * (MAX_SIZE // 2) + "a")

    assert_invalid_parameter(
        excinfo,
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
    )
    assert counts(client, queue_url) == (1, 0, 0)


def test_queue_maximum_message_size_applies(client: Any) -> None:
    url = client.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    client.send_message(QueueUrl=url, MessageBody="a" * 1024)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=url, MessageBody="a" * 1017, MessageAttributes=EIGHT_BYTE_ATTRIBUTE
        )

    assert_invalid_parameter(
        excinfo,
        "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    )
    assert counts(client, url) == (1, 0, 0)


def test_ten_attributes_are_accepted_eleven_are_not(client: Any, queue_url: str) -> None:
    ten = {f"attr{i}": {"DataType": "String", "StringValue": str(i)} for i in range(10)}
    client.send_message(QueueUrl=queue_url, MessageBody="ten", MessageAttributes=ten)
    eleven = {**ten, "attr10": {"DataType": "String", "StringValue": "10"}}

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="eleven", MessageAttributes=eleven)

    assert_invalid_parameter(
        excinfo, "Number of message attributes [11] exceeds the allowed maximum [10]."
    )
    assert counts(client, queue_url) == (1, 0, 0)


@pytest.mark.parametrize(
    "name",
    [
        "AWS.attr",
        "aWs.-Invalid-attr",
        "Amazon.attr",
        "AMAZON.attr",
        ".-Invalid-attr",
        "Invalid.",
        "Invalid..Name",
        "Invalid-!-attr",
        'Invalid-"-attr',
        "Invalid-§-attr",
        "Invalid-(-attr",
        "Invalid-?-attr",
        "with space",
        "L" * 257,
    ],
    ids=["AWS.", "aWs.", "Amazon.", "AMAZON.", "leading-period", "trailing-period",
         "double-period", "!", "quote", "section", "paren", "question", "space", "257-chars"],
)  # fmt: skip
def test_invalid_attribute_names(client: Any, queue_url: str, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="test",
            MessageAttributes={name: {"StringValue": "Valid", "DataType": "String"}},
        )

    assert_invalid_parameter(excinfo, attribute_name_message(name))
    assert counts(client, queue_url) == (0, 0, 0)


def test_attribute_name_of_256_characters_and_inner_periods_is_accepted(
    client: Any, queue_url: str
) -> None:
    attributes = {
        "L" * 256: {"StringValue": "long", "DataType": "String"},
        "a.b-c_d.AWS": {"StringValue": "dots", "DataType": "String"},
    }

    response = client.send_message(
        QueueUrl=queue_url, MessageBody="test", MessageAttributes=attributes
    )

    assert response["MD5OfMessageAttributes"] == md5_of_attributes(attributes)


@pytest.mark.parametrize(
    "data_type",
    ["Invalid", "string", "Strings", "Number." + "L" * 256, "Binary .gif"],
    ids=["unknown", "lower-case", "suffix-without-period", "custom-too-long", "space"],
)
def test_invalid_attribute_data_types(client: Any, queue_url: str, data_type: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="test",
            MessageAttributes={"Attribute_name": {"StringValue": "1", "DataType": data_type}},
        )

    assert_invalid_parameter(
        excinfo,
        "The type of message (user) attribute 'Attribute_name' is invalid. You must use only "
        "the following supported type prefixes: Binary, Number, String.",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_empty_attribute_data_type(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="test",
            MessageAttributes={"a": {"StringValue": "x", "DataType": ""}},
        )

    assert_invalid_parameter(
        excinfo, "The message attribute 'a' must contain non-empty message attribute type."
    )


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ({"DataType": "String", "StringValue": ""}, "String"),
        ({"DataType": "String.custom", "StringValue": ""}, "String"),
        ({"DataType": "Number", "StringValue": ""}, "Number"),
        ({"DataType": "Binary", "BinaryValue": b""}, "Binary"),
        ({"DataType": "String"}, "String"),
    ],
    ids=["string", "custom-string", "number", "binary", "no-value"],
)
def test_empty_attribute_values(
    client: Any, queue_url: str, value: dict[str, Any], kind: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url, MessageBody="test", MessageAttributes={"ErrorDetails": value}
        )

    assert_invalid_parameter(
        excinfo,
        f"Message (user) attribute 'ErrorDetails' must contain a non-empty value of type '{kind}'.",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_number_attribute_must_be_a_number(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=queue_url,
            MessageBody="test",
            MessageAttributes={"n": {"DataType": "Number", "StringValue": "twelve"}},
        )

    assert_invalid_parameter(
        excinfo, "Can't cast the value of message (user) attribute 'n' to a number."
    )


@pytest.mark.parametrize("delay", [901, -1])
def test_delay_seconds_out_of_range(client: Any, queue_url: str, delay: int) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="late", DelaySeconds=delay)

    assert_invalid_parameter(
        excinfo,
        f"Value {delay} for parameter DelaySeconds is invalid. "
        "Reason: DelaySeconds must be >= 0 and <= 900.",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_deduplication_id_is_not_for_standard_queues(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="x", MessageDeduplicationId="dedup-1")

    assert_invalid_parameter(
        excinfo,
        "Value dedup-1 for parameter MessageDeduplicationId is invalid. "
        "Reason: The request include parameter that is not valid for this queue type.",
    )
    assert counts(client, queue_url) == (0, 0, 0)


@pytest.mark.parametrize(
    "group_id",
    ["", "a" * 129, "group 123", "tab\tgroup", "é"],
    ids=["empty", "129", "space", "tab", "non-ascii"],
)
def test_invalid_message_group_id(client: Any, queue_url: str, group_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="x", MessageGroupId=group_id)

    # An empty id leaves two spaces after "Value", as AWS does.
    assert_invalid_parameter(
        excinfo,
        f"Value {group_id} for parameter MessageGroupId is invalid. Reason: {GROUP_ID_REASON}",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_message_group_id_of_128_punctuation_characters_is_accepted(
    client: Any, queue_url: str
) -> None:
    group_id = ("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" * 5)[:128]

    client.send_message(QueueUrl=queue_url, MessageBody="x", MessageGroupId=group_id)

    [message] = receive(client, queue_url, **system_attributes(client, ["MessageGroupId"]))
    assert message["Attributes"] == {"MessageGroupId": group_id}


# --- SendMessageBatch -------------------------------------------------------------------------


def test_batch_all_successful_has_no_failed_key(client: Any, queue_url: str) -> None:
    attributes = {"kind": {"DataType": "String", "StringValue": "batch"}}
    response = client.send_message_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "first", "MessageBody": "one"},
            {"Id": "second-2", "MessageBody": "two", "MessageAttributes": attributes},
            {"Id": "third_3", "MessageBody": "three", "DelaySeconds": 0},
        ],
    )

    assert "Failed" not in response
    successful = response["Successful"]
    assert [entry["Id"] for entry in successful] == ["first", "second-2", "third_3"]
    assert set(successful[0]) == {"Id", "MessageId", "MD5OfMessageBody"}
    assert set(successful[1]) == {"Id", "MessageId", "MD5OfMessageBody", "MD5OfMessageAttributes"}
    assert successful[0]["MD5OfMessageBody"] == md5("one")
    assert successful[1]["MD5OfMessageAttributes"] == md5_of_attributes(attributes)
    for entry in successful:
        assert uuid.UUID(entry["MessageId"]).version == 4
    messages = receive(client, queue_url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in messages] == ["one", "two", "three"]
    assert [m["MessageId"] for m in messages] == [entry["MessageId"] for entry in successful]


def test_batch_reports_failed_entries_and_stores_the_rest(client: Any) -> None:
    url = client.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]

    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "fits", "MessageBody": "a" * 1024},
            {"Id": "too-long", "MessageBody": "a" * 1025},
            {"Id": "bad-char", "MessageBody": "\x01"},
            {
                "Id": "empty-attr",
                "MessageBody": "x",
                "MessageAttributes": {"e": {"DataType": "String", "StringValue": ""}},
            },
            {"Id": "last", "MessageBody": "last"},
        ],
    )

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [entry["Id"] for entry in response["Successful"]] == ["fits", "last"]
    assert response["Failed"] == [
        {
            "Id": "too-long",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "One or more parameters cannot be validated. "
            "Reason: Message must be shorter than 1024 bytes.",
        },
        {
            "Id": "bad-char",
            "SenderFault": True,
            "Code": "InvalidMessageContents",
            "Message": INVALID_CHARACTERS_MESSAGE,
        },
        {
            "Id": "empty-attr",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "Message (user) attribute 'e' must contain a non-empty value of type "
            "'String'.",
        },
    ]
    assert counts(client, url) == (2, 0, 0)


def test_batch_with_every_entry_failing(client: Any, queue_url: str) -> None:
    response = client.send_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": "a", "MessageBody": "x", "DelaySeconds": 901}],
    )

    assert response.get("Successful", []) == []
    assert response["Failed"] == [
        {
            "Id": "a",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "Value 901 for parameter DelaySeconds is invalid. "
            "Reason: DelaySeconds must be >= 0 and <= 900.",
        }
    ]
    assert counts(client, queue_url) == (0, 0, 0)


def test_batch_total_ignores_queue_maximum_message_size(client: Any) -> None:
    url = client.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "2048"})[
        "QueueUrl"
    ]

    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "big", "MessageBody": "a" * 2048}, {"Id": "small", "MessageBody": "a"}],
    )

    assert "Failed" not in response
    assert counts(client, url) == (2, 0, 0)


def test_empty_batch(client: Any, queue_url: str) -> None:
    with pytest.raises(client.exceptions.EmptyBatchRequest) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=[])

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.EmptyBatchRequest",
        message="There should be at least one SendMessageBatchRequestEntry in the request.",
        query_code="EmptyBatchRequest",
    )


def test_batch_of_eleven_entries(client: Any, queue_url: str) -> None:
    entries = [{"Id": f"m{i}", "MessageBody": "x"} for i in range(11)]

    with pytest.raises(client.exceptions.TooManyEntriesInBatchRequest) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        message="Maximum number of entries per request are 10. You have sent 11.",
        query_code="TooManyEntriesInBatchRequest",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_batch_ids_not_distinct(client: Any, queue_url: str) -> None:
    entries = [
        {"Id": "same", "MessageBody": "x"},
        {"Id": "other", "MessageBody": "y"},
        {"Id": "same", "MessageBody": "z"},
    ]

    with pytest.raises(client.exceptions.BatchEntryIdsNotDistinct) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        message="Id same repeated.",
        query_code="BatchEntryIdsNotDistinct",
    )
    assert counts(client, queue_url) == (0, 0, 0)


@pytest.mark.parametrize("entry_id", ["message:1", "", "a" * 81, "dot.ted"])
def test_invalid_batch_entry_id(client: Any, queue_url: str, entry_id: str) -> None:
    entries = [{"Id": "fine", "MessageBody": "x"}, {"Id": entry_id, "MessageBody": "y"}]

    with pytest.raises(client.exceptions.InvalidBatchEntryId) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.InvalidBatchEntryId",
        message="A batch entry id can only contain alphanumeric characters, hyphens and "
        "underscores. It can be at most 80 letters long.",
        query_code="InvalidBatchEntryId",
    )
    assert counts(client, queue_url) == (0, 0, 0)


def test_batch_request_too_long(client: Any, queue_url: str) -> None:
    entries = [
        {
            "Id": "big",
            "MessageBody": "a" * (MAX_SIZE - 8),
            "MessageAttributes": EIGHT_BYTE_ATTRIBUTE,
        },
        {"Id": "one-more", "MessageBody": "a"},
    ]

    with pytest.raises(client.exceptions.BatchRequestTooLong) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.BatchRequestTooLong",
        message="Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
        query_code="BatchRequestTooLong",
    )
    assert counts(client, queue_url) == (0, 0, 0)


# --- ReceiveMessage ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [0, 11])
def test_max_number_of_messages_out_of_range(client: Any, queue_url: str, count: int) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    with pytest.raises(ClientError) as excinfo:
        client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=count)

    assert_invalid_parameter(
        excinfo,
        f"Value {count} for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.",
    )
    assert counts(client, queue_url) == (1, 0, 0)


def test_receive_returns_one_message_by_default(client: Any, queue_url: str) -> None:
    for i in range(3):
        client.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")

    messages = receive(client, queue_url)

    assert [m["Body"] for m in messages] == ["m0"]
    assert counts(client, queue_url) == (2, 1, 0)


def test_receive_returns_up_to_ten_oldest_first(client: Any, queue_url: str) -> None:
    for i in range(12):
        client.send_message(QueueUrl=queue_url, MessageBody=f"m{i}")

    first = receive(client, queue_url, MaxNumberOfMessages=10)
    rest = receive(client, queue_url, MaxNumberOfMessages=10)

    assert [m["Body"] for m in first] == [f"m{i}" for i in range(10)]
    assert [m["Body"] for m in rest] == ["m10", "m11"]
    assert counts(client, queue_url) == (0, 12, 0)


def test_empty_receive_has_no_messages_key(client: Any, queue_url: str) -> None:
    response = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)

    assert set(response) == {"ResponseMetadata"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_received_message_shape_without_attributes_asked(client: Any, queue_url: str) -> None:
    sent = client.send_message(
        QueueUrl=queue_url, MessageBody="plain", MessageAttributes=EIGHT_BYTE_ATTRIBUTE
    )

    [message] = receive(client, queue_url)

    assert set(message) == {"MessageId", "ReceiptHandle", "MD5OfBody", "Body"}
    assert message["MessageId"] == sent["MessageId"]
    assert message["MD5OfBody"] == md5("plain")


@pytest.mark.parametrize("param", ["AttributeNames", "MessageSystemAttributeNames"])
def test_all_system_attributes(client: Any, fake_sqs: FakeSQS, queue_url: str, param: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    if not knows_member(client, "ReceiveMessage", param):
        # botocore before 1.34.x has no MessageSystemAttributeNames: the client refuses it.
        with pytest.raises(ParamValidationError, match=f'Unknown parameter in input: "{param}"'):
            receive(client, queue_url, **{param: ["All"]})
        return
    fake_sqs.advance(1.5)

    [message] = receive(client, queue_url, VisibilityTimeout=0, **{param: ["All"]})
    fake_sqs.advance(2)
    [again] = receive(client, queue_url, **{param: ["All"]})

    assert message["Attributes"] == {
        "SenderId": SENDER_ID,
        "SentTimestamp": str(FROZEN_MS),
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": str(FROZEN_MS + 1500),
    }
    # The first receive's timestamp stays; the count goes up.
    assert again["Attributes"] == {
        "SenderId": SENDER_ID,
        "SentTimestamp": str(FROZEN_MS),
        "ApproximateReceiveCount": "2",
        "ApproximateFirstReceiveTimestamp": str(FROZEN_MS + 1500),
    }


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["SenderId"], {"SenderId": SENDER_ID}),
        (["SenderId", "SequenceNumber"], {"SenderId": SENDER_ID}),
        (["ApproximateReceiveCount", "SentTimestamp"],
         {"ApproximateReceiveCount": "1", "SentTimestamp": str(FROZEN_MS)}),
        (["MessageGroupId", "AWSTraceHeader", "DeadLetterQueueSourceArn"], None),
    ],
    ids=["sender", "sender-and-fifo-only", "count-and-sent", "absent-only"],
)  # fmt: skip
def test_specific_system_attributes(
    client: Any, queue_url: str, names: list[str], expected: dict[str, str] | None
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    [message] = receive(client, queue_url, **system_attributes(client, names))

    assert message.get("Attributes") == expected


def test_system_attribute_names_all_with_attribute_names_subset(
    client: Any, queue_url: str
) -> None:
    # Recorded from AWS (JSON protocol): the two lists combine, and All wins.
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    both = {"MessageSystemAttributeNames": ["All"], "AttributeNames": ["SenderId"]}
    if not knows_member(client, "ReceiveMessage", "MessageSystemAttributeNames"):
        # botocore before 1.34.x has no MessageSystemAttributeNames: the client refuses it.
        with pytest.raises(ParamValidationError, match="MessageSystemAttributeNames"):
            receive(client, queue_url, **both)
        return

    [message] = receive(client, queue_url, **both)

    assert set(message["Attributes"]) == SYSTEM_ATTRIBUTES


@pytest.mark.fake_sqs(sender_id="AIDAEXAMPLESENDER")
def test_sender_id_follows_the_fake_option(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    [message] = receive(client, queue_url, AttributeNames=["SenderId", "SentTimestamp"])

    # The module's frozen clock still applies: the closest marker only adds sender_id.
    assert message["Attributes"] == {
        "SenderId": "AIDAEXAMPLESENDER",
        "SentTimestamp": str(FROZEN_MS),
    }


@pytest.mark.parametrize(
    ("names", "expected_names", "recorded_md5"),
    [
        (["All"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
        ([".*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
        (["*"], ["General", "Hello", "Help.Me"], "4c360f3fdafd970e05fae2f149d997f5"),
        (["Hello", "General"], ["General", "Hello"], "fca026605781cb4126a1e9044df24232"),
        (["Foo", "Hello"], ["Hello"], "a311262e065454b75da111d535b8dacd"),
        (["Hel.*"], ["Hello", "Help.Me"], "83fee93c1bcd8b9a5a923ffacdc636c7"),
    ],
    ids=["All", "dot-star", "star", "exact", "exact-and-missing", "prefix"],
)
def test_message_attribute_filters_match_aws(
    client: Any,
    queue_url: str,
    names: list[str],
    expected_names: list[str],
    recorded_md5: str,
) -> None:
    client.send_message(
        QueueUrl=queue_url, MessageBody="msg", MessageAttributes=RECORDED_ATTRIBUTES
    )

    [message] = receive(client, queue_url, MessageAttributeNames=names)

    assert message["MessageAttributes"] == {
        name: RECORDED_ATTRIBUTES[name] for name in expected_names
    }
    # The digest covers only the attributes returned, as AWS computes it.
    assert message["MD5OfMessageAttributes"] == recorded_md5
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(message["MessageAttributes"])


@pytest.mark.parametrize(
    "names",
    [[], ["Foo", "Help"], ["AWS."], ["..foo"], ["Gen"]],
    ids=["none", "missing", "AWS.", "dots", "partial-name"],
)
def test_message_attribute_filters_matching_nothing(
    client: Any, queue_url: str, names: list[str]
) -> None:
    client.send_message(
        QueueUrl=queue_url, MessageBody="msg", MessageAttributes=RECORDED_ATTRIBUTES
    )

    [message] = receive(client, queue_url, MessageAttributeNames=names)

    assert set(message) == {"MessageId", "ReceiptHandle", "MD5OfBody", "Body"}


def test_prefix_filter_is_everything_before_dot_star(client: Any, queue_url: str) -> None:
    # As AWS answered "Hel.*" with "Hello" and "Help.Me", "order.*" is the prefix "order".
    attributes = {
        "order.id": {"DataType": "String", "StringValue": "17"},
        "order.total": {"DataType": "Number", "StringValue": "9.99"},
        "orderly": {"DataType": "String", "StringValue": "no"},
        "customer": {"DataType": "String", "StringValue": "ann"},
        "Order.case": {"DataType": "String", "StringValue": "upper"},
    }
    client.send_message(QueueUrl=queue_url, MessageBody="x", MessageAttributes=attributes)

    [message] = receive(client, queue_url, MessageAttributeNames=["order.*", "customer"])

    selected = {
        name: attributes[name] for name in ("order.id", "order.total", "orderly", "customer")
    }
    assert message["MessageAttributes"] == selected
    assert message["MD5OfMessageAttributes"] == md5_of_attributes(selected)


def test_every_receive_issues_a_new_receipt_handle(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    handles = [
        receive(client, queue_url, VisibilityTimeout=0)[0]["ReceiptHandle"] for _ in range(3)
    ]

    assert len(set(handles)) == 3


def test_receive_visibility_timeout_param(client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    receive(client, queue_url, VisibilityTimeout=5)
    fake_sqs.advance(4.999)
    assert receive(client, queue_url) == []
    fake_sqs.advance(0.001)

    [message] = receive(client, queue_url, AttributeNames=["ApproximateReceiveCount"])
    assert message["Attributes"] == {"ApproximateReceiveCount": "2"}


def test_receive_visibility_timeout_zero_leaves_message_visible(
    client: Any, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")

    receive(client, queue_url, VisibilityTimeout=0)

    assert counts(client, queue_url) == (1, 0, 0)


@pytest.mark.parametrize("timeout", [-1, 43201])
def test_receive_visibility_timeout_out_of_range(client: Any, queue_url: str, timeout: int) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.receive_message(QueueUrl=queue_url, VisibilityTimeout=timeout)

    assert_invalid_parameter(
        excinfo,
        f"Value {timeout} for parameter VisibilityTimeout is invalid. "
        "Reason: Must be >= 0 and <= 43200, if provided.",
    )


# --- DeleteMessage ------------------------------------------------------------------------------


@pytest.mark.parametrize("handle", ["garbage", "AQEBnotbase64!", ""])
def test_delete_with_malformed_handle(client: Any, queue_url: str, handle: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    receive(client, queue_url)

    with pytest.raises(client.exceptions.ReceiptHandleIsInvalid) as excinfo:
        client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert_error(
        excinfo,
        code="ReceiptHandleIsInvalid",
        message=f'The input receipt handle "{handle}" is not a valid receipt handle.',
        query_code="ReceiptHandleIsInvalid",
    )
    assert counts(client, queue_url) == (0, 1, 0)


def test_handle_of_another_queue_is_invalid(client: Any, queue_url: str) -> None:
    other = client.create_queue(QueueName="other")["QueueUrl"]
    client.send_message(QueueUrl=other, MessageBody="x")
    handle = receive(client, other)[0]["ReceiptHandle"]

    with pytest.raises(client.exceptions.ReceiptHandleIsInvalid) as excinfo:
        client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert_error(
        excinfo,
        code="ReceiptHandleIsInvalid",
        message=f'The input receipt handle "{handle}" is not a valid receipt handle.',
        query_code="ReceiptHandleIsInvalid",
    )
    assert counts(client, other) == (0, 1, 0)


def test_delete_removes_the_message(client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]

    response = client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert set(response) == {"ResponseMetadata"}
    assert counts(client, queue_url) == (0, 0, 0)
    fake_sqs.advance(31)
    assert receive(client, queue_url) == []


def test_deleting_twice_is_fine(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]

    for _ in range(3):
        response = client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200

    assert counts(client, queue_url) == (0, 0, 0)


def test_stale_handle_still_deletes_on_standard_queue(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    first = receive(client, queue_url)[0]["ReceiptHandle"]
    fake_sqs.advance(30)
    second = receive(client, queue_url)[0]["ReceiptHandle"]
    assert second != first

    client.delete_message(QueueUrl=queue_url, ReceiptHandle=first)

    assert counts(client, queue_url) == (0, 0, 0)
    fake_sqs.advance(30)
    assert receive(client, queue_url) == []


def test_handle_after_visibility_expired_still_deletes(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url, VisibilityTimeout=1)[0]["ReceiptHandle"]
    fake_sqs.advance(2)
    assert counts(client, queue_url) == (1, 0, 0)

    client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    assert counts(client, queue_url) == (0, 0, 0)


# --- DeleteMessageBatch and ChangeMessageVisibilityBatch -------------------------------------


def _received_handles(client: Any, url: str, count: int) -> list[str]:
    for i in range(count):
        client.send_message(QueueUrl=url, MessageBody=f"m{i}")
    return [m["ReceiptHandle"] for m in receive(client, url, MaxNumberOfMessages=count)]


def test_delete_batch_with_per_entry_failures(client: Any, queue_url: str) -> None:
    handles = _received_handles(client, queue_url, 3)

    response = client.delete_message_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "a", "ReceiptHandle": handles[0]},
            {"Id": "bad", "ReceiptHandle": "garbage"},
            {"Id": "c", "ReceiptHandle": handles[2]},
        ],
    )

    assert response["Successful"] == [{"Id": "a"}, {"Id": "c"}]
    assert response["Failed"] == [
        {
            "Id": "bad",
            "SenderFault": True,
            "Code": "ReceiptHandleIsInvalid",
            "Message": 'The input receipt handle "garbage" is not a valid receipt handle.',
        }
    ]
    assert counts(client, queue_url) == (0, 1, 0)


def test_delete_batch_all_successful(client: Any, queue_url: str) -> None:
    handles = _received_handles(client, queue_url, 10)

    response = client.delete_message_batch(
        QueueUrl=queue_url,
        Entries=[{"Id": f"e{i}", "ReceiptHandle": h} for i, h in enumerate(handles)],
    )

    assert response["Successful"] == [{"Id": f"e{i}"} for i in range(10)]
    assert "Failed" not in response
    assert counts(client, queue_url) == (0, 0, 0)


@pytest.mark.parametrize("operation", ["delete_message_batch", "change_message_visibility_batch"])
def test_settling_batches_reject_the_whole_request(
    client: Any, queue_url: str, operation: str
) -> None:
    [handle] = _received_handles(client, queue_url, 1)
    entry = {"ReceiptHandle": handle, "VisibilityTimeout": 0}
    if operation == "delete_message_batch":
        del entry["VisibilityTimeout"]
        shape = "DeleteMessageBatchRequestEntry"
    else:
        shape = "ChangeMessageVisibilityBatchRequestEntry"
    call = getattr(client, operation)

    with pytest.raises(client.exceptions.EmptyBatchRequest) as empty:
        call(QueueUrl=queue_url, Entries=[])
    with pytest.raises(client.exceptions.TooManyEntriesInBatchRequest) as too_many:
        call(QueueUrl=queue_url, Entries=[{"Id": f"e{i}", **entry} for i in range(11)])
    with pytest.raises(client.exceptions.BatchEntryIdsNotDistinct) as repeated:
        call(QueueUrl=queue_url, Entries=[{"Id": "x", **entry}, {"Id": "x", **entry}])
    with pytest.raises(client.exceptions.InvalidBatchEntryId) as invalid:
        call(QueueUrl=queue_url, Entries=[{"Id": "invalid:id", **entry}])

    assert_error(
        empty,
        code="AWS.SimpleQueueService.EmptyBatchRequest",
        message=f"There should be at least one {shape} in the request.",
        query_code="EmptyBatchRequest",
    )
    assert_error(
        too_many,
        code="AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        message="Maximum number of entries per request are 10. You have sent 11.",
        query_code="TooManyEntriesInBatchRequest",
    )
    assert_error(
        repeated,
        code="AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        message="Id x repeated.",
        query_code="BatchEntryIdsNotDistinct",
    )
    assert_error(
        invalid,
        code="AWS.SimpleQueueService.InvalidBatchEntryId",
        message="A batch entry id can only contain alphanumeric characters, hyphens and "
        "underscores. It can be at most 80 letters long.",
        query_code="InvalidBatchEntryId",
    )
    # Nothing was deleted or made visible by the rejected requests.
    assert counts(client, queue_url) == (0, 1, 0)


def test_change_visibility_batch_with_per_entry_failures(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    handles = _received_handles(client, queue_url, 3)
    client.delete_message(QueueUrl=queue_url, ReceiptHandle=handles[1])

    response = client.change_message_visibility_batch(
        QueueUrl=queue_url,
        Entries=[
            {"Id": "release", "ReceiptHandle": handles[0], "VisibilityTimeout": 0},
            {"Id": "deleted", "ReceiptHandle": handles[1], "VisibilityTimeout": 10},
            {"Id": "malformed", "ReceiptHandle": "garbage", "VisibilityTimeout": 10},
            {"Id": "extend", "ReceiptHandle": handles[2], "VisibilityTimeout": 100},
        ],
    )

    assert response["Successful"] == [{"Id": "release"}, {"Id": "extend"}]
    assert response["Failed"] == [
        {
            "Id": "deleted",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": f"Value {handles[1]} for parameter ReceiptHandle is invalid. Reason: "
            "Message does not exist or is not available for visibility timeout change.",
        },
        {
            "Id": "malformed",
            "SenderFault": True,
            "Code": "ReceiptHandleIsInvalid",
            "Message": 'The input receipt handle "garbage" is not a valid receipt handle.',
        },
    ]
    assert counts(client, queue_url) == (1, 1, 0)
    fake_sqs.advance(99.999)
    assert counts(client, queue_url) == (1, 1, 0)
    fake_sqs.advance(0.001)
    assert counts(client, queue_url) == (2, 0, 0)


# --- ChangeMessageVisibility ------------------------------------------------------------------


def test_change_visibility_extends_from_now(client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]
    fake_sqs.advance(20)

    response = client.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=60
    )

    assert set(response) == {"ResponseMetadata"}
    fake_sqs.advance(59.999)
    assert receive(client, queue_url) == []
    fake_sqs.advance(0.001)
    assert [m["Body"] for m in receive(client, queue_url)] == ["x"]


def test_change_visibility_to_zero_releases_at_once(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]

    client.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=0)

    assert counts(client, queue_url) == (1, 0, 0)
    [message] = receive(client, queue_url, AttributeNames=["ApproximateReceiveCount"])
    assert message["Attributes"] == {"ApproximateReceiveCount": "2"}


def test_change_visibility_of_deleted_message(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]
    client.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=42)
    client.delete_message(QueueUrl=queue_url, ReceiptHandle=handle)

    with pytest.raises(ClientError) as excinfo:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=42
        )

    assert_invalid_parameter(
        excinfo,
        f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist "
        "or is not available for visibility timeout change.",
    )


def test_change_visibility_with_malformed_handle(client: Any, queue_url: str) -> None:
    with pytest.raises(client.exceptions.ReceiptHandleIsInvalid) as excinfo:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle="INVALID", VisibilityTimeout=60
        )

    assert_error(
        excinfo,
        code="ReceiptHandleIsInvalid",
        message='The input receipt handle "INVALID" is not a valid receipt handle.',
        query_code="ReceiptHandleIsInvalid",
    )


def test_total_visibility_is_capped_at_twelve_hours(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url, VisibilityTimeout=200)[0]["ReceiptHandle"]
    fake_sqs.advance(100)

    with pytest.raises(ClientError) as excinfo:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=43101
        )

    assert_invalid_parameter(
        excinfo,
        "Value 43101 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout "
        "for the message is beyond the limit [43200 seconds]",
    )
    # The rejected change left the receive's 200 s timeout alone.
    assert counts(client, queue_url) == (0, 1, 0)
    fake_sqs.advance(100)
    assert counts(client, queue_url) == (1, 0, 0)


def test_total_visibility_of_exactly_twelve_hours_is_accepted(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]
    fake_sqs.advance(20)

    client.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=43180
    )

    fake_sqs.advance(43179.999)
    assert counts(client, queue_url) == (0, 1, 0)
    fake_sqs.advance(0.001)
    assert counts(client, queue_url) == (1, 0, 0)


@pytest.mark.parametrize("timeout", [-1, 43201])
def test_change_visibility_out_of_range(client: Any, queue_url: str, timeout: int) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url)[0]["ReceiptHandle"]

    with pytest.raises(ClientError) as excinfo:
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=timeout
        )

    assert_invalid_parameter(
        excinfo,
        f"Value {timeout} for parameter VisibilityTimeout is invalid. "
        "Reason: Must be between 0 and 43200, if provided.",
    )
    assert counts(client, queue_url) == (0, 1, 0)


def test_change_visibility_with_expired_handle_has_no_effect(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    handle = receive(client, queue_url, VisibilityTimeout=1)[0]["ReceiptHandle"]
    fake_sqs.advance(2)

    response = client.change_message_visibility(
        QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=2
    )

    assert set(response) == {"ResponseMetadata"}
    # Still visible: the stale handle did not hide the message again.
    assert counts(client, queue_url) == (1, 0, 0)
    assert [m["Body"] for m in receive(client, queue_url)] == ["x"]


def test_a_defect_in_the_fake_reaches_the_caller_as_a_client_error(
    client: Any, queue_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pytest_fakesqs._operations import OPERATIONS, OperationSpec

    def broken(call: Any) -> dict[str, Any]:
        raise KeyError("boom")

    spec = OPERATIONS["SendMessage"]
    monkeypatch.setitem(
        OPERATIONS, "SendMessage", OperationSpec(spec.name, broken, spec.status, spec.notes)
    )
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="x")
    error = excinfo.value.response["Error"]
    assert error["Code"] == "InternalError"
    assert error["Type"] == "Receiver"
    assert error["Message"] == (
        "pytest-fakesqs failed inside SendMessage: KeyError('boom'). This is a bug in the fake, "
        "not in your code; please report it."
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
