"""The SQS event Lambda hands a function: one record per received message.

The shape is Lambda's (its docs' sample events and responses recorded on AWS): camelCase
keys, system attributes under ``attributes`` as strings, message attributes under
``messageAttributes`` with ``stringValue`` or a base64 ``binaryValue`` and the (always empty)
list values, ``md5OfMessageAttributes`` only when the message has attributes, except that a
mapping with a batching window sends it as ``null`` then.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from typing import Any

#: The largest synchronous invocation payload: a batch stops growing at 6 MB of event.
MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
#: ``{"Records":[`` and ``]}`` around the records, and a comma between two.
_ENVELOPE_BYTES = len('{"Records":[]}')

#: The system attributes a record carries, in the order of Lambda's sample events.
_ATTRIBUTE_ORDER = (
    "ApproximateReceiveCount",
    "SentTimestamp",
    "SequenceNumber",
    "MessageGroupId",
    "SenderId",
    "MessageDeduplicationId",
    "ApproximateFirstReceiveTimestamp",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
)


def _message_attribute(value: Mapping[str, Any]) -> dict[str, Any]:
    if "BinaryValue" in value:
        first: dict[str, Any] = {"binaryValue": base64.b64encode(value["BinaryValue"]).decode()}
    else:
        first = {"stringValue": value["StringValue"]}
    return {**first, "stringListValues": [], "binaryListValues": [], "dataType": value["DataType"]}


def record(
    message: Mapping[str, Any], queue_arn: str, region: str, *, windowed: bool
) -> dict[str, Any]:
    """The record of one message, from ReceiveMessage's answer for it (every attribute)."""
    received = message.get("Attributes") or {}
    result: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": {name: received[name] for name in _ATTRIBUTE_ORDER if name in received},
        "messageAttributes": {
            name: _message_attribute(value)
            for name, value in (message.get("MessageAttributes") or {}).items()
        },
    }
    if "MD5OfMessageAttributes" in message:
        result["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    elif windowed:
        result["md5OfMessageAttributes"] = None
    result["md5OfBody"] = message["MD5OfBody"]
    result["eventSource"] = "aws:sqs"
    result["eventSourceARN"] = queue_arn
    result["awsRegion"] = region
    return result


#: A character takes at most 6 bytes in the event's UTF-8 JSON (a control character's
#: ``\u0000`` escape); a record's other fields (ids, receipt handle, system attributes, ARN)
#: take well under this many.
_MAX_ESCAPE = 6
_FIELDS_BOUND = 4096


def surely_fit(records: Sequence[Mapping[str, Any]], limit: int = MAX_PAYLOAD_BYTES) -> bool:
    """Whether the records fit one event, by a quick upper bound of their size (so most
    batches, of small messages, never pay for encoding each record to measure it)."""
    bound = _ENVELOPE_BYTES
    for item in records:
        attributes = item["messageAttributes"]
        text = len(item["body"]) + sum(
            len(name) + sum(len(str(value)) for value in attribute.values())
            for name, attribute in attributes.items()
        )
        bound += _MAX_ESCAPE * text + _FIELDS_BOUND
        if bound > limit:
            return False
    return True


def size(record: Mapping[str, Any]) -> int:
    """The record's bytes in the event's JSON (compact, UTF-8)."""
    return len(json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def payload_batches(
    records: Sequence[dict[str, Any]], sizes: Sequence[int], limit: int = MAX_PAYLOAD_BYTES
) -> list[list[dict[str, Any]]]:
    """The records cut, in order, into events of at most ``limit`` bytes each."""
    batches: list[list[dict[str, Any]]] = []
    current: list[dict[str, Any]] = []
    used = _ENVELOPE_BYTES
    for item, item_size in zip(records, sizes, strict=True):
        extra = item_size + (1 if current else 0)
        if current and used + extra > limit:
            batches.append(current)
            current, used, extra = [], _ENVELOPE_BYTES, item_size
        current.append(item)
        used += extra
    if current:
        batches.append(current)
    return batches


def fits(sizes: Sequence[int], limit: int = MAX_PAYLOAD_BYTES) -> int:
    """How many of the first records fit in one event (at least one)."""
    used = _ENVELOPE_BYTES
    for count, item_size in enumerate(sizes):
        used += item_size + (1 if count else 0)
        if used > limit:
            return max(count, 1)
    return len(sizes)


def payload_bytes(sizes: Sequence[int]) -> int:
    return _ENVELOPE_BYTES + sum(sizes) + max(len(sizes) - 1, 0)
