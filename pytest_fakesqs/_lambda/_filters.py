"""Lambda's event filtering (FilterCriteria) for SQS records.

A pattern is a JSON object whose leaves are lists of rules; a record matches a pattern when
every field the pattern names matches one of its rules, and it is kept when it matches any of
the mapping's patterns (Lambda's docs, "Control which events Lambda sends to your function").
For SQS the ``body`` is special: a pattern that gives ``body`` an object filters on the body
parsed as JSON, one that gives it rules filters on the body as a plain string, and a message
whose body is not in the pattern's form matches nothing ("Properly filtering Amazon SQS
messages").

Rules: a string, number, boolean or null (equals); ``{"prefix": s}``, ``{"suffix": s}``,
``{"equals-ignore-case": s}``, ``{"anything-but": value or [values]}``, ``{"exists": bool}``,
``{"numeric": [op, n]}`` or ``{"numeric": [">"|">=", n, "<"|"<=", m]}``. EventBridge
operators Lambda's filtering does not document (``wildcard``, ``cidr``, ``$or``, and the
object forms of ``anything-but`` and ``prefix``) raise NotImplementedError naming them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

#: Lambda's answer to any pattern it cannot read (recorded on AWS for "null", a plain string,
#: a leaf that is not a list and an empty list).
INVALID_PATTERN = "Invalid filter pattern definition."
_MISSING: Any = object()
_COMPARISONS = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_NOT_MODELLED = ("wildcard", "cidr", "$or")


class InvalidPattern(ValueError):
    """A pattern Lambda refuses with "Invalid filter pattern definition."."""


def _not_modelled(what: str) -> NotImplementedError:
    return NotImplementedError(
        f"pytest-fakesqs does not model the event filter {what}; the operators it models are "
        "equals, prefix, suffix, equals-ignore-case, anything-but (values), exists and numeric"
    )


def criteria_patterns(value: Any) -> list[Any]:
    """The patterns of ``filter_criteria``, unchecked: from Lambda's
    ``{"Filters": [{"Pattern": ...}]}``, or a list of patterns (dicts or their JSON text)."""
    if isinstance(value, Mapping):
        filters = value.get("Filters") or []
        return [entry.get("Pattern") if isinstance(entry, Mapping) else entry for entry in filters]
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [json.dumps(item) if isinstance(item, Mapping) else item for item in value]
    raise TypeError(
        "filter_criteria= takes Lambda's {'Filters': [{'Pattern': '...'}]} or a list of "
        f"patterns (dicts or JSON text), got {value!r}"
    )


def parse_pattern(text: Any) -> dict[str, Any]:
    """A pattern's JSON text, checked: InvalidPattern if Lambda would refuse it."""
    try:
        pattern = json.loads(text)
    except (TypeError, ValueError):
        raise InvalidPattern(INVALID_PATTERN) from None
    if not isinstance(pattern, dict) or not pattern:
        raise InvalidPattern(INVALID_PATTERN)
    _check_object(pattern)
    return pattern


def _check_object(pattern: dict[str, Any]) -> None:
    for key, value in pattern.items():
        if key in _NOT_MODELLED:
            raise _not_modelled(f"operator {key!r}")
        if isinstance(value, dict):
            if not value:
                raise InvalidPattern(INVALID_PATTERN)
            _check_object(value)
        elif isinstance(value, list) and value:
            for rule in value:
                _check_rule(rule)
        else:
            raise InvalidPattern(INVALID_PATTERN)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_rule(rule: Any) -> None:
    if rule is None or isinstance(rule, (str, bool)) or _is_number(rule):
        return
    if not isinstance(rule, dict) or len(rule) != 1:
        raise InvalidPattern(INVALID_PATTERN)
    ((operator, operand),) = rule.items()
    if operator in ("prefix", "suffix", "equals-ignore-case"):
        if isinstance(operand, dict):
            raise _not_modelled(f"{operator!r} with {sorted(operand)}")
        if not isinstance(operand, str):
            raise InvalidPattern(INVALID_PATTERN)
    elif operator == "anything-but":
        if isinstance(operand, dict):
            raise _not_modelled(f"'anything-but' with {sorted(operand)}")
        values = operand if isinstance(operand, list) else [operand]
        if not values or not all(isinstance(v, str) or _is_number(v) for v in values):
            raise InvalidPattern(INVALID_PATTERN)
    elif operator == "exists":
        if not isinstance(operand, bool):
            raise InvalidPattern(INVALID_PATTERN)
    elif operator == "numeric":
        _check_numeric(operand)
    elif operator in _NOT_MODELLED:
        raise _not_modelled(f"operator {operator!r}")
    else:
        raise InvalidPattern(INVALID_PATTERN)


