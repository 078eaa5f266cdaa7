"""The server's request log: one line per request, written as soon as it is answered.

    2024-05-01T12:00:00.000Z SendMessage jobs 200 ok
    2024-05-01T12:00:00.000Z ReceiveMessage jobs 200 ok (2 messages)
    2024-05-01T12:00:00.000Z GetQueueUrl missing 400 QueueDoesNotExist
    2024-05-01T12:00:30.000Z POST /_fakesqs/advance 200 ok

The time is the fake's (a frozen clock shows its own time); then the operation, the queue (or
``-``), the HTTP status and the outcome: ``ok``, or the error's name as SDKs raise it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, TextIO


class RequestLog:
    """Writes the log lines to a text stream, whole lines only, from any thread."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def sqs_call(
        self,
        now: float,
        operation: str,
        params: Mapping[str, Any] | None,
        status: int,
        parsed: Mapping[str, Any],
    ) -> None:
        error = parsed.get("Error")
        if error is not None:
            outcome = str(error.get("QueryErrorCode") or error.get("Code"))
        elif operation == "ReceiveMessage":
            received = len(parsed.get("Messages") or ())
            outcome = f"ok ({received} message{'' if received == 1 else 's'})"
        else:
            outcome = "ok"
        self._write(now, f"{operation or '-'} {_queue_of(params or {})} {status} {outcome}")

    def control(self, now: float, method: str, path: str, status: int, code: str | None) -> None:
        self._write(now, f"{method} {path} {status} {code or 'ok'}")

    def _write(self, now: float, text: str) -> None:
        moment = datetime.fromtimestamp(now, tz=timezone.utc).isoformat(timespec="milliseconds")
        line = f"{moment.replace('+00:00', 'Z')} {text}\n"
        with self._lock:
            self._stream.write(line)
            self._stream.flush()


def _queue_of(params: Mapping[str, Any]) -> str:
    """The queue a call names: by URL, by name, or by ARN (move tasks); ``-`` for none."""
    url = params.get("QueueUrl")
    if isinstance(url, str) and url:
        return url.rstrip("/").rsplit("/", 1)[-1]
    name = params.get("QueueName")
    if isinstance(name, str) and name:
        return name
    arn = params.get("SourceArn")
    if isinstance(arn, str) and arn:
        return arn.rsplit(":", 1)[-1]
    return "-"
