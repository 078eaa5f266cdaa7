"""SendMessage and SendMessageBatch."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import _errors as errors
from .._model import validation
from .._model.checksums import md5_of_attributes, md5_of_body
from .._model.fifo_queue import check_printable_id
from .._model.message import AttributeValue, Message
from .._model.queue import Queue
from ._batches import check_entries, run_entries
from ._params import required
from ._queues import resolve_queue
from ._registry import Call, operation

MAX_DELAY_SECONDS = 900
MAX_BATCH_BYTES = 1048576


@dataclass(slots=True)
class Outgoing:
    """A validated message about to be stored."""

    body: str
    attributes: dict[str, AttributeValue] | None
    system_attributes: dict[str, AttributeValue] | None
    delay: int | None
    group_id: str | None
    deduplication_id: str | None
    size: int


def _check_system_attributes(
    raw: dict[str, Any] | None,
) -> dict[str, AttributeValue] | None:
    parsed = validation.parse_message_attributes(raw, system=True)
    if not parsed:
        return None
    for name, value in parsed.items():
        if name != "AWSTraceHeader":
            raise errors.invalid_parameter(f"Message system attribute name '{name}' is invalid.")
        if value.data_type != "String":
            raise errors.invalid_parameter(
                "The message system attribute 'AWSTraceHeader' must use data type String."
            )
    return parsed


def read_outgoing(queue: Queue, entry: dict[str, Any], in_batch: bool) -> Outgoing:
    """Validate one message (SendMessage params, or one batch entry) for this queue."""
    body = entry.get("MessageBody")
    if body is None:
        raise errors.missing_parameter("MessageBody")
    validation.check_body(body)
    delay = entry.get("DelaySeconds")
    if delay is not None and not 0 <= delay <= MAX_DELAY_SECONDS:
        raise errors.invalid_value(delay, "DelaySeconds", "DelaySeconds must be >= 0 and <= 900.")
    attributes = validation.parse_message_attributes(entry.get("MessageAttributes"))
    system_attributes = _check_system_attributes(entry.get("MessageSystemAttributes"))
    size = validation.utf8_size(body) + validation.attributes_size(attributes)
    validation.check_size(size, queue.maximum_message_size, in_batch=in_batch)
    group_id = entry.get("MessageGroupId")
    if group_id is not None:
        check_printable_id(group_id, "MessageGroupId")
    deduplication_id = entry.get("MessageDeduplicationId")
    queue.check_outgoing(body, delay, group_id, deduplication_id, in_batch)
    return Outgoing(body, attributes, system_attributes, delay, group_id, deduplication_id, size)


def store(call: Call, queue: Queue, outgoing: Outgoing) -> dict[str, Any]:
    """Store a validated message and describe it as SendMessage answers."""
    engine = call.engine
    attributes = outgoing.attributes
    system_attributes = outgoing.system_attributes
    md5_of_system_attributes = md5_of_attributes(system_attributes) if system_attributes else None
    if call.trace_header is not None and not system_attributes:
        # The request's X-Ray header, for every message it sends; a message's own
        # AWSTraceHeader wins (AWS X-Ray docs). The response has no digest of it: the request
        # had no MessageSystemAttributes.
        system_attributes = {
            "AWSTraceHeader": AttributeValue("String", string_value=call.trace_header)
        }
    message = Message(
        message_id=engine.ids.uuid(),
        body=outgoing.body,
        attributes=attributes,
        system_attributes=system_attributes,
        md5_of_body=md5_of_body(outgoing.body),
        md5_of_attributes=md5_of_attributes(attributes) if attributes else None,
        md5_of_system_attributes=md5_of_system_attributes,
        sender_id=engine.sender_id,
        sent_at=call.now,
        seq=queue.next_seq(),
        size=outgoing.size,
        group_id=outgoing.group_id,
        deduplication_id=outgoing.deduplication_id,
    )
    stored = queue.send(message, outgoing.delay, call.now)
    engine.notify()
    result: dict[str, Any] = {
        "MessageId": stored.message_id,
        "MD5OfMessageBody": message.md5_of_body,
    }
    if message.md5_of_attributes:
        result["MD5OfMessageAttributes"] = message.md5_of_attributes
    if message.md5_of_system_attributes:
        result["MD5OfMessageSystemAttributes"] = message.md5_of_system_attributes
    if stored.sequence_number is not None:
        result["SequenceNumber"] = stored.sequence_number
    return result


@operation("SendMessage")
def send_message(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    required(call, "MessageBody")
    outgoing = read_outgoing(queue, dict(call.params), in_batch=False)
    return store(call, queue, outgoing)


@operation("SendMessageBatch")
def send_message_batch(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    entries = check_entries(call.params.get("Entries"), "SendMessageBatchRequestEntry")
    total = sum(_entry_bytes(entry) for entry in entries)
    if total > MAX_BATCH_BYTES:
        raise errors.SQSError(
            errors.BATCH_REQUEST_TOO_LONG,
            f"Batch requests cannot be longer than {MAX_BATCH_BYTES} bytes. "
            f"You have sent {total} bytes.",
        )
    for entry in entries:
        queue.check_batch_requirements(
            entry.get("MessageGroupId"), entry.get("MessageDeduplicationId")
        )
    return run_entries(
        entries, lambda entry: store(call, queue, read_outgoing(queue, entry, in_batch=True))
    )


def _text_bytes(text: Any) -> int:
    # surrogatepass: an entry with invalid characters is still counted, then fails on its own.
    return len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text or b"")


def _entry_bytes(entry: dict[str, Any]) -> int:
    """What one batch entry counts toward the 1 MiB batch limit: body and attributes."""
    total = _text_bytes(entry.get("MessageBody") or "")
    for name, value in (entry.get("MessageAttributes") or {}).items():
        total += _text_bytes(name) + _text_bytes(value.get("DataType", ""))
        total += _text_bytes(value.get("StringValue")) + _text_bytes(value.get("BinaryValue"))
    return total
