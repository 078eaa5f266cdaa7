"""Assertions on queues that read well when they fail: what was expected, what is there, and a
diff against the closest candidate in pytest's ``-``/``+`` style."""

from __future__ import annotations

import difflib
import json
import pprint
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._inspect import MessageView


class _Anything:
    def __repr__(self) -> str:
        return "ANY"


#: The default of a criterion that was not given.
ANY: Any = _Anything()
_SHOWN = 10


def _line(message: MessageView) -> str:
    body = message.body if len(message.body) <= 120 else message.body[:117] + "..."
    extra = f", group {message.group_id!r}" if message.group_id is not None else ""
    fate = f", {message.fate}" if message.fate is not None else ""
    return (
        f"  - {message.state} {body!r} (id {message.message_id}, "
        f"receives {message.receive_count}{extra}{fate})"
    )


def listing(messages: Sequence[MessageView]) -> str:
    lines = [_line(message) for message in messages[:_SHOWN]]
    if len(messages) > _SHOWN:
        lines.append(f"  ... and {len(messages) - _SHOWN} more")
    return "\n".join(lines)


def assert_empty(queue_name: str, messages: Sequence[MessageView]) -> None:
    __tracebackhide__ = True  # pytest shows the test's line, not ours
    if messages:
        count = len(messages)
        raise AssertionError(
            f"queue {queue_name!r} is not empty: {count} message{'s' * (count != 1)} "
            f"stored\n{listing(messages)}"
        )


def _attribute_value(value: Any) -> Any:
    """A message attribute as a test writes it: its string (or bytes) value alone."""
    if isinstance(value, Mapping):
        if "StringValue" in value:
            return value["StringValue"]
        return value.get("BinaryValue")
    return value


def _comparable(
    message: MessageView, body: Any, attributes: Mapping[str, Any] | None, group_id: str | None
) -> dict[str, Any]:
    """The parts of a message the criteria look at, in the criteria's own shape."""
    shown: dict[str, Any] = {}
    if body is not ANY and not callable(body):
        if isinstance(body, (dict, list)):
            try:
                shown["body"] = json.loads(message.body)
            except ValueError:
                shown["body"] = message.body
        else:
            shown["body"] = message.body
    if attributes is not None:
        shown["message_attributes"] = {
            name: _attribute_value(value) for name, value in message.message_attributes.items()
        }
    if group_id is not None:
        shown["group_id"] = message.group_id
    return shown


def _expected(
    body: Any, attributes: Mapping[str, Any] | None, group_id: str | None
) -> dict[str, Any]:
    expected: dict[str, Any] = {}
    if body is not ANY and not callable(body):
        expected["body"] = body
    if attributes is not None:
        expected["message_attributes"] = {
            name: _attribute_value(value) for name, value in attributes.items()
        }
    if group_id is not None:
        expected["group_id"] = group_id
    return expected


def _matches(
    message: MessageView,
    body: Any,
    attributes: Mapping[str, Any] | None,
    group_id: str | None,
) -> bool:
    if callable(body) and body is not ANY:
        predicate: Callable[[str], Any] = body
        if not predicate(message.body):
            return False
    have = _comparable(message, body, attributes, group_id)
    want = _expected(body, attributes, group_id)
    if "message_attributes" in want:
        # The named attributes must match; others the message carries do not matter.
        wanted = want.pop("message_attributes")
        carried = have.pop("message_attributes")
        if any(carried.get(name, ANY) != value for name, value in wanted.items()):
            return False
    return have == want


def _diff(expected: Any, actual: Any) -> str:
    left = pprint.pformat(expected, width=80, sort_dicts=True).splitlines()
    right = pprint.pformat(actual, width=80, sort_dicts=True).splitlines()
    lines = difflib.ndiff(left, right)
    return "\n".join("  " + line for line in lines if not line.startswith("?"))


def _closest(
    messages: Sequence[MessageView], expected: dict[str, Any], criteria: tuple[Any, Any, Any]
) -> MessageView:
    """The message agreeing with the most criteria, then the most alike as text."""

    def similarity(message: MessageView) -> tuple[int, float]:
        shown = _comparable(message, *criteria)
        agreeing = sum(1 for key, value in expected.items() if shown.get(key) == value)
        text = difflib.SequenceMatcher(
            None, pprint.pformat(shown, sort_dicts=True), pprint.pformat(expected, sort_dicts=True)
        ).ratio()
        return agreeing, text

    return max(messages, key=similarity)


def _criteria(body: Any, attributes: Any, group_id: str | None) -> str:
    parts = []
    if body is not ANY:
        name = getattr(body, "__name__", None) if callable(body) else None
        parts.append(f"body={name}" if name else f"body={body!r}")
    if attributes is not None:
        parts.append(f"message_attributes={dict(attributes)!r}")
    if group_id is not None:
        parts.append(f"group_id={group_id!r}")
    return ", ".join(parts) or "anything"


def assert_sent(
    queue_name: str,
    sent: Sequence[MessageView],
    body: Any,
    attributes: Mapping[str, Any] | None,
    group_id: str | None,
    count: int | None,
    dropped: int = 0,
) -> list[MessageView]:
    """``dropped``: how many gone messages the queue's history no longer holds, which a
    failure mentions (the message looked for may be among them)."""
    __tracebackhide__ = True
    note = (
        f"\n(only the last gone messages are kept: {dropped} earlier ones were dropped from "
        f"queue {queue_name!r}'s history; history_limit=None keeps them all)"
        if dropped
        else ""
    )
    matches = [message for message in sent if _matches(message, body, attributes, group_id)]
    criteria = _criteria(body, attributes, group_id)
    if count == 0:
        if matches:
            raise AssertionError(
                f"{len(matches)} message(s) sent to queue {queue_name!r} match {criteria}, "
                f"expected none\n{listing(matches)}{note}"
            )
        return matches
    if count is not None and len(matches) != count:
        shown = listing(matches or sent)
        raise AssertionError(
            f"expected {count} message(s) sent to queue {queue_name!r} matching {criteria}, "
            f"found {len(matches)}" + (f"\n{shown}" if shown else "") + note
        )
    if matches:
        return matches
    if not sent:
        raise AssertionError(
            f"no message was sent to queue {queue_name!r}; expected one matching {criteria}" + note
        )
    report = [
        f"no message sent to queue {queue_name!r} matches {criteria}",
        f"{len(sent)} message{'s were' if len(sent) != 1 else ' was'} sent:",
        listing(sent),
    ]
    expected = _expected(body, attributes, group_id)
    if expected:
        closest = _closest(sent, expected, (body, attributes, group_id))
        report.append(
            f"closest (id {closest.message_id}); diff as pytest shows it, - expected + actual:"
        )
        report.append(_diff(expected, _comparable(closest, body, attributes, group_id)))
    raise AssertionError("\n".join(report) + note)
