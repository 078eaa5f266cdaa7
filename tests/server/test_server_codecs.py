"""The wire codecs against botocore's own serializers and parsers, for every operation.

Requests: botocore serializes sample params (query with the vendored 1.29 model, JSON with
the installed one) and the server's decoder must give the params back. Responses: the
server's encoder writes a sample parsed response and botocore's parser must read it back.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from botocore import parsers, serialize
from botocore.model import OperationModel, Shape
from hypothesis import given, settings
from hypothesis import strategies as st

from pytest_fakesqs._engine import error_response
from pytest_fakesqs._errors import QUEUE_DOES_NOT_EXIST, SQSError
from pytest_fakesqs._server import _json_codec, _models, _query_codec
from pytest_fakesqs._server import _wire_errors as wire

OPERATIONS = sorted(_models.json_model().operation_names)
REQUEST_ID = "5f0c2a9e-0000-4000-8000-000000000001"


def sample(shape: Shape, name: str = "x") -> Any:
    """A value for every member of ``shape``: two items per list and map."""
    kind = shape.type_name
    if kind == "structure":
        return {key: sample(member, key) for key, member in shape.members.items()}
    if kind == "list":
        return [sample(shape.member, f"{name}{i}") for i in (1, 2)]
    if kind == "map":
        return {f"{name}-k{i}": sample(shape.value, f"{name}v{i}") for i in (1, 2)}
    if kind in ("integer", "long"):
        return 7
    if kind == "boolean":
        return True
    if kind == "blob":
        return b"\x00\xff" + name.encode()
    enum = shape.enum
    return enum[0] if enum else f"{name} <&> \r\n é"


def query_operation(name: str) -> OperationModel:
    operation = _models.query_operation(name)
    assert operation is not None
    return operation


def json_operation(name: str) -> OperationModel:
    operation = _models.json_operation(name)
    assert operation is not None
    return operation


def query_round_trip(operation: OperationModel, params: dict[str, Any]) -> dict[str, Any]:
    request = serialize.create_serializer("query").serialize_to_request(params, operation)
    pairs = parse_qsl(urlencode(request["body"]), keep_blank_values=True)
    return _query_codec.decode_request(query_operation(operation.name), pairs)


def test_every_operation_is_in_both_models() -> None:
    assert sorted(_models.query_model().operation_names) == OPERATIONS
    assert _models.query_model().protocol == "query"
    assert _models.json_model().protocol == "json"


@pytest.mark.parametrize("name", OPERATIONS)
def test_json_request_round_trip(name: str) -> None:
    operation = json_operation(name)
    params = sample(operation.input_shape)
    request = serialize.create_serializer("json").serialize_to_request(params, operation)
    assert request["headers"]["X-Amz-Target"] == f"AmazonSQS.{name}"
    assert _json_codec.decode_request(operation, request["body"]) == params


@pytest.mark.parametrize("name", OPERATIONS)
def test_query_request_round_trip(name: str) -> None:
    operation = query_operation(name)
    params = sample(operation.input_shape)
    assert query_round_trip(operation, params) == params


def test_query_request_member_newer_than_the_query_model() -> None:
    # MessageSystemAttributeNames came after botocore 1.29: the installed model's naming.
    operation = json_operation("ReceiveMessage")
    params = {"QueueUrl": "q", "MessageSystemAttributeNames": ["SenderId", "SentTimestamp"]}
    assert query_round_trip(operation, params) == params
    singular = [("QueueUrl", "q"), ("MessageSystemAttributeName.1", "SenderId")]
    decoded = _query_codec.decode_request(query_operation("ReceiveMessage"), singular)
    assert decoded == {"QueueUrl": "q", "MessageSystemAttributeNames": ["SenderId"]}


def test_query_request_boto2_unnumbered_forms() -> None:
    attributes = _query_codec.decode_request(
        query_operation("GetQueueAttributes"), [("QueueUrl", "q"), ("AttributeName", "All")]
    )
    assert attributes == {"QueueUrl": "q", "AttributeNames": ["All"]}
    setting = _query_codec.decode_request(
        query_operation("SetQueueAttributes"),
        [("QueueUrl", "q"), ("Attribute.Name", "DelaySeconds"), ("Attribute.Value", "5")],
    )
    assert setting == {"QueueUrl": "q", "Attributes": {"DelaySeconds": "5"}}


def test_query_request_empty_list_and_numbering_out_of_order() -> None:
    decoded = _query_codec.decode_request(
        query_operation("ReceiveMessage"),
        [
            ("QueueUrl", "q"),
            ("AttributeName.2", "b"),
            ("AttributeName.10", "c"),
            ("AttributeName.1", "a"),
            ("MessageAttributeName", ""),
        ],
    )
    assert decoded == {
        "QueueUrl": "q",
        "AttributeNames": ["a", "b", "c"],
        "MessageAttributeNames": [],
    }


@pytest.mark.parametrize(
    ("pairs", "code", "message"),
    [
        ([], "MissingParameter", "The request must contain the parameter QueueUrl."),
        (
            [("QueueUrl", "q"), ("MaxNumberOfMessages", "ten")],
            "InvalidParameterValue",
            "Value ten for parameter MaxNumberOfMessages is invalid. Reason: must be an integer.",
        ),
    ],
)
def test_query_request_errors(pairs: list[tuple[str, str]], code: str, message: str) -> None:
    with pytest.raises(SQSError) as raised:
        _query_codec.decode_request(query_operation("ReceiveMessage"), pairs)
    assert (raised.value.kind.code, raised.value.message) == (code, message)


ENTRY = [
    ("QueueUrl", "q"),
    ("SendMessageBatchRequestEntry.1.Id", "a"),
    ("SendMessageBatchRequestEntry.1.MessageBody", "b"),
    ("SendMessageBatchRequestEntry.1.MessageAttribute.1.Name", "n"),
]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [("QueueUrl", "q"), ("SendMessageBatchRequestEntry.1.MessageBody", "b")],
            "The request must contain the parameter SendMessageBatchRequestEntry.1.Id.",
        ),
        (
            [*ENTRY, ("SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue", "v")],
            "The request must contain the parameter "
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType.",
        ),
        (
            ENTRY,
            "The request must contain the parameter "
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.",
        ),
    ],
)
def test_query_request_nested_missing(pairs: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(SQSError) as raised:
        _query_codec.decode_request(query_operation("SendMessageBatch"), pairs)
    assert (raised.value.kind.code, raised.value.message) == ("MissingParameter", message)


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (b"[]", "SerializationException", "The request body must be a JSON object."),
        (
            b'{"QueueUrl": "q", "MaxNumberOfMessages": "1"}',
            "SerializationException",
            'Value "1" for parameter MaxNumberOfMessages is invalid. Reason: must be an integer.',
        ),
        (
            b'{"QueueUrl": "q", "MaxNumberOfMessages": true}',
            "SerializationException",
            "Value true for parameter MaxNumberOfMessages is invalid. Reason: must be an integer.",
        ),
        (
            b'{"QueueUrl": "q", "AttributeNames": "All"}',
            "SerializationException",
            'Value "All" for parameter AttributeNames is invalid. Reason: must be a list.',
        ),
        (b'{"MaxNumberOfMessages": 1}', "MissingParameter", None),
    ],
)
def test_json_request_errors(body: bytes, code: str, message: str | None) -> None:
    with pytest.raises(SQSError) as raised:
        _json_codec.decode_request(json_operation("ReceiveMessage"), body)
    assert raised.value.kind.code == code
    assert raised.value.message == (message or "The request must contain the parameter QueueUrl.")


def test_json_request_blob_and_nested_errors() -> None:
    operation = json_operation("SendMessage")
    bad_blob = {
        "QueueUrl": "q",
        "MessageBody": "b",
        "MessageAttributes": {"n": {"DataType": "Binary", "BinaryValue": "not base64!"}},
    }
    with pytest.raises(SQSError) as raised:
        _json_codec.decode_request(operation, json.dumps(bad_blob).encode())
    assert raised.value.message == (
        'Value "not base64!" for parameter MessageAttributes.n.BinaryValue is invalid. '
        "Reason: must be a base64-encoded string."
    )
    no_type = {"QueueUrl": "q", "MessageBody": "b", "MessageAttributes": {"n": {}}}
    with pytest.raises(SQSError) as raised:
        _json_codec.decode_request(operation, json.dumps(no_type).encode())
    assert raised.value.message == (
        "The request must contain the parameter MessageAttributes.n.DataType."
    )


def test_json_request_ignores_unknown_members_and_nulls() -> None:
    body = b'{"QueueUrl": "q", "Surprise": 1, "WaitTimeSeconds": null}'
    decoded = _json_codec.decode_request(json_operation("ReceiveMessage"), body)
    assert decoded == {"QueueUrl": "q"}


def with_metadata(parsed: dict[str, Any]) -> dict[str, Any]:
    return {**parsed, "ResponseMetadata": {"RequestId": REQUEST_ID}}


@pytest.mark.parametrize("name", OPERATIONS)
def test_json_response_round_trip(name: str) -> None:
    operation = json_operation(name)
    parsed = sample(operation.output_shape) if operation.output_shape is not None else {}
    body = _json_codec.encode_response(operation, with_metadata(parsed))
    response = {"body": body, "headers": {"x-amzn-requestid": REQUEST_ID}, "status_code": 200}
    back = parsers.create_parser("json").parse(response, operation.output_shape)
    back.pop("ResponseMetadata")
    assert back == parsed


@pytest.mark.parametrize("name", OPERATIONS)
def test_query_response_round_trip(name: str) -> None:
    operation = query_operation(name)
    parsed = sample(operation.output_shape) if operation.output_shape is not None else {}
    body = _query_codec.encode_response(operation, with_metadata(parsed))
    response = {"body": body, "headers": {}, "status_code": 200}
    back = parsers.create_parser("query").parse(response, operation.output_shape)
    assert back.pop("ResponseMetadata") == {
        "RequestId": REQUEST_ID,
        "HTTPStatusCode": 200,
        "HTTPHeaders": {},
    }
    assert back == parsed


def test_query_response_xml_names() -> None:
    operation = query_operation("ReceiveMessage")
    parsed = {
        "Messages": [
            {
                "MessageId": "m",
                "Body": "a\r\nb",
                "Attributes": {"SenderId": "s"},
                "MessageAttributes": {"n": {"DataType": "Binary", "BinaryValue": b"\x01"}},
            }
        ]
    }
    body = _query_codec.encode_response(operation, with_metadata(parsed))
    assert body.decode() == (
        '<?xml version="1.0"?><ReceiveMessageResponse '
        'xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>'
        "<Message><MessageId>m</MessageId><Body>a&#13;\nb</Body>"
        "<Attribute><Name>SenderId</Name><Value>s</Value></Attribute>"
        "<MessageAttribute><Name>n</Name><Value><BinaryValue>AQ==</BinaryValue>"
        "<DataType>Binary</DataType></Value></MessageAttribute></Message>"
        "</ReceiveMessageResult><ResponseMetadata><RequestId>"
        f"{REQUEST_ID}</RequestId></ResponseMetadata></ReceiveMessageResponse>"
    )


def engine_error() -> dict[str, Any]:
    error = SQSError(QUEUE_DOES_NOT_EXIST, "The specified queue does not exist.")
    return error_response(error, REQUEST_ID, 0.0)


def test_query_error_parsed_by_botocore() -> None:
    parsed = engine_error()
    body = _query_codec.encode_error(parsed["Error"], REQUEST_ID)
    response = {"body": body, "headers": {}, "status_code": 400}
    back = parsers.create_parser("query").parse(response, None)
    assert back["Error"] == {
        "Type": "Sender",
        "Code": "AWS.SimpleQueueService.NonExistentQueue",
        "Message": "The specified queue does not exist for this wsdl version.",
        "Detail": None,
    }
    assert back["ResponseMetadata"]["RequestId"] == REQUEST_ID


def test_json_error_parsed_by_botocore() -> None:
    parsed = engine_error()
    body, headers = _json_codec.encode_error(parsed["Error"])
    assert headers == {"x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"}
    assert json.loads(body) == {
        "__type": "com.amazonaws.sqs#QueueDoesNotExist",
        "message": "The specified queue does not exist.",
    }
    response = {
        "body": body,
        "headers": {**headers, "x-amzn-requestid": REQUEST_ID},
        "status_code": 400,
    }
    parser = parsers.create_parser("json")
    back = parser.parse(response, None)
    # The legacy code from x-amzn-query-error, the modelled name kept as QueryErrorCode:
    # exactly the engine's parsed error.
    assert back["Error"] == parsed["Error"]


def test_wire_errors_codes() -> None:
    assert (wire.invalid_action("X").kind.code, wire.invalid_action("X").kind.status) == (
        "InvalidAction",
        400,
    )
    assert wire.too_large(10, 5).kind.status == 413


bodies = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]).filter(
        lambda c: c in "\t\n\r" or c >= " "
    ),
    max_size=40,
)


@settings(max_examples=100, deadline=None)
@given(body=bodies, name=bodies, value=bodies)
def test_query_round_trip_of_any_text(body: str, name: str, value: str) -> None:
    operation = query_operation("ReceiveMessage")
    parsed = {
        "Messages": [
            {
                "Body": body,
                "MessageAttributes": {name: {"DataType": "String", "StringValue": value}},
            }
        ]
    }
    xml = _query_codec.encode_response(operation, with_metadata(parsed))
    response = {"body": xml, "headers": {}, "status_code": 200}
    back = parsers.create_parser("query").parse(response, operation.output_shape)
    back.pop("ResponseMetadata")
    assert back == parsed
    sent = {
        "QueueUrl": "q",
        "MessageBody": body,
        "MessageAttributes": {name: {"DataType": "String", "StringValue": value}},
    }
    assert query_round_trip(query_operation("SendMessage"), sent) == sent
