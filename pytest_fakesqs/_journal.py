"""The journal of SQS calls a fake served: what was asked, what was answered, and when."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple, overload


class RecordedCall(NamedTuple):
    """One SQS call as the fake served it.

    ``params`` are the parameters exactly as the caller passed them to the client;
    ``response`` is the parsed response the client returned (None when it failed) and
    ``error`` the parsed ``Error`` dict (``Code``, ``Message``...) when it failed.
    (A named tuple: made on every call, it must cost next to nothing.)
    """

    operation: str
    params: Mapping[str, Any]
    region: str
    #: The fake's time when the call started, in epoch seconds.
    time: float
    status: int
    response: Mapping[str, Any] | None
    error: Mapping[str, Any] | None

    @property
    def at(self) -> datetime:
        """The fake's time when the call started, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time, tz=timezone.utc)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def error_code(self) -> str | None:
        """The modelled error name (``QueueDoesNotExist``...), as botocore's exceptions use."""
        return None if self.error is None else str(self.error.get("QueryErrorCode"))


class CallJournal(Sequence[RecordedCall]):
    """Every call in order. ``fake.calls.of("SendMessage")`` filters by operation."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []

    def record(self, call: RecordedCall) -> None:
        self._calls.append(call)

    def of(self, *operations: str) -> list[RecordedCall]:
        """The calls to any of these operations, in order."""
        return [call for call in self._calls if call.operation in operations]

    @property
    def operations(self) -> list[str]:
        """The operation name of each call, in order: handy in an ``assert ... ==``."""
        return [call.operation for call in self._calls]

    def clear(self) -> None:
        self._calls.clear()

    @overload
    def __getitem__(self, index: int) -> RecordedCall: ...

    @overload
    def __getitem__(self, index: slice) -> list[RecordedCall]: ...

    def __getitem__(self, index: int | slice) -> RecordedCall | list[RecordedCall]:
        return self._calls[index]

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[RecordedCall]:
        return iter(list(self._calls))

    def __repr__(self) -> str:
        return f"<CallJournal of {len(self._calls)} calls: {self.operations!r}>"