def _check_numeric(operand: Any) -> None:
    if not isinstance(operand, list) or len(operand) not in (2, 4):
        raise InvalidPattern(INVALID_PATTERN)
    operators = operand[0::2]
    numbers = operand[1::2]
    if not all(op in _COMPARISONS for op in operators) or not all(map(_is_number, numbers)):
        raise InvalidPattern(INVALID_PATTERN)
    # A range is a lower bound then an upper one, as EventBridge requires.
    if len(operand) == 4 and (operators[0] not in (">", ">=") or operators[1] not in ("<", "<=")):
        raise InvalidPattern(INVALID_PATTERN)


# --- matching -----------------------------------------------------------------------------------


def record_matches(patterns: Sequence[dict[str, Any]], record: Mapping[str, Any]) -> bool:
    """Whether an SQS record passes the filters (no filters: every record passes)."""
    if not patterns:
        return True
    return any(_matches_record(pattern, record) for pattern in patterns)


def _matches_record(pattern: dict[str, Any], record: Mapping[str, Any]) -> bool:
    if "body" not in pattern:
        return _matches_object(pattern, record)
    body_pattern = pattern["body"]
    try:
        body: Any = json.loads(record["body"])
        json_body = True
    except ValueError:
        body = record["body"]
        json_body = False
    # The body must be in the pattern's form: JSON for an object pattern, plain otherwise.
    if json_body != isinstance(body_pattern, dict):
        return False
    others = {key: value for key, value in pattern.items() if key != "body"}
    return _matches_object(others, record) and _matches_object(
        {"body": body_pattern}, {"body": body}
    )


def _matches_object(pattern: Mapping[str, Any], value: Any) -> bool:
    for key, expected in pattern.items():
        present = isinstance(value, Mapping) and key in value
        field = value[key] if present else _MISSING
        if isinstance(expected, dict):
            # A field the pattern goes into must be an object; a missing one still lets
            # {"exists": false} leaves inside match.
            if field is _MISSING:
                field = {}
            if not isinstance(field, Mapping) or not _matches_object(expected, field):
                return False
        elif not _matches_leaf(expected, field):
            return False
    return True


def _matches_leaf(rules: list[Any], field: Any) -> bool:
    if field is _MISSING:
        return any(isinstance(rule, dict) and rule.get("exists") is False for rule in rules)
    # An array in the record matches when any of its values does.
    values = field if isinstance(field, list) else [field]
    return any(_matches_rule(rule, item) for rule in rules for item in values)


def _same_number(a: Any, b: Any) -> bool:
    # Lambda compares numbers by their text: 300, 300.0 and 3.0e2 are not equal.
    return _is_number(a) and _is_number(b) and json.dumps(a) == json.dumps(b)


def _matches_rule(rule: Any, value: Any) -> bool:
    if rule is None:
        return value is None
    if isinstance(rule, bool):
        return isinstance(value, bool) and value == rule
    if isinstance(rule, str):
        return isinstance(value, str) and value == rule
    if _is_number(rule):
        return _same_number(rule, value)
    ((operator, operand),) = rule.items()
    if operator == "exists":
        return bool(operand) and not isinstance(value, dict)
    if operator == "prefix":
        return isinstance(value, str) and value.startswith(operand)
    if operator == "suffix":
        return isinstance(value, str) and value.endswith(operand)
    if operator == "equals-ignore-case":
        return isinstance(value, str) and value.lower() == operand.lower()
    if operator == "anything-but":
        excluded = operand if isinstance(operand, list) else [operand]
        if isinstance(value, str):
            return value not in [item for item in excluded if isinstance(item, str)]
        if _is_number(value):
            return not any(_same_number(item, value) for item in excluded)
        return False
    # numeric
    if not _is_number(value):
        return False
    return all(
        _COMPARISONS[op](value, bound)
        for op, bound in zip(operand[0::2], operand[1::2], strict=True)
    )
