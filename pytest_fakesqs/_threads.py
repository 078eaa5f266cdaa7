"""Whether another thread of the test could still act, seen from a long poll that would jump.

A long poll may skip fake time only when nothing else in the test could act meanwhile (trio's
autojump clock: time moves when every task is blocked). This module looks at the other threads'
current frames and tells, for each, whether it is *blocked*: waiting without a timeout (or with
one longer than the poll's remaining wait) for something only another thread can give it.
Everything it does not recognise counts as able to act, so the poll waits in real time rather
than miss a message: a wrong answer is worse than a slow one.

Recognised as blocked:

- ``threading.Condition.wait`` not yet notified: ``Event.wait``, ``queue.Queue.get``,
  ``Future.result``, ``Semaphore.acquire``, ``Barrier.wait`` all wait there;
- ``Thread.join`` of a thread still alive;
- an idle ``ThreadPoolExecutor`` worker waiting for work;
- ``lock.acquire()`` with no argument, or ``with lock:``, still there at a second look;
- ``selectors`` waiting without a timeout (an idle event loop in another thread).

Not blocked, on purpose: ``time.sleep`` (the thread wakes on its own), timed waits that end
within the poll, and threads reading a socket (the localhost server's connections: a client
outside the process may send at any moment).
"""

from __future__ import annotations

import dis
import functools
import os
import selectors
import sys
import threading
from collections.abc import Iterable
from concurrent.futures import thread as futures_thread
from types import CodeType, FrameType
from typing import Any

#: (id of the frame's code, its current instruction) per blocked thread: two looks that
#: agree, with no activity on the fake between them, prove the threads are really stuck.
Snapshot = dict[int, tuple[int, int]]

_CONDITION_WAIT = threading.Condition.wait.__code__
# Python 3.13 joins in C from Thread.join itself; earlier releases in _wait_for_tstate_lock.
_JOIN_CODES = frozenset(
    function.__code__
    for function in (
        getattr(threading.Thread, "_wait_for_tstate_lock", None),
        threading.Thread.join,
    )
    if function is not None
)
_POOL_WORKER = futures_thread._worker.__code__
#: A thread stopped anywhere in the fake itself is in the middle of an SQS call (waiting for
#: the fake's lock, say): it is about to act.
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_SELECT_CODES = frozenset(
    cls.select.__code__
    for cls in vars(selectors).values()
    if isinstance(cls, type)
    and issubclass(cls, selectors.BaseSelector)
    and "select" in vars(cls)
    and hasattr(cls.select, "__code__")
)


def blocked_threads(threads: Iterable[threading.Thread], within: float) -> Snapshot | None:
    """A snapshot of where each of ``threads`` is blocked, or None as soon as one of them
    could act within ``within`` seconds."""
    frames = sys._current_frames()
    snapshot: Snapshot = {}
    for thread in threads:
        ident = thread.ident
        frame = frames.get(ident) if ident is not None else None
        if frame is None:
            # Being started (threading.enumerate() lists it from start() on) or just ending:
            # about to run code of its own.
            return None
        if not _is_blocked(frame, within):
            return None
        snapshot[ident or 0] = (id(frame.f_code), frame.f_lasti)
    return snapshot


def _is_blocked(frame: FrameType, within: float) -> bool:
    code = frame.f_code
    if code.co_filename.startswith(_PACKAGE):
        return False
    local = frame.f_locals
    if code is _CONDITION_WAIT:
        condition = local.get("self")
        waiter = local.get("waiter")
        waiting = waiter is not None and waiter in getattr(condition, "_waiters", ())
        return waiting and _beyond(local.get("timeout"), within)
    if code in _JOIN_CODES:
        joined = local.get("self")
        timeout = local.get("timeout")
        untimed = timeout is None or (isinstance(timeout, (int, float)) and timeout < 0)
        alive = isinstance(joined, threading.Thread) and joined.is_alive()
        return alive and (untimed or _beyond(timeout, within))
    if code is _POOL_WORKER:
        work_queue = local.get("work_queue")
        idle = "work_item" not in local and work_queue is not None and work_queue.empty()
        return bool(idle)
    if code in _SELECT_CODES:
        return _beyond(local.get("timeout"), within)
    return _waits_for_a_lock(code, frame.f_lasti)


def _beyond(timeout: Any, within: float) -> bool:
    """Whether a wait with this timeout cannot end (on its own) within ``within`` seconds."""
    if timeout is None:
        return True
    return isinstance(timeout, (int, float)) and timeout > within


def _waits_for_a_lock(code: CodeType, offset: int) -> bool:
    """Whether the instruction at ``offset`` is ``with <lock>:`` or ``<lock>.acquire()``:
    a C call that shows no frame of its own."""
    return offset in _lock_waits(code)


@functools.lru_cache(maxsize=256)
def _lock_waits(code: CodeType) -> frozenset[int]:
    """The offsets in ``code`` where a thread waits for a lock without a timeout."""
    offsets: set[int] = set()
    method = None
    for instruction in dis.get_instructions(code):
        name = instruction.opname
        if name in ("BEFORE_WITH", "SETUP_WITH"):
            offsets.add(instruction.offset)
        elif name in ("LOAD_METHOD", "LOAD_ATTR"):
            method = instruction.argval
        elif name in ("CALL", "CALL_METHOD", "CALL_FUNCTION"):
            if method == "acquire" and instruction.arg == 0:
                offsets.add(instruction.offset)
            method = None
        elif name not in ("PRECALL", "CACHE", "PUSH_NULL", "KW_NAMES"):
            method = None
    return frozenset(offsets)
