"""Running a handler to completion and taking its answer as Lambda's Python runtime would.

An ``async def`` handler (or one returning an awaitable) runs with ``asyncio.run``; when the
calling thread already runs an event loop (an async test), it runs on a fresh loop in a helper
thread while the caller waits, since a loop cannot be nested. The answer then goes through
JSON, as the runtime sends it to Lambda: one that JSON cannot encode fails the invocation with
the runtime's ``Runtime.MarshalError``.
"""

from __future__ import annotations

import asyncio
import decimal
import inspect
import json
import threading
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import Any


class RuntimeMarshalError(Exception):
    """The Python runtime could not encode the handler's answer as JSON (Lambda's
    ``Runtime.MarshalError``): the invocation failed."""


class FunctionTimeout(Exception):
    """The handler ran longer, in fake time, than the function's timeout."""


def _decimal(value: Any) -> Any:
    # The runtime's encoder writes Decimals (DynamoDB's numbers) as numbers.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def marshal(answer: Any) -> Any:
    """The answer as Lambda receives it (after JSON), or RuntimeMarshalError."""
    try:
        text = json.dumps(answer, default=_decimal)
    except (TypeError, ValueError) as error:
        raise RuntimeMarshalError(f"Unable to marshal response: {error}") from None
    return json.loads(text)


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def _in_running_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _run_elsewhere(
    awaitable: Awaitable[Any], inside: Callable[[], AbstractContextManager[None]]
) -> Any:
    outcome: dict[str, Any] = {}

    def run() -> None:
        with inside():
            try:
                outcome["value"] = asyncio.run(_awaited(awaitable))
            except BaseException as error:  # handed back to the waiting caller
                outcome["error"] = error

    worker = threading.Thread(target=run, name="pytest-fakesqs async handler", daemon=True)
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def call(
    handler: Callable[..., Any],
    event: dict[str, Any],
    context: Any,
    inside: Callable[[], AbstractContextManager[None]],
) -> tuple[Any, Exception | None]:
    """(answer, None), or (None, the exception the handler raised). ``inside`` marks the
    threads the handler runs in (the caller's, and a helper thread for an async handler)."""
    try:
        with inside():
            answer = handler(event, context)
        if inspect.isawaitable(answer):
            if _in_running_loop():
                answer = _run_elsewhere(answer, inside)
            else:
                with inside():
                    answer = asyncio.run(_awaited(answer))
    except Exception as error:
        return None, error
    return answer, None
