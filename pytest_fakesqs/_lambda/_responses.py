"""What a handler's answer means for its batch, by Lambda's rules for SQS.

Without ``ReportBatchItemFailures`` any answer is a success (the whole batch is deleted).
With it, the answer is read as a partial batch response (Lambda's docs, "Handling errors for
an SQS event source in Lambda"): ``None``, ``{}``, and an empty or null
``batchItemFailures`` are complete successes; an entry without ``itemIdentifier``, or with a
null, empty or unknown one, fails the whole batch (recorded on AWS for
``{"batchItemFailures": [{"foo": "notvalid"}]}``). The docs are silent on an answer that is
JSON but no object (a string, a list): it cannot be read as a response, and the fake fails the
whole batch for it, as for any other unreadable response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verdict:
    """Which messages of a batch stay for a retry, and why (None when all succeeded)."""

    failed: tuple[str, ...]
    reason: str | None


def _everything(message_ids: Sequence[str], reason: str) -> Verdict:
    return Verdict(tuple(message_ids), reason)


def read_response(response: Any, message_ids: Sequence[str], report_failures: bool) -> Verdict:
    """``response`` is the handler's answer after its JSON round trip."""
    if not report_failures or response is None:
        return Verdict((), None)
    if not isinstance(response, dict):
        return _everything(
            message_ids,
            f"invalid partial batch response {response!r}: not a JSON object; the whole batch "
            "failed",
        )
    failures = response.get("batchItemFailures")
    if failures is None or failures == []:
        return Verdict((), None)
    if not isinstance(failures, list):
        return _everything(
            message_ids,
            f"invalid partial batch response: batchItemFailures is {failures!r}, not a list; "
            "the whole batch failed",
        )
    known = set(message_ids)
    failed: set[str] = set()
    for entry in failures:
        identifier = entry.get("itemIdentifier") if isinstance(entry, dict) else None
        if not isinstance(identifier, str) or identifier not in known:
            problem = (
                f"itemIdentifier {identifier!r} is not a message of this batch"
                if isinstance(identifier, str) and identifier
                else f"entry {entry!r} has no itemIdentifier"
            )
            return _everything(
                message_ids,
                f"invalid partial batch response: {problem}; the whole batch failed",
            )
        failed.add(identifier)
    ordered = tuple(message_id for message_id in message_ids if message_id in failed)
    return Verdict(
        ordered, f"partial batch response: {len(ordered)} of {len(message_ids)} messages failed"
    )
