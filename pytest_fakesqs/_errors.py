"""The catalogue of SQS errors: code, query code, HTTP status and message texts, in one place.

Real SQS (JSON protocol) answers an error with a ``__type`` naming the modelled error and an
``x-amzn-query-error`` header carrying the legacy query code. botocore turns that into
``Error.Code`` (legacy code), ``Error.QueryErrorCode`` (modelled name, which picks the exception
class) and ``Error.Type``. The fake produces the same parsed dict, so both JSON-protocol botocore
(via QueryErrorCode) and old query-protocol botocore (via Code) raise the same exception class.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """One kind of SQS error as it appears on the wire."""

    code: str
    query_code: str
    status: int = 400
    sender_fault: bool = True


def _legacy(name: str, status: int = 400) -> ErrorKind:
    return ErrorKind(f"AWS.SimpleQueueService.{name}", name, status)


def _plain(name: str, status: int = 400) -> ErrorKind:
    return ErrorKind(name, name, status)


QUEUE_DOES_NOT_EXIST = ErrorKind("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")
QUEUE_NAME_EXISTS = ErrorKind("QueueAlreadyExists", "QueueNameExists")
QUEUE_DELETED_RECENTLY = _legacy("QueueDeletedRecently")
PURGE_QUEUE_IN_PROGRESS = _legacy("PurgeQueueInProgress", 403)
TOO_MANY_ENTRIES_IN_BATCH_REQUEST = _legacy("TooManyEntriesInBatchRequest")
EMPTY_BATCH_REQUEST = _legacy("EmptyBatchRequest")
BATCH_ENTRY_IDS_NOT_DISTINCT = _legacy("BatchEntryIdsNotDistinct")
BATCH_REQUEST_TOO_LONG = _legacy("BatchRequestTooLong")
INVALID_BATCH_ENTRY_ID = _legacy("InvalidBatchEntryId")
MESSAGE_NOT_INFLIGHT = _legacy("MessageNotInflight")
UNSUPPORTED_OPERATION = _legacy("UnsupportedOperation")
RECEIPT_HANDLE_IS_INVALID = _plain("ReceiptHandleIsInvalid")
INVALID_ATTRIBUTE_NAME = _plain("InvalidAttributeName")
INVALID_ATTRIBUTE_VALUE = _plain("InvalidAttributeValue")
INVALID_MESSAGE_CONTENTS = _plain("InvalidMessageContents")
OVER_LIMIT = _plain("OverLimit", 403)
RESOURCE_NOT_FOUND = _plain("ResourceNotFoundException", 404)
REQUEST_THROTTLED = _plain("RequestThrottled")
INVALID_ADDRESS = _plain("InvalidAddress", 404)
INVALID_SECURITY = _plain("InvalidSecurity", 403)
INVALID_ID_FORMAT = _plain("InvalidIdFormat")
KMS_ACCESS_DENIED = _plain("KmsAccessDenied")
KMS_DISABLED = _plain("KmsDisabled")
KMS_INVALID_KEY_USAGE = _plain("KmsInvalidKeyUsage")
KMS_INVALID_STATE = _plain("KmsInvalidState")
KMS_NOT_FOUND = _plain("KmsNotFound")
KMS_OPT_IN_REQUIRED = _plain("KmsOptInRequired", 403)
KMS_THROTTLED = _plain("KmsThrottled")
# Not in the service model: botocore raises a plain ClientError for these.
INVALID_PARAMETER_VALUE = ErrorKind("InvalidParameterValue", "InvalidParameterValueException")
MISSING_PARAMETER = ErrorKind("MissingParameter", "MissingRequiredParameterException")
INTERNAL_ERROR = ErrorKind("InternalError", "InternalError", 500, sender_fault=False)
SERVICE_UNAVAILABLE = ErrorKind("ServiceUnavailable", "ServiceUnavailable", 503, sender_fault=False)
THROTTLING = ErrorKind("ThrottlingException", "ThrottlingException")
#: The fake's own: a thread's long polls run away with the clock (``_long_polls``).
RUNAWAY_LONG_POLLS = ErrorKind("PytestFakeSQS.RunawayLongPolls", "PytestFakeSQS.RunawayLongPolls")

#: Every error kind by the names a user may pass to fault injection: modelled name and legacy code.
ERROR_KINDS: dict[str, ErrorKind] = {}
for _kind in list(globals().values()):
    # The fake's own errors are not SQS's: fault injection does not offer them.
    if isinstance(_kind, ErrorKind) and not _kind.code.startswith("PytestFakeSQS."):
        ERROR_KINDS[_kind.query_code] = _kind
        ERROR_KINDS[_kind.code] = _kind


class SQSError(Exception):
    """An error the fake answers with, exactly as SQS would. Raised inside the fake only."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __repr__(self) -> str:
        return f"SQSError({self.kind.query_code}, {self.message!r})"


