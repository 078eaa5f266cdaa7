"""Every queue attribute SQS knows: which are settable, their ranges and their defaults."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .. import _errors as errors


@dataclass(frozen=True, slots=True)
class IntegerRule:
    minimum: int
    maximum: int
    default: int | None


@dataclass(frozen=True, slots=True)
class ChoiceRule:
    choices: tuple[str, ...]
    default: str | None


@dataclass(frozen=True, slots=True)
class JsonRule:
    pass


@dataclass(frozen=True, slots=True)
class TextRule:
    pass


Rule = IntegerRule | ChoiceRule | JsonRule | TextRule

_BOOLEAN = ("true", "false")


def _is_policy_document(document: object) -> bool:
    """An IAM policy's outline: an object whose Statement is one statement object or a list
    of them. (SQS checks the grammar in depth; the fake checks what it later relies on.)"""
    if not isinstance(document, dict):
        return False
    statement = document.get("Statement", [])
    statements = statement if isinstance(statement, list) else [statement]
    return all(isinstance(item, dict) for item in statements)


#: Attributes a user may set, with the rule their value must follow.
SETTABLE: dict[str, Rule] = {
    "DelaySeconds": IntegerRule(0, 900, 0),
    "MaximumMessageSize": IntegerRule(1024, 1048576, 1048576),
    "MessageRetentionPeriod": IntegerRule(60, 1209600, 345600),
    "ReceiveMessageWaitTimeSeconds": IntegerRule(0, 20, 0),
    "VisibilityTimeout": IntegerRule(0, 43200, 30),
    "Policy": JsonRule(),
    "RedrivePolicy": JsonRule(),
    "RedriveAllowPolicy": JsonRule(),
    "KmsMasterKeyId": TextRule(),
    "KmsDataKeyReusePeriodSeconds": IntegerRule(60, 86400, None),
    "SqsManagedSseEnabled": ChoiceRule(_BOOLEAN, "true"),
    "FifoQueue": ChoiceRule(_BOOLEAN, None),
    "ContentBasedDeduplication": ChoiceRule(_BOOLEAN, None),
    "DeduplicationScope": ChoiceRule(("messageGroup", "queue"), None),
    "FifoThroughputLimit": ChoiceRule(("perQueue", "perMessageGroupId"), None),
}

FIFO_ONLY = ("FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")
FIFO_DEFAULTS = {
    "FifoQueue": "true",
    "ContentBasedDeduplication": "false",
    "DeduplicationScope": "queue",
    "FifoThroughputLimit": "perQueue",
}

#: Attributes computed by the queue, readable only.
READ_ONLY = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "QueueArn",
)

#: The order GetQueueAttributes with All lists attributes in (dicts keep it on the way out).
ALL_ORDER = (
    "QueueArn",
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
    "CreatedTimestamp",
    "LastModifiedTimestamp",
    "VisibilityTimeout",
    "MaximumMessageSize",
    "MessageRetentionPeriod",
    "DelaySeconds",
    "ReceiveMessageWaitTimeSeconds",
    "Policy",
    "RedrivePolicy",
    "RedriveAllowPolicy",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
    "SqsManagedSseEnabled",
    "FifoQueue",
    "DeduplicationScope",
    "FifoThroughputLimit",
    "ContentBasedDeduplication",
)

KNOWN = frozenset(SETTABLE) | frozenset(READ_ONLY)


def normalise(name: str, value: str) -> str:
    """Check one settable attribute's value and return it as SQS stores it.

    Raises InvalidAttributeName for a name SQS does not know and InvalidAttributeValue for a
    value out of range.
    """
    rule = SETTABLE.get(name)
    if rule is None or name == "All":
        raise errors.invalid_attribute_name(name)
    if not isinstance(value, str):
        value = str(value)
    if isinstance(rule, IntegerRule):
        try:
            number = int(value.strip())
        except ValueError:
            raise errors.invalid_attribute_value(name) from None
        if not rule.minimum <= number <= rule.maximum:
            raise errors.invalid_attribute_value(name)
        return str(number)
    if isinstance(rule, ChoiceRule):
        if rule.choices == _BOOLEAN:
            if value.lower() not in _BOOLEAN:
                raise errors.invalid_attribute_value(name)
            return value.lower()
        if value not in rule.choices:
            raise errors.invalid_attribute_value(name)
        return value
    if isinstance(rule, JsonRule):
        if value == "":
            return value
        try:
            loaded = json.loads(value)
        except ValueError:
            raise errors.invalid_attribute_value(name) from None
        if name == "Policy" and not _is_policy_document(loaded):
            raise errors.invalid_attribute_value(name)
        return value
    return value
