"""AddPermission and RemovePermission: they edit the queue's Policy document."""

from __future__ import annotations

import json
import re
from typing import Any

from .. import _errors as errors
from ._params import required
from ._queues import resolve_queue
from ._registry import Call, operation

_LABEL = re.compile(r"[A-Za-z0-9_-]{1,80}")
#: Amazon SQS policy quotas: actions per statement.
MAX_ACTIONS_PER_STATEMENT = 7
#: Actions AddPermission may grant; SQS refuses queue-management ones.
GRANTABLE_ACTIONS = frozenset(
    {
        "*",
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "ListDeadLetterSourceQueues",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
    }
)


def _policy(queue_arn: str, current: str | None) -> dict[str, Any]:
    if current:
        loaded = json.loads(current)
        if isinstance(loaded, dict):
            # The IAM grammar allows a single statement object where a list is usual.
            if isinstance(loaded.get("Statement"), dict):
                loaded["Statement"] = [loaded["Statement"]]
            return loaded
    return {"Version": "2008-10-17", "Id": f"{queue_arn}/SQSDefaultPolicy", "Statement": []}


def _one_or_list(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values


@operation("AddPermission")
def add_permission(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    label = required(call, "Label")
    accounts = required(call, "AWSAccountIds")
    actions = required(call, "Actions")
    if _LABEL.fullmatch(label) is None:
        raise errors.invalid_value(
            label,
            "Label",
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
        )
    if not accounts:
        raise errors.missing_parameter("AWSAccountIds")
    if not actions:
        raise errors.missing_parameter("Actions")
    if len(actions) > MAX_ACTIONS_PER_STATEMENT:
        # AWS's policy quota (7 actions per statement); the text is the one moto and other
        # emulators give, unverified against a recording.
        raise errors.SQSError(
            errors.OVER_LIMIT,
            f"{len(actions)} Actions were found, maximum allowed is {MAX_ACTIONS_PER_STATEMENT}.",
        )
    for action in actions:
        if action not in GRANTABLE_ACTIONS:
            raise errors.invalid_value(
                f"SQS:{action}",
                "ActionName",
                "Only the queue owner is allowed to invoke this action.",
            )
    policy = _policy(queue.arn, queue.attributes.get("Policy"))
    statements = policy.setdefault("Statement", [])
    if any(statement.get("Sid") == label for statement in statements):
        raise errors.invalid_value(label, "Label", "Already exists.")
    statements.append(
        {
            "Sid": label,
            "Effect": "Allow",
            "Principal": {
                "AWS": _one_or_list([f"arn:aws:iam::{account}:root" for account in accounts])
            },
            "Action": _one_or_list([f"SQS:{action}" for action in actions]),
            "Resource": queue.arn,
        }
    )
    queue.set_attributes({"Policy": json.dumps(policy, separators=(",", ":"))}, call.now)
    return {}


@operation("RemovePermission")
def remove_permission(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    label = required(call, "Label")
    policy = _policy(queue.arn, queue.attributes.get("Policy"))
    statements = policy.get("Statement", [])
    remaining = [statement for statement in statements if statement.get("Sid") != label]
    if len(remaining) == len(statements):
        raise errors.invalid_value(label, "Label", "can't find label.")
    if remaining:
        policy["Statement"] = remaining
        value = json.dumps(policy, separators=(",", ":"))
    else:
        value = ""
    queue.set_attributes({"Policy": value}, call.now)
    return {}
