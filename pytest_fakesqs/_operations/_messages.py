"""Settling received messages: DeleteMessage, ChangeMessageVisibility and their batches."""

from __future__ import annotations

from typing import Any

from .. import _errors as errors
from .._model.message import Message
from .._model.queue import MAX_VISIBILITY_TIMEOUT, Queue
from .._model.receipts import parse_receipt_handle
from ._batches import check_entries, run_entries
from ._params import required
from ._queues import resolve_queue
from ._registry import Call, operation


def _message_for_handle(queue: Queue, handle: str, now: float) -> Message | None:
    """The stored message a handle names; None when it is gone. Raises on a malformed handle."""
    parsed = parse_receipt_handle(handle)
    if parsed is None or parsed[0] != queue.arn:
        raise errors.receipt_handle_is_invalid(handle)
    return queue.find(parsed[1], now)


def _delete(call: Call, queue: Queue, handle: str) -> dict[str, Any]:
    message = _message_for_handle(queue, handle, call.now)
    queue.delete_by_handle(message, handle, call.now)
    if message is not None:
        # A delete can make a message receivable: the next of its FIFO group, or (realism)
        # a duplicate put back. A long poll on the queue must see it at once.
        call.engine.notify()
    return {}


def _change_visibility(call: Call, queue: Queue, handle: str, timeout: Any) -> dict[str, Any]:
    if timeout is None:
        raise errors.missing_parameter("VisibilityTimeout")
    if not 0 <= timeout <= MAX_VISIBILITY_TIMEOUT:
        raise errors.invalid_value(
            timeout,
            "VisibilityTimeout",
            f"Must be between 0 and {MAX_VISIBILITY_TIMEOUT}, if provided.",
        )
    message = _message_for_handle(queue, handle, call.now)
    queue.change_visibility_by_handle(message, handle, int(timeout), call.now)
    call.engine.notify()
    return {}


@operation("DeleteMessage")
def delete_message(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    return _delete(call, queue, required(call, "ReceiptHandle"))


@operation("DeleteMessageBatch")
def delete_message_batch(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    entries = check_entries(call.params.get("Entries"), "DeleteMessageBatchRequestEntry")
    return run_entries(entries, lambda entry: _delete(call, queue, entry["ReceiptHandle"]))


@operation("ChangeMessageVisibility")
def change_message_visibility(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    handle = required(call, "ReceiptHandle")
    return _change_visibility(call, queue, handle, call.params.get("VisibilityTimeout"))


@operation("ChangeMessageVisibilityBatch")
def change_message_visibility_batch(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    entries = check_entries(call.params.get("Entries"), "ChangeMessageVisibilityBatchRequestEntry")
    return run_entries(
        entries,
        lambda entry: _change_visibility(
            call, queue, entry["ReceiptHandle"], entry.get("VisibilityTimeout")
        ),
    )
