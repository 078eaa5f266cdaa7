"""Helpers for the API tests: queue URLs and ARNs, and exact error assertions."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from protocol_clients import installed_protocol

#: The installed botocore's SQS protocol: "json", or "query" before botocore 1.31 (CI's matrix).
PROTOCOL = installed_protocol()
ACCOUNT = "123456789012"
REGION = "us-east-1"


def system_attributes(client: Any, names: list[str]) -> dict[str, list[str]]:
    """ReceiveMessage's system-attribute list under the name the client's botocore knows:
    MessageSystemAttributeNames (botocore 1.34.x on), else the older AttributeNames. The
    fake treats both alike; CI runs these tests on botocore from 1.29."""
    if knows_member(client, "ReceiveMessage", "MessageSystemAttributeNames"):
        return {"MessageSystemAttributeNames": names}
    return {"AttributeNames": names}


def knows_member(client: Any, operation: str, member: str) -> bool:
    """Whether the client's service model has this input member."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    return member in shape.members


def modelled_error(client: Any, name: str) -> type[ClientError]:
    """The exception class botocore raises for a modelled SQS error. Older service models
    lack some (InvalidAttributeValue before botocore 1.31.81): botocore then raises a plain
    ClientError, against real SQS and the fake alike."""
    found: type[ClientError] = getattr(client.exceptions, name, ClientError)
    return found


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
    query_message: str | None = None,
) -> ClientError:
    """Assert a ClientError's code, full message, query error code and HTTP status exactly.

    Accepts a ``pytest.raises`` ExceptionInfo or the ClientError itself; returns the error so a
    caller can check more (e.g. the exception class). On a query-protocol botocore, botocore's
    ``Error`` has no QueryErrorCode and an empty Detail (recorded on AWS), and a few texts are
    the query era's (``query_message``).
    """
    error = getattr(excinfo_or_error, "value", excinfo_or_error)
    assert isinstance(error, ClientError), f"expected a ClientError, got {error!r}"
    details = error.response["Error"]
    assert details["Code"] == code
    if PROTOCOL == "query":
        assert details["Message"] == (query_message or message)
        assert "QueryErrorCode" not in details
        assert details["Detail"] is None
    else:
        assert details["Message"] == message
        assert details["QueryErrorCode"] == query_code
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == status
    return error


def counts(client: Any, url: str) -> tuple[int, int, int]:
    """(visible, in flight, delayed)."""
    attributes = client.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        int(attributes["ApproximateNumberOfMessagesDelayed"]),
    )


def receive(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    """The messages of one receive ([] when none)."""
    messages: list[dict[str, Any]] = client.receive_message(QueueUrl=url, **params).get(
        "Messages", []
    )
    return messages


def receive_all(client: Any, url: str, count: int = 10, **params: Any) -> list[dict[str, Any]]:
    """One receive of up to ``count`` messages with every system and message attribute."""
    return receive(
        client,
        url,
        MaxNumberOfMessages=count,
        MessageAttributeNames=["All"],
        **system_attributes(client, ["All"]),
        **params,
    )


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [message["Body"] for message in messages]
