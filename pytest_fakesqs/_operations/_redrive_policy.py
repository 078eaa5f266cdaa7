"""Validation of RedrivePolicy and RedriveAllowPolicy values."""

from __future__ import annotations

import json
import re
from typing import Any

from .. import _errors as errors
from ._registry import Call

MAX_RECEIVE_COUNT = 1000
MAX_SOURCE_QUEUE_ARNS = 10
_SQS_ARN = re.compile(r"arn:[^:]+:sqs:[^:]+:[^:]+:[^:]+")


def _load_map(name: str, value: str) -> dict[str, Any]:
    try:
        policy = json.loads(value)
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        raise errors.invalid_attribute_value(name, "Redrive policy is not a valid JSON map.")
    return policy


def _as_json_text(value: object) -> str:
    """A policy value as the user wrote it: strings bare, the rest as JSON (true, Infinity)."""
    return value if isinstance(value, str) else json.dumps(value)


def check_redrive_policy(
    call: Call, value: str, source_fifo: bool, source_name: str, account_id: str
) -> None:
    """RedrivePolicy: a JSON map naming an existing queue of the same type, account and region."""
    policy = _load_map("RedrivePolicy", value)
    for key in ("deadLetterTargetArn", "maxReceiveCount"):
        if key not in policy:
            raise errors.invalid_attribute_value(
                "RedrivePolicy", f"Redrive policy does not contain mandatory attribute: {key}."
            )
    count = policy["maxReceiveCount"]
    try:
        # JSON true is not a count; Infinity (json allows it) overflows int().
        number = 0 if isinstance(count, bool) else int(count)
    except (TypeError, ValueError, OverflowError):
        number = 0
    if not 1 <= number <= MAX_RECEIVE_COUNT:
        raise errors.invalid_value(
            value,
            "RedrivePolicy",
            f"Invalid value for maxReceiveCount: {_as_json_text(count)}, valid values are from "
            f"1 to {MAX_RECEIVE_COUNT} both inclusive.",
        )
    target_arn = str(policy["deadLetterTargetArn"])
    if _SQS_ARN.fullmatch(target_arn) is None:
        raise errors.invalid_value(value, "RedrivePolicy", "Invalid value for deadLetterTargetArn.")
    target = call.engine.backend.by_arn(target_arn)
    if target is None or target.account_id != account_id or target.region != call.region:
        raise errors.invalid_value(value, "RedrivePolicy", "Dead letter target does not exist.")
    if target.fifo != source_fifo:
        raise errors.invalid_value(
            value,
            "RedrivePolicy",
            "Dead-letter queue must be same type of queue as the source..",
        )
    allow = target.attributes.get("RedriveAllowPolicy")
    if allow:
        source_arn = f"arn:aws:sqs:{call.region}:{account_id}:{source_name}"
        allow_policy = json.loads(allow)
        permission = allow_policy.get("redrivePermission")
        allowed = permission == "allowAll" or (
            permission == "byQueue" and source_arn in allow_policy.get("sourceQueueArns", [])
        )
        if not allowed:
            raise errors.invalid_value(
                value,
                "RedrivePolicy",
                "Queue "
                + source_arn
                + " is not allowed to use "
                + target.arn
                + " as its dead-letter queue.",
            )


def check_redrive_allow_policy(value: str) -> None:
    policy = _load_map("RedriveAllowPolicy", value)
    permission = policy.get("redrivePermission")
    if permission not in ("allowAll", "denyAll", "byQueue"):
        raise errors.invalid_attribute_value(
            "RedriveAllowPolicy",
            "Invalid value for redrivePermission. Valid values are allowAll, denyAll, byQueue.",
        )
    arns = policy.get("sourceQueueArns")
    if permission == "byQueue":
        if not isinstance(arns, list) or not arns:
            raise errors.invalid_attribute_value(
                "RedriveAllowPolicy",
                "sourceQueueArns must be specified when redrivePermission is byQueue.",
            )
        if len(arns) > MAX_SOURCE_QUEUE_ARNS:
            raise errors.invalid_attribute_value(
                "RedriveAllowPolicy",
                f"Only up to {MAX_SOURCE_QUEUE_ARNS} sourceQueueArns can be specified.",
            )
    elif arns:
        raise errors.invalid_attribute_value(
            "RedriveAllowPolicy",
            "sourceQueueArns may be specified only when redrivePermission is byQueue.",
        )
