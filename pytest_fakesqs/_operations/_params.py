"""Reading API params: the checks botocore leaves to the service."""

from __future__ import annotations

from typing import Any

from .. import _errors as errors
from ._registry import Call


def required(call: Call, name: str) -> Any:
    value = call.params.get(name)
    if value is None:
        raise errors.missing_parameter(name)
    return value


def optional_int(call: Call, name: str, minimum: int, maximum: int, reason: str) -> int | None:
    """An optional integer param, range-checked with SQS's own text for the param."""
    value = call.params.get(name)
    if value is None:
        return None
    if not minimum <= value <= maximum:
        raise errors.invalid_value(value, name, reason)
    return int(value)
