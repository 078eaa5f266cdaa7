"""How a block of calls is timed: the calling thread's CPU time, collector off; and medians."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

Calls = list[dict[str, Any]]


def timed(call: Callable[..., Any], calls: Calls) -> float:
    """CPU microseconds per call over one block.

    The thread's CPU time, not wall time: on a shared machine the process is often descheduled
    mid-block, and that time is nobody's cost. Like timeit, the collector is off meanwhile.
    """
    gc.disable()
    try:
        start = time.thread_time()
        for kwargs in calls:
            call(**kwargs)
        elapsed = time.thread_time() - start
    finally:
        gc.enable()
    return elapsed / len(calls) * 1e6


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
