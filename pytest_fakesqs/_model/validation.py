"""Rules SQS applies to message content: characters, attributes and sizes.

Each rule raises the exact SQS error. Pure functions, shared by every operation that sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import _errors as errors
from .message import AttributeValue

# XML 1.0's allowed characters: what SQS accepts in bodies and attribute values.
_INVALID_CHARACTER = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Letters and digits of any script: AWS accepts a name like "attr.1øßä".
_ATTRIBUTE_NAME = re.compile(r"[\w.\-]{1,256}")
_DATA_TYPE = re.compile(r"(String|Number|Binary)(\.[^\s]{0,255})?")
MAX_MESSAGE_ATTRIBUTES = 10


def utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def has_invalid_characters(text: str) -> bool:
    return _INVALID_CHARACTER.search(text) is not None


def check_body(body: str) -> None:
    if body == "":
        raise errors.missing_parameter("MessageBody")
    if has_invalid_characters(body):
        raise errors.SQSError(
            errors.INVALID_MESSAGE_CONTENTS,
            "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
            "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
        )


def _attribute_name_error(name: str) -> errors.SQSError:
    return errors.invalid_parameter(
        f"Message (user) attribute '{name}' is invalid. The attribute name can contain "
        "alphanumeric characters, hyphens (-), underscores (_), and periods (.). It must not "
        "start or end with a period, or contain consecutive periods, and must not start with "
        "'AWS.' or 'Amazon.' (case-insensitive). Its length must be 1-256 characters."
    )


def _empty_value_error(name: str, kind: str) -> errors.SQSError:
    return errors.invalid_parameter(
        f"Message (user) attribute '{name}' must contain a non-empty value of type '{kind}'."
    )


def _check_attribute_name(name: str) -> None:
    lowered = name.lower()
    if (
        _ATTRIBUTE_NAME.fullmatch(name) is None
        or name.startswith(".")
        or name.endswith(".")
        or ".." in name
        or lowered.startswith("aws.")
        or lowered.startswith("amazon.")
    ):
        raise _attribute_name_error(name)


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    # botocore accepts a readable object for blobs; SQS attribute values are small.
    if hasattr(value, "read"):
        data = value.read()
        return data if isinstance(data, bytes) else str(data).encode("utf-8")
    return bytes(value)


def parse_message_attributes(
    raw: Mapping[str, Mapping[str, Any]] | None, *, system: bool = False
) -> dict[str, AttributeValue] | None:
    """Validate user-supplied MessageAttributes (or MessageSystemAttributes) into values."""
    if not raw:
        return None
    if not system and len(raw) > MAX_MESSAGE_ATTRIBUTES:
        raise errors.invalid_parameter(
            f"Number of message attributes [{len(raw)}] exceeds the allowed maximum "
            f"[{MAX_MESSAGE_ATTRIBUTES}]."
        )
    parsed: dict[str, AttributeValue] = {}
    for name, value in raw.items():
        if not system:
            _check_attribute_name(name)
        data_type = value.get("DataType")
        if not data_type:
            raise errors.invalid_parameter(
                f"The message attribute '{name}' must contain non-empty message attribute type."
            )
        if _DATA_TYPE.fullmatch(data_type) is None:
            raise errors.invalid_parameter(
                f"The type of message (user) attribute '{name}' is invalid. You must use only "
                "the following supported type prefixes: Binary, Number, String."
            )
        if value.get("StringListValues") or value.get("BinaryListValues"):
            raise errors.unsupported_operation(
                "Message attribute list values in SendMessage operation are not supported."
            )
        if data_type.startswith("Binary"):
            binary = value.get("BinaryValue")
            if binary is None or len(_as_bytes(binary)) == 0:
                raise _empty_value_error(name, "Binary")
            parsed[name] = AttributeValue(data_type, binary_value=_as_bytes(binary))
            continue
        string = value.get("StringValue")
        kind = "Number" if data_type.startswith("Number") else "String"
        if string is None or string == "":
            raise _empty_value_error(name, kind)
        if has_invalid_characters(string):
            # InvalidParameterValue, not the body's InvalidMessageContents (recorded on AWS;
            # the text is unverified).
            raise errors.invalid_parameter(
                f"Invalid characters found in message attribute '{name}'."
            )
        if kind == "Number":
            _check_number(name, string)
        parsed[name] = AttributeValue(data_type, string_value=string)
    return parsed


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _check_number(name: str, text: str) -> None:
    if _NUMBER.fullmatch(text.strip()) is None:
        raise errors.invalid_parameter(
            f"Can't cast the value of message (user) attribute '{name}' to a number."
        )


def attributes_size(attributes: Mapping[str, AttributeValue] | None) -> int:
    """What message attributes count toward the message size: name, type and value bytes."""
    if not attributes:
        return 0
    total = 0
    for name, value in attributes.items():
        total += utf8_size(name) + utf8_size(value.data_type)
        if value.binary_value is not None:
            total += len(value.binary_value)
        else:
            total += utf8_size(value.string_value or "")
    return total


def check_size(size: int, maximum: int, *, in_batch: bool = False) -> None:
    if size > maximum:
        reason = f"Message must be shorter than {maximum} bytes."
        if in_batch:
            # A SendMessageBatch entry words the same failure differently (recorded from AWS).
            raise errors.invalid_parameter(
                f"One or more parameters cannot be validated. Reason: {reason}"
            )
        raise errors.one_or_more_invalid(reason)
