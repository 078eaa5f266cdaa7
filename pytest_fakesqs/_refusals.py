"""The fake's own refusals: SQS calls it will neither serve nor let through.

A refusal reaches the caller as botocore's own ``ClientError``, raised from the fake's event
handler as botocore's Stubber raises its errors, so code that handles SQS errors handles it
too, and nothing but botocore's exceptions ever comes out of an SQS call. Its code is the
fake's, never one SQS uses, and its message says what happened and what to do.
"""

from __future__ import annotations

from typing import NoReturn

#: A process forked while a fake was active called SQS: see ``_forks``.
FORKED_PROCESS = "PytestFakeSQS.ForkedProcess"
#: A call meant for a fake would have gone to real AWS: see ``_escapes``.
REAL_AWS_REFUSED = "PytestFakeSQS.RealAWSRefused"


def refuse(operation: str, code: str, message: str) -> NoReturn:
    """Raise the refusal of ``operation`` as botocore's ClientError."""
    from botocore.exceptions import ClientError

    response = {
        "Error": {"Code": code, "Message": message, "Type": "Sender"},
        # No request was made; a 400 keeps code that reads the status working, and it is
        # what botocore's Stubber gives its client errors.
        "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0},
    }
    raise ClientError(response, operation)  # type: ignore[arg-type]
