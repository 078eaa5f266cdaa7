"""Lambda's CreateEventSourceMapping errors, raised exactly as botocore's Lambda client raises
them, so a test written against AWS catches and reads them the same way here.

A mapping is made in-process, not through a Lambda client, but what it refuses is what
Lambda's API refuses. Three kinds, as boto3 shows them:

- out-of-model types and values below a minimum never leave the client: botocore's own
  ``ParamValidationError`` (made here by botocore's own validator, see ``_settings``);
- values above a model maximum: the service's ``ValidationException`` in the form every
  AWS JSON service uses ("1 validation error detected: ...");
- everything else: ``InvalidParameterValueException`` or ``ResourceConflictException``, modelled
  errors of the Lambda service, whose class botocore names after the code.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.exceptions import ClientError

OPERATION = "CreateEventSourceMapping"
INVALID_PARAMETER_VALUE = "InvalidParameterValueException"
RESOURCE_CONFLICT = "ResourceConflictException"
VALIDATION = "ValidationException"
#: Lambda's modelled errors: botocore raises a ClientError subclass of that name for them.
_MODELLED = {INVALID_PARAMETER_VALUE: 400, RESOURCE_CONFLICT: 409}


@functools.cache
def _error_class(code: str) -> type[ClientError]:
    from botocore.exceptions import ClientError

    if code not in _MODELLED:
        return ClientError
    # What botocore's ClientExceptionsFactory makes for a modelled error shape.
    return type(code, (ClientError,), {})


def lambda_error(code: str, message: str, request_id: str) -> ClientError:
    """The error botocore's Lambda client raises for this code and message (recorded on AWS:
    ``Error`` with ``Code`` and ``Message``, the body's ``Type`` and ``message`` beside it)."""
    status = _MODELLED.get(code, 400)
    response: dict[str, Any] = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {
            "RequestId": request_id,
            "HTTPStatusCode": status,
            "HTTPHeaders": {
                "x-amzn-requestid": request_id,
                "x-amzn-errortype": code,
                "content-type": "application/json",
            },
            "RetryAttempts": 0,
        },
    }
    if code in _MODELLED:
        response["Type"] = "User"
        response["message"] = message
    return _error_class(code)(response, OPERATION)  # type: ignore[arg-type]
