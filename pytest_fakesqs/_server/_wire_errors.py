"""Errors of the wire itself, before a call reaches the engine: every one AWS-shaped.

The engine's own errors (``_errors``) cover calls SQS understood. These cover requests it could
not read: a body too large or not JSON, an unknown action, a parameter of the wrong type or
missing. Codes marked "unverified" follow AWS's common query errors and the coral framework's
JSON errors as documented, not a recorded exchange with real SQS.
"""

from __future__ import annotations

from .._errors import (
    INTERNAL_ERROR,
    INVALID_ADDRESS,
    INVALID_PARAMETER_VALUE,
    ErrorKind,
    SQSError,
    missing_parameter,
)

__all__ = ["missing_parameter"]  # the engine's own, re-exported for the codecs

#: Query protocol: an Action SQS does not have (documented common error, message unverified).
INVALID_ACTION = ErrorKind("InvalidAction", "InvalidAction")
#: Query protocol: no Action at all (unverified).
MISSING_ACTION = ErrorKind("MissingAction", "MissingAction")
#: JSON protocol: an X-Amz-Target the service does not have (coral framework, unverified).
UNKNOWN_OPERATION = ErrorKind("InvalidAction", "UnknownOperationException")
#: JSON protocol: a body that is not JSON, or a member of the wrong JSON type (coral, unverified).
SERIALIZATION = ErrorKind("SerializationException", "SerializationException")
#: A body over the server's limit (unverified: SQS's front end answers 413).
REQUEST_TOO_LARGE = ErrorKind("RequestEntityTooLarge", "RequestEntityTooLarge", 413)
#: A request the server cannot read as HTTP (no length, a broken chunked body).
INVALID_HTTP_REQUEST = ErrorKind("InvalidHttpRequest", "InvalidHttpRequest")
#: The fake behind the server has been stopped.
SERVICE_UNAVAILABLE = ErrorKind("ServiceUnavailable", "ServiceUnavailable", 503, sender_fault=False)
#: Query protocol: a query string or form body that cannot be decoded (documented AWS common
#: error; message unverified).
MALFORMED_QUERY_STRING = ErrorKind("MalformedQueryString", "MalformedQueryString")


def invalid_action(action: str) -> SQSError:
    return SQSError(INVALID_ACTION, f"The action {action} is not valid for this endpoint.")


def missing_action() -> SQSError:
    return SQSError(MISSING_ACTION, "The request must contain the parameter Action.")


def unknown_operation(target: str) -> SQSError:
    return SQSError(UNKNOWN_OPERATION, f"The operation {target} is not valid for this endpoint.")


def serialization(reason: str) -> SQSError:
    return SQSError(SERIALIZATION, reason)


def wrong_type(value: object, name: str, expected: str) -> SQSError:
    return SQSError(
        INVALID_PARAMETER_VALUE,
        f"Value {value} for parameter {name} is invalid. Reason: must be {expected}.",
    )


def too_large(size: int, limit: int) -> SQSError:
    return SQSError(
        REQUEST_TOO_LARGE,
        f"The request body of {size} bytes is over this server's limit of {limit} bytes.",
    )


def invalid_http(reason: str) -> SQSError:
    return SQSError(INVALID_HTTP_REQUEST, f"Invalid HTTP request. Reason: {reason}.")


def invalid_address(path: str) -> SQSError:
    return SQSError(INVALID_ADDRESS, f"The address {path} is not valid for this endpoint.")


def fake_stopped() -> SQSError:
    return SQSError(
        SERVICE_UNAVAILABLE,
        "The FakeSQS behind this server is not active: it was stopped before the server.",
    )


def internal(bug: BaseException) -> SQSError:
    return SQSError(
        INTERNAL_ERROR,
        f"pytest-fakesqs's HTTP server failed: {bug!r}. This is a bug in the fake, not in "
        "your code; please report it.",
    )


def malformed_query_string(reason: str) -> SQSError:
    return SQSError(MALFORMED_QUERY_STRING, f"The query string is malformed: {reason}.")