# Message texts. Each function returns the error ready to raise, so call sites read as sentences.


_QUEUE_DOES_NOT_EXIST_TEXT = "The specified queue does not exist."


def queue_does_not_exist() -> SQSError:
    return SQSError(QUEUE_DOES_NOT_EXIST, _QUEUE_DOES_NOT_EXIST_TEXT)


#: Texts that differ over the query protocol, by (legacy code, JSON-protocol text); both sides
#: recorded on AWS. A message of the test's own (fault injection) keeps its text.
QUERY_PROTOCOL_MESSAGES: dict[tuple[str, str], str] = {
    (QUEUE_DOES_NOT_EXIST.code, _QUEUE_DOES_NOT_EXIST_TEXT): (
        "The specified queue does not exist for this wsdl version."
    ),
}


def invalid_parameter(message: str) -> SQSError:
    return SQSError(INVALID_PARAMETER_VALUE, message)


def invalid_value(value: object, parameter: str, reason: str) -> SQSError:
    """SQS's usual 'Value X for parameter Y is invalid. Reason: Z' text."""
    return SQSError(
        INVALID_PARAMETER_VALUE,
        f"Value {value} for parameter {parameter} is invalid. Reason: {reason}",
    )


def one_or_more_invalid(reason: str) -> SQSError:
    return SQSError(
        INVALID_PARAMETER_VALUE, f"One or more parameters are invalid. Reason: {reason}"
    )


def missing_parameter(name: str) -> SQSError:
    return SQSError(MISSING_PARAMETER, f"The request must contain the parameter {name}.")


def invalid_attribute_name(name: str) -> SQSError:
    return SQSError(INVALID_ATTRIBUTE_NAME, f"Unknown Attribute {name}.")


def invalid_attribute_value(name: str, reason: str | None = None) -> SQSError:
    text = f"Invalid value for the parameter {name}."
    if reason:
        text = f"{text} Reason: {reason}"
    return SQSError(INVALID_ATTRIBUTE_VALUE, text)


def receipt_handle_is_invalid(handle: str) -> SQSError:
    return SQSError(
        RECEIPT_HANDLE_IS_INVALID,
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
    )


def unsupported_operation(message: str) -> SQSError:
    return SQSError(UNSUPPORTED_OPERATION, message)


def runaway_long_polls(jumped: float) -> SQSError:
    return SQSError(
        RUNAWAY_LONG_POLLS,
        f"pytest-fakesqs: this thread's long polls have moved the fake clock {jumped / 3600:.0f} "
        "hours ahead with nothing else happening (no other SQS call, no advance()). Each long "
        "poll that finds nothing returns at once and jumps the clock, so a loop bounded by the "
        "wall clock (time.monotonic(), time.time()) never ends. Bound the loop in fake time, "
        "freeze the process on the fake's clock (mock_sqs(freeze_process=True), or the "
        "marker's freeze_process=True) so time.monotonic() moves with it, or let long polls "
        'wait in real time (long_polls="real"). This thread\'s long polls now wait in real '
        "time until another call or advance() happens.",
    )
