"""Faults on purpose: the next calls of an operation fail with a chosen SQS error."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from . import _errors as errors
from ._operations import OPERATIONS

#: What each injectable error says when the test gives no message. SQS's own wording where it
#: is known (throttling, internal error), otherwise the service model's description.
DEFAULT_MESSAGES = {
    "ThrottlingException": "Rate exceeded",
    "RequestThrottled": "The request was denied due to request throttling.",
    "InternalError": "We encountered an internal error. Please try again.",
    "ServiceUnavailable": "Service Unavailable",
    "OverLimit": "The specified action violates a limit.",
    "KmsAccessDenied": "The caller doesn't have the required KMS access.",
    # Not the service model's text, which describes throttling by mistake: KMS's own wording.
    "KmsDisabled": "The request was rejected because the specified KMS key is not enabled.",
    "KmsInvalidKeyUsage": "The request was rejected because the KeyUsage value of the KMS key "
    "is incompatible with the API operation.",
    "KmsInvalidState": "The request was rejected because the state of the specified resource "
    "is not valid for this request.",
    "KmsNotFound": "The request was rejected because the specified entity or resource could "
    "not be found.",
    "KmsOptInRequired": "The request was rejected because the specified key policy isn't "
    "syntactically or semantically correct.",
    "KmsThrottled": "Amazon Web Services KMS throttles requests.",
    "QueueDoesNotExist": "The specified queue does not exist.",
    "PurgeQueueInProgress": "Only one PurgeQueue operation on a queue is allowed every 60 seconds.",
    "InvalidSecurity": "The request was not made over HTTPS or did not use SigV4 for signing.",
    "ResourceNotFoundException": "One or more specified resources don't exist.",
    "UnsupportedOperation": "Unsupported operation.",
}


@dataclass
class _Fault:
    error: errors.SQSError
    remaining: int


class FaultPlan:
    """Per operation, the failures still to come, first planned first served."""

    def __init__(self) -> None:
        self._planned: dict[str, deque[_Fault]] = {}

    def add(self, operation: str, error_code: str, count: int, message: str | None) -> None:
        if operation not in OPERATIONS:
            raise ValueError(
                f"fail_next: {operation!r} is not an SQS operation; use the API name, such as "
                f"'SendMessage' or 'ReceiveMessage'"
            )
        kind = errors.ERROR_KINDS.get(error_code)
        if kind is None:
            known = ", ".join(sorted({k.query_code for k in errors.ERROR_KINDS.values()}))
            raise ValueError(f"fail_next: unknown SQS error code {error_code!r}; known: {known}")
        if not isinstance(count, int) or count < 1:
            raise ValueError(f"fail_next: count must be a positive int, got {count!r}")
        text = message if message is not None else DEFAULT_MESSAGES.get(kind.query_code)
        if text is None:
            text = f"Injected by fake_sqs.fail_next({operation!r}, {error_code!r})."
        fault = _Fault(errors.SQSError(kind, text), count)
        self._planned.setdefault(operation, deque()).append(fault)

    def take(self, operation: str) -> errors.SQSError | None:
        """The error this call of ``operation`` must fail with, if one is planned."""
        planned = self._planned.get(operation)
        if not planned:
            return None
        fault = planned[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            planned.popleft()
        return fault.error

    def pending(self) -> dict[str, int]:
        """How many injected failures each operation still has to come."""
        return {
            operation: sum(fault.remaining for fault in planned)
            for operation, planned in self._planned.items()
            if planned
        }

    def clear(self) -> None:
        self._planned.clear()
