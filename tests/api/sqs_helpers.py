"""Helpers for the API tests: queue URLs and ARNs, and exact error assertions."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
REGION = "us-east-1"


def queue_url_for(name: str, *, region: str = REGION, account: str = ACCOUNT) -> str:
    """The URL the fake gives a queue: https://sqs.{region}.amazonaws.com/{account}/{name}."""
    return f"https://sqs.{region}.amazonaws.com/{account}/{name}"


def queue_arn_for(name: str, *, region: str = REGION, account: str = ACCOUNT) -> str:
    """The ARN the fake gives a queue: arn:aws:sqs:{region}:{account}:{name}."""
    return f"arn:aws:sqs:{region}:{account}:{name}"


def assert_error(
    excinfo_or_error: Any,
    *,
    code: str,
    message: str,
    query_code: str,
    status: int = 400,
) -> ClientError:
    """Assert a ClientError's code, full message, query error code and HTTP status exactly.

    Accepts a ``pytest.raises`` ExceptionInfo or the ClientError itself; returns the error so a
    caller can check more (e.g. the exception class).
    """
    error = getattr(excinfo_or_error, "value", excinfo_or_error)
    assert isinstance(error, ClientError), f"expected a ClientError, got {error!r}"
    details = error.response["Error"]
    assert details["Code"] == code
    assert details["Message"] == message
    assert details.get("QueryErrorCode") == query_code
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status
    return error
