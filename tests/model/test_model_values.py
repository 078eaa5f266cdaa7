"""Pure value rules: checksums, receipt handles, message validation, queue attribute values."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys

import pytest

from pytest_fakesqs import _errors as errors
from pytest_fakesqs._model import validation
from pytest_fakesqs._model.checksums import md5_of_attributes, md5_of_body
from pytest_fakesqs._model.message import AttributeValue
from pytest_fakesqs._model.queue_attributes import normalise
from pytest_fakesqs._model.receipts import make_receipt_handle, parse_receipt_handle

# The model is pure Python: it imports with botocore and boto3 unavailable.
_IMPORT = subprocess.run(
    [
        sys.executable,
        "-c",
        "import sys; sys.modules['botocore'] = sys.modules['boto3'] = None; "
        "import pytest_fakesqs._model.checksums, pytest_fakesqs._model.receipts, "
        "pytest_fakesqs._model.validation, pytest_fakesqs._model.queue_attributes",
    ],
    capture_output=True,
    text=True,
    check=False,
)
assert _IMPORT.returncode == 0, _IMPORT.stderr

ARN = "arn:aws:sqs:us-east-1:123456789012:jobs"
MESSAGE_ID = "5fea7756-0ea4-451a-a703-a558b933e274"


def assert_error(excinfo: pytest.ExceptionInfo[errors.SQSError], kind, text: str) -> None:
    assert (excinfo.value.kind, excinfo.value.message) == (kind, text)


# --- checksums ---------------------------------------------------------------------------------


def reference_md5_of_attributes(attributes: dict[str, tuple[str, str | bytes]]) -> str:
    """The documented algorithm, written out independently: for each attribute by name, the
    length-prefixed name and type, a transport byte (1 string, 2 binary), the prefixed value."""
    data = b""
    for name in sorted(attributes):
        data_type, value = attributes[name]
        for field in (name.encode(), data_type.encode()):
            data += len(field).to_bytes(4, "big") + field
        raw = value if isinstance(value, bytes) else value.encode()
        data += (b"\x02" if isinstance(value, bytes) else b"\x01") + len(raw).to_bytes(4, "big")
        data += raw
    return hashlib.md5(data).hexdigest()


def test_md5_of_body_is_the_md5_of_its_utf8_bytes():
    assert md5_of_body("derp") == "58fd9edd83341c29f1aebba81c31e257"
    assert md5_of_body("Héllo!😀") == hashlib.md5("Héllo!😀".encode()).hexdigest()


@pytest.mark.parametrize(
    ("name", "value", "digest"),
    [
        # Digests that moto's test suite pins as what AWS returns.
        ("timestamp", "1493147359900", "235c5c510d26fb653d073faed50ae77c"),
        ("timestamp", "1493147359901", "994258b45346a2cc3f9cbb611aa7af30"),
        ("SOME_Valid.attribute-Name", "1493147359900", "36655e7e9d7c0e8479fa3f3f42247ae7"),
    ],
)
def test_md5_of_one_number_attribute_matches_recorded_digests(name, value, digest):
    assert md5_of_attributes({name: AttributeValue("Number", string_value=value)}) == digest


def test_md5_of_mixed_attributes_is_independent_of_their_order():
    attributes = {
        "zzz": AttributeValue("Number", string_value="0230.01"),
        "ccc": AttributeValue("String", string_value="testjunk"),
        "öther_encodings": AttributeValue("String", string_value="Tüst"),
        "aaa": AttributeValue("Binary", binary_value=b"\x02\x03\x04"),
        "label": AttributeValue("String.custom", string_value="x"),
    }
    expected = reference_md5_of_attributes(
        {
            "zzz": ("Number", "0230.01"),
            "ccc": ("String", "testjunk"),
            "öther_encodings": ("String", "Tüst"),
            "aaa": ("Binary", b"\x02\x03\x04"),
            "label": ("String.custom", "x"),
        }
    )
    assert md5_of_attributes(attributes) == expected
    assert md5_of_attributes(dict(reversed(attributes.items()))) == expected
    # moto's pinned digest for the same set minus the labelled attribute.
    del attributes["label"]
    assert md5_of_attributes(attributes) == "8ae21a7957029ef04146b42aeaa18a22"


# --- receipt handles ---------------------------------------------------------------------------


def test_receipt_handle_round_trips_and_differs_by_nonce():
    handle = make_receipt_handle(ARN, MESSAGE_ID, 3, 0xABCDEF)
    assert handle.startswith("AQEB")
    assert parse_receipt_handle(handle) == (ARN, MESSAGE_ID)
    assert make_receipt_handle(ARN, MESSAGE_ID, 3, 0xABCDEF) == handle
    assert make_receipt_handle(ARN, MESSAGE_ID, 3, 0xABCDEE) != handle
    assert make_receipt_handle(ARN, MESSAGE_ID, 4, 0xABCDEF) != handle


def _encoded(payload: bytes) -> str:
    return "AQEB" + base64.b64encode(payload).decode()


@pytest.mark.parametrize(
    "handle",
    [
        "",
        "garbage",
        "AQEB",
        "AQEB!!!not-base64!!!",
        "XXXX" + make_receipt_handle(ARN, MESSAGE_ID, 1, 1)[4:],
        _encoded(f"{MESSAGE_ID} 1 {ARN}".encode()),  # three parts
        _encoded(f"{MESSAGE_ID} one 0000000000000001 {ARN}".encode()),  # count not a number
        _encoded("é 1 0000000000000001 arn".encode()),  # not ASCII
    ],
    ids=["empty", "garbage", "prefix-only", "bad-base64", "bad-prefix", "parts", "count", "utf8"],
)
def test_malformed_receipt_handles_parse_to_none(handle):
    assert parse_receipt_handle(handle) is None


# --- message validation ------------------------------------------------------------------------


def test_body_rules():
    with pytest.raises(errors.SQSError) as empty:
        validation.check_body("")
    assert_error(
        empty, errors.MISSING_PARAMETER, "The request must contain the parameter MessageBody."
    )

    with pytest.raises(errors.SQSError) as invalid:
        validation.check_body("a\x00b")
    assert_error(
        invalid,
        errors.INVALID_MESSAGE_CONTENTS,
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to "
        "#xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    )
    for bad in ("\x08", "\x1f", "\ufffe", "\uffff", "\ud800"):
        assert validation.has_invalid_characters(bad), repr(bad)
    validation.check_body("\t\n\r \ud7ff\ue000\ufffd\U00010000\U0010ffff")  # every range's edges


def test_valid_message_attributes_parse_to_values():
    parsed = validation.parse_message_attributes(
        {
            "text": {"DataType": "String", "StringValue": "hello"},
            "count.total": {"DataType": "Number.int", "StringValue": "-1.5e3"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
            "b" * 256: {"DataType": "String", "StringValue": "x"},
        }
    )
    assert parsed == {
        "text": AttributeValue("String", string_value="hello"),
        "count.total": AttributeValue("Number.int", string_value="-1.5e3"),
        "blob": AttributeValue("Binary", binary_value=b"\x00\x01"),
        "b" * 256: AttributeValue("String", string_value="x"),
    }
    assert validation.parse_message_attributes(None) is None
    assert validation.parse_message_attributes({}) is None
    # Size: name + type + value bytes, UTF-8.
    assert validation.attributes_size(parsed) == (4 + 6 + 5) + (11 + 10 + 6) + (4 + 6 + 2) + (
        256 + 6 + 1
    )
    assert validation.utf8_size("é😀") == 6


def _name_error(name: str) -> str:
    return (
        f"Message (user) attribute '{name}' is invalid. The attribute name can contain "
        "alphanumeric characters, hyphens (-), underscores (_), and periods (.). It must not "
        "start or end with a period, or contain consecutive periods, and must not start with "
        "'AWS.' or 'Amazon.' (case-insensitive). Its length must be 1-256 characters."
    )


@pytest.mark.parametrize(
    ("attributes", "kind", "text"),
    [
        (
            {f"a{i}": {"DataType": "String", "StringValue": "x"} for i in range(11)},
            errors.INVALID_PARAMETER_VALUE,
            "Number of message attributes [11] exceeds the allowed maximum [10].",
        ),
        *(
            (
                {name: {"DataType": "String", "StringValue": "x"}},
                errors.INVALID_PARAMETER_VALUE,
                _name_error(name),
            )
            for name in (".a", "a.", "a..b", "aws.x", "Amazon.x", "a b", "a" * 257)
        ),
        (
            {"a": {"StringValue": "x"}},
            errors.INVALID_PARAMETER_VALUE,
            "The message attribute 'a' must contain non-empty message attribute type.",
        ),
        (
            {"a": {"DataType": "Integer", "StringValue": "1"}},
            errors.INVALID_PARAMETER_VALUE,
            "The type of message (user) attribute 'a' is invalid. You must use only the "
            "following supported type prefixes: Binary, Number, String.",
        ),
        (
            {"a": {"DataType": "String", "StringListValues": ["x"]}},
            errors.UNSUPPORTED_OPERATION,
            "Message attribute list values in SendMessage operation are not supported.",
        ),
        (
            {"a": {"DataType": "Binary", "BinaryValue": b""}},
            errors.INVALID_PARAMETER_VALUE,
            "Message (user) attribute 'a' must contain a non-empty value of type 'Binary'.",
        ),
        (
            {"a": {"DataType": "Number"}},
            errors.INVALID_PARAMETER_VALUE,
            "Message (user) attribute 'a' must contain a non-empty value of type 'Number'.",
        ),
        (
            {"a": {"DataType": "Number", "StringValue": "12abc"}},
            errors.INVALID_PARAMETER_VALUE,
            "Can't cast the value of message (user) attribute 'a' to a number.",
        ),
        (
            {"a": {"DataType": "String", "StringValue": "x\x00"}},
            errors.INVALID_PARAMETER_VALUE,
            "Invalid characters found in message attribute 'a'.",
        ),
    ],
    ids=[
        "eleven",
        *(f"name-{n}" for n in ("dot-start", "dot-end", "dots", "aws", "amazon", "space", "257")),
        "no-type",
        "bad-type",
        "list",
        "empty-binary",
        "empty-number",
        "not-a-number",
        "invalid-char",
    ],
)
def test_invalid_message_attributes(attributes, kind, text):
    with pytest.raises(errors.SQSError) as excinfo:
        validation.parse_message_attributes(attributes)
    assert_error(excinfo, kind, text)


def test_message_size_limit_is_inclusive():
    validation.check_size(1024, 1024)
    with pytest.raises(errors.SQSError) as excinfo:
        validation.check_size(1025, 1024)
    assert_error(
        excinfo,
        errors.INVALID_PARAMETER_VALUE,
        "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    )


# --- queue attribute values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "stored"),
    [
        ("VisibilityTimeout", " 45 ", "45"),
        ("VisibilityTimeout", "0", "0"),
        ("VisibilityTimeout", "43200", "43200"),
        ("DelaySeconds", 900, "900"),
        ("MessageRetentionPeriod", "60", "60"),
        ("MaximumMessageSize", "1024", "1024"),
        ("SqsManagedSseEnabled", "TRUE", "true"),
        ("ContentBasedDeduplication", "False", "false"),
        ("DeduplicationScope", "messageGroup", "messageGroup"),
        ("Policy", "", ""),
        ("Policy", '{"Version": "2012-10-17"}', '{"Version": "2012-10-17"}'),
        ("KmsMasterKeyId", "alias/aws/sqs", "alias/aws/sqs"),
    ],
)
def test_normalise_stores_values_as_sqs_does(name, value, stored):
    assert normalise(name, value) == stored


@pytest.mark.parametrize(
    ("name", "value", "kind", "text"),
    [
        ("Foo", "1", errors.INVALID_ATTRIBUTE_NAME, "Unknown Attribute Foo."),
        ("All", "1", errors.INVALID_ATTRIBUTE_NAME, "Unknown Attribute All."),
        *(
            (
                name,
                value,
                errors.INVALID_ATTRIBUTE_VALUE,
                f"Invalid value for the parameter {name}.",
            )
            for name, value in [
                ("VisibilityTimeout", "43201"),
                ("VisibilityTimeout", "-1"),
                ("VisibilityTimeout", "1.5"),
                ("MessageRetentionPeriod", "59"),
                ("MaximumMessageSize", "1048577"),
                ("SqsManagedSseEnabled", "yes"),
                ("DeduplicationScope", "MessageGroup"),
                ("RedrivePolicy", "{not json"),
            ]
        ),
    ],
)
def test_normalise_rejects_unknown_names_and_bad_values(name, value, kind, text):
    with pytest.raises(errors.SQSError) as excinfo:
        normalise(name, value)
    assert_error(excinfo, kind, text)
