"""What every batch operation checks about the request as a whole, and per-entry failures."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from .. import _errors as errors

MAX_BATCH_ENTRIES = 10
_BATCH_ENTRY_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")


def check_entries(
    entries: Sequence[dict[str, Any]] | None, entry_shape: str
) -> list[dict[str, Any]]:
    """Raise the request-level batch errors SQS raises before looking at any entry."""
    if not entries:
        raise errors.SQSError(
            errors.EMPTY_BATCH_REQUEST,
            f"There should be at least one {entry_shape} in the request.",
        )
    if len(entries) > MAX_BATCH_ENTRIES:
        raise errors.SQSError(
            errors.TOO_MANY_ENTRIES_IN_BATCH_REQUEST,
            f"Maximum number of entries per request are {MAX_BATCH_ENTRIES}. "
            f"You have sent {len(entries)}.",
        )
    seen: set[str] = set()
    for entry in entries:
        entry_id = entry.get("Id", "")
        if _BATCH_ENTRY_ID.fullmatch(entry_id) is None:
            raise errors.SQSError(
                errors.INVALID_BATCH_ENTRY_ID,
                "A batch entry id can only contain alphanumeric characters, hyphens and "
                "underscores. It can be at most 80 letters long.",
            )
        if entry_id in seen:
            raise errors.SQSError(errors.BATCH_ENTRY_IDS_NOT_DISTINCT, f"Id {entry_id} repeated.")
        seen.add(entry_id)
    return list(entries)


def failure(entry_id: str, error: errors.SQSError) -> dict[str, Any]:
    return {
        "Id": entry_id,
        "SenderFault": error.kind.sender_fault,
        "Code": error.kind.code,
        "Message": error.message,
    }


def run_entries(
    entries: list[dict[str, Any]], handle: Callable[[dict[str, Any]], dict[str, Any]]
) -> dict[str, Any]:
    """Run each entry on its own: its result in Successful, or its error in Failed."""
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for entry in entries:
        try:
            outcome = handle(entry)
        except errors.SQSError as error:
            failed.append(failure(entry["Id"], error))
        else:
            successful.append({"Id": entry["Id"], **outcome})
    # SQS leaves an empty list out of the response rather than sending [].
    result: dict[str, Any] = {}
    if successful:
        result["Successful"] = successful
    if failed:
        result["Failed"] = failed
    return result
