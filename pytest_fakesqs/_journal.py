"""The journal of SQS calls a fake served: what was asked, what was answered, and when."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple, overload

#: How many calls the journal keeps, and gone messages each queue keeps, unless told otherwise.
DEFAULT_HISTORY_LIMIT = 10_000


class RecordedCall(NamedTuple):
    """One SQS call as the fake served it: an entry of
    `FakeSQS.calls`.

    (A named tuple: made on every call, it must cost next to nothing.)
    """

    operation: str
    """The API operation name, such as `SendMessage`."""
    params: Mapping[str, Any]
    """The parameters exactly as the caller passed them to the client."""
    region: str
    """The region of the client that made the call."""
    time: float
    """The fake's time when the call started, in epoch seconds."""
    status: int
    """The HTTP status of the answer: 200, or the error's status."""
    response: Mapping[str, Any] | None
    """The parsed response the client returned; None when the call failed."""
    error: Mapping[str, Any] | None
    """The parsed `Error` dict (`Code`, `Message`...) when the call failed; else None."""

    @property
    def at(self) -> datetime:
        """The fake's time when the call started, as an aware UTC datetime."""
        return datetime.fromtimestamp(self.time, tz=timezone.utc)

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (it has no error)."""
        return self.error is None

    @property
    def error_code(self) -> str | None:
        """The modelled error name (`QueueDoesNotExist`...), as botocore's exceptions use;
        None when the call succeeded."""
        return None if self.error is None else str(self.error.get("QueryErrorCode"))


class CallJournal(Sequence[RecordedCall]):
    """The SQS calls a fake served, in order: a read-only sequence of `RecordedCall` (index
    it, slice it, `len()` it, iterate it). `fake.calls.of("SendMessage")` filters by
    operation.

    It keeps the last `history_limit` calls (10,000 unless the fake was made with another
    limit; `None` keeps every call): once full, each new call drops the oldest, and
    `dropped` counts them, so `calls[0]` is call number `dropped` (counting from 0) of the
    fake's life."""

    def __init__(self, limit: int | None = None) -> None:
        self._calls: deque[RecordedCall] = deque(maxlen=limit)
        self._dropped = 0

    def record(self, call: RecordedCall) -> None:
        """Append a call (internal: the fake records each call it serves)."""
        calls = self._calls
        if len(calls) == calls.maxlen:
            self._dropped += 1
        calls.append(call)

    @property
    def limit(self) -> int | None:
        """How many calls it keeps (the fake's `history_limit`); None: every call."""
        return self._calls.maxlen

    @property
    def dropped(self) -> int:
        """How many earlier calls were dropped to stay within
        `limit`; 0 while nothing was. A test looking for
        an old call that is not there should check it."""
        return self._dropped

    def of(self, *operations: str) -> list[RecordedCall]:
        """The calls to any of `operations` (API names such as `SendMessage`), in order."""
        return [call for call in self._calls if call.operation in operations]

    @property
    def operations(self) -> list[str]:
        """The operation name of each call, in order: handy in an `assert ... ==`."""
        return [call.operation for call in self._calls]

    def clear(self) -> None:
        """Forget every call recorded so far (and the count of dropped ones); later calls are
        recorded as before."""
        self._calls.clear()
        self._dropped = 0

    @overload
    def __getitem__(self, index: int) -> RecordedCall: ...

    @overload
    def __getitem__(self, index: slice) -> list[RecordedCall]: ...

    def __getitem__(self, index: int | slice) -> RecordedCall | list[RecordedCall]:
        if isinstance(index, slice):
            return list(self._calls)[index]
        return self._calls[index]

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[RecordedCall]:
        return iter(list(self._calls))

    def __repr__(self) -> str:
        kept = f"{len(self._calls)} calls"
        if self._dropped:
            kept = (
                f"the last {kept} ({self._dropped} earlier ones dropped: "
                f"history_limit={self.limit})"
            )
        return f"<CallJournal of {kept}: {self.operations!r}>"
