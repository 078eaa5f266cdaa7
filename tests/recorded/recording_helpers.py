"""Helpers for the recorded-AWS tests: protocol parametrization, exact errors, and matching a
response against a recording's shape with its placeholders.

The recordings (LocalStack's AWS-validated SQS suite, revision 8b9a79f) replace values that
change from run to run by placeholders such as ``<uuid:1>``: the same placeholder means the same
value, different ones different values. ``match`` checks exactly that, and checks every other
value and every dict's set of keys exactly. ``ResponseMetadata`` is compared by
``HTTPStatusCode`` only: the recorder emptied the headers, and request ids are per call.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
REGION = "us-east-1"

#: A response with nothing but its metadata, as a recording shows an empty one.
EMPTY_200: dict[str, Any] = {"ResponseMetadata": {"HTTPStatusCode": 200}}

_PLACEHOLDER = re.compile(r"<[a-z-]+:\d+>")


class _Timestamp:
    """The recorder's ``timestamp``: some epoch time, as a string of digits (attributes) or
    as an integer (a move task's StartedTimestamp, a Long in the service model)."""

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"TIMESTAMP({self.kind.__name__})"

    def matches(self, value: Any) -> bool:
        if self.kind is str:
            return isinstance(value, str) and value.isdigit()
        return isinstance(value, int) and not isinstance(value, bool) and value > 0


TIMESTAMP: Any = _Timestamp(str)
TIMESTAMP_INT: Any = _Timestamp(int)


def queue_url_for(name: str) -> str:
    return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"


def queue_arn_for(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def message_counts(client: Any, url: str) -> tuple[str, str, str]:
    """ApproximateNumberOfMessages, ...NotVisible and ...Delayed as returned (all three asked
    for, and nothing else returned)."""
    names = [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
    ]
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]
    assert sorted(attributes) == sorted(names)
    visible, not_visible, delayed = (attributes[name] for name in names)
    return visible, not_visible, delayed


def protocols(*, sqs: str | None = None, sqs_query: str | None = None) -> Any:
    """Parametrize ``protocol`` over the recording's two runs, ``[sqs]`` and ``[sqs_query]``.
    A reason marks that run strict-xfail: the fake differs from the recording there."""
    params = [
        pytest.param(name, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)])
        if reason
        else pytest.param(name, id=name)
        for name, reason in (("sqs", sqs), ("sqs_query", sqs_query))
    ]
    return pytest.mark.parametrize("protocol", params)


def assert_error(
    client: Any,
    raised: Any,
    *,
    code: str,
    message: str,
    query_code: str,
    status: int = 400,
) -> ClientError:
    """Assert a ClientError exactly as the client's protocol shows it on AWS (recorded):

    - JSON: ``Error`` is exactly {Code, Message, QueryErrorCode, Type}; when ``Code`` names
      one of the model's error shapes (InvalidAttributeName, ResourceNotFoundException, ...),
      botocore also puts the shape's ``message`` at the top level of the response.
    - query: ``Error`` is exactly {Code, Message, Type, Detail: None}; nothing else.

    Accepts a ``pytest.raises`` ExceptionInfo or the error; returns the error.
    """
    __tracebackhide__ = True
    error = getattr(raised, "value", raised)
    assert isinstance(error, ClientError), f"expected a ClientError, got {error!r}"
    response = error.response
    if client.meta.service_model.protocol == "json":
        expected_error = {
            "Code": code,
            "Message": message,
            "QueryErrorCode": query_code,
            "Type": "Sender",
        }
        shapes = {shape.name for shape in client.meta.service_model.error_shapes}
        extra = {"message": message} if code in shapes else {}
    else:
        expected_error = {"Code": code, "Message": message, "Type": "Sender", "Detail": None}
        extra = {}
    actual_status = response["ResponseMetadata"]["HTTPStatusCode"]
    actual = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    assert (actual, actual_status) == ({"Error": expected_error, **extra}, status)
    return error


class Recording:
    """Matches responses against a recording's expectations, placeholders bound across all of
    one recording's entries (``<uuid:1>`` in two entries is one message)."""

    def __init__(self) -> None:
        self.bound: dict[str, Any] = {}

    def match(self, actual: Any, expected: Any, path: str = "$") -> None:
        __tracebackhide__ = True
        if isinstance(expected, _Timestamp):
            assert expected.matches(actual), f"{path}: {actual!r} is not a {expected!r}"
        elif isinstance(expected, str) and _PLACEHOLDER.fullmatch(expected):
            self._bind(expected, actual, path)
        elif isinstance(expected, dict):
            assert isinstance(actual, dict), f"{path}: {actual!r} is not a dict"
            if "ResponseMetadata" in expected:
                status = expected["ResponseMetadata"]["HTTPStatusCode"]
                assert actual["ResponseMetadata"]["HTTPStatusCode"] == status, path
            keys = set(expected) - {"ResponseMetadata"}
            assert set(actual) - {"ResponseMetadata"} == keys, f"{path}: keys of {actual!r}"
            for key in sorted(keys):
                self.match(actual[key], expected[key], f"{path}.{key}")
        elif isinstance(expected, list):
            assert isinstance(actual, list), f"{path}: {actual!r} is not a list"
            assert len(actual) == len(expected), f"{path}: {actual!r}"
            for index, (one, other) in enumerate(zip(actual, expected, strict=True)):
                self.match(one, other, f"{path}[{index}]")
        else:
            assert actual == expected, f"{path}: {actual!r} != {expected!r}"

    def _bind(self, placeholder: str, actual: Any, path: str) -> None:
        __tracebackhide__ = True
        assert isinstance(actual, str) and actual, f"{path}: {actual!r} for {placeholder}"
        if placeholder in self.bound:
            assert actual == self.bound[placeholder], f"{path}: not the same {placeholder}"
            return
        kind = placeholder.split(":")[0]
        for other, value in self.bound.items():
            if other.split(":")[0] == kind:
                assert actual != value, f"{path}: {placeholder} equals {other}"
        self.bound[placeholder] = actual


def match(actual: Any, expected: Any) -> None:
    """Match one response against one recorded entry (placeholders bound within it)."""
    __tracebackhide__ = True
    Recording().match(actual, expected)
