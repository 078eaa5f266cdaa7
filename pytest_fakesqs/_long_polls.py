"""How a long poll lets time pass: jump the fake's clock, or wait in real time.

The rule (docs/time-travel.md, "Long polls and threads"):

1. **Never miss a message real SQS would deliver.** A poll does not jump the clock while
   another thread of the test could still act: one started while the fake is active (a Timer,
   a producer, a worker), or one that has used the fake. While such a thread may act, the poll
   waits in real time, woken at once by any send, delete, visibility change or purge, and
   looks again every few milliseconds.
2. **Never wait in real time when nothing else can act.** When every such thread is finished
   or blocked (``_threads``: an untimed wait, a join, an idle pool worker, a lock, or its own
   long poll on the fake), the clock jumps to the next change scheduled anywhere in the fake,
   or to the earliest moment a waiting poll looks again, whichever comes first.

A poll never waits longer in real time than its WaitTimeSeconds; then its wait is over.

``long_polls="real"`` makes every poll wait in real time, as SQS does, still woken by changes.

A thread whose long polls keep jumping the clock with nothing else happening (no other call, no
``advance()``) is a loop bounded by the wall clock: after 24 hours of fake time its poll fails
with a clear error, and its later polls wait in real time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import _errors as errors
from ._threads import Snapshot, blocked_threads

if TYPE_CHECKING:
    from ._engine import Engine
    from ._operations import Pending

#: How long a poll waits in real time before looking at the other threads again.
REAL_SLICE = 0.01
#: The pause between the two looks that must agree before the clock jumps.
SETTLE = 0.002
#: A thread's long polls may jump the clock this far (fake seconds) with nothing else
#: happening before the fake calls the loop a runaway.
RUNAWAY_AFTER = 24 * 3600
MODES = ("virtual", "real")


@dataclass(eq=False)
class Poll:
    """One long poll while it waits."""

    thread: threading.Thread
    #: Fake time: when it started, the end of its wait, and the next moment it looks again.
    fake_start: float
    deadline: float
    at: float
    #: Real time: when it started (time.monotonic) and how long it may wait (its wait time).
    real_start: float
    real_budget: float
    #: The engine's activity count when it last went to wait: a later count means it was woken.
    seen: int = -1
    #: Fake seconds this poll moved the clock by jumping.
    jumped: float = 0.0
    #: Made from an event loop: its thread runs other tasks meanwhile, which may act.
    in_event_loop: bool = False
    #: Its wait is over without the clock reaching its deadline (``keep_frozen_clock``).
    expired: bool = False

    def real_left(self) -> float:
        return self.real_budget - (time.monotonic() - self.real_start)


@dataclass
class _Streak:
    """A thread's run of long polls with nothing else happening in between."""

    ident: int = 0
    calls: int = -1
    jumped: float = 0.0
    tripped: bool = False


def _settled(snapshot: Snapshot) -> bool:
    """Whether a look needs no second one: no other thread, or only waiting polls, whose
    wake-ups the fake counts itself (frames need a second look to rule out a race)."""
    return all(code == -1 for code, _ in snapshot.values())


class LongPolls:
    """The long polls of one engine: who may still act, and when time may jump."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.mode = "virtual"
        #: Threads alive when the fake started: they count only once they call the fake.
        self._started_with = frozenset(threading.enumerate())
        # The thread that made the fake counts as a caller from the start.
        creator = threading.current_thread()
        #: Every thread that called the fake, by ident (finished ones pruned now and then).
        self.callers: dict[int, threading.Thread] = {creator.ident or 0: creator}
        #: The fake's own threads that never act on it (a server's accept loop), by ident.
        self._exempt: set[int] = set()
        self._waiting: dict[int, Poll] = {}
        self._streak = _Streak()
        #: Set when the fake stops or the test ends long polls: waiting ones return at once,
        #: and later ones do not wait.
        self.ended = False
        #: Threads whose long polls must end (a stopping server's connections), by ident.
        self._ended_in: set[int] = set()
        #: A frozen clock moves only when the test moves it: a poll that waited its wait in
        #: real time ends without moving it, and polls never jump it (``serve --freeze``).
        self.keep_frozen_clock = False

    # --- threads ----------------------------------------------------------------------------

    def note_caller(self, thread: threading.Thread) -> None:
        """A thread not yet known (a server's connection, say) called: forget the finished
        ones, so a long-running process does not keep one entry per thread it ever had."""
        self.callers = {i: t for i, t in self.callers.items() if t.is_alive()}
        self.callers[thread.ident or 0] = thread

    def exempt(self, thread: threading.Thread) -> None:
        """Never count ``thread`` as one that may act (the fake's own machinery)."""
        if thread.ident is not None:
            self._exempt.add(thread.ident)

    def _others(self, me: int) -> list[threading.Thread]:
        """The threads that could act on the fake, but for this one."""
        others = []
        for thread in threading.enumerate():
            ident = thread.ident
            if ident == me or ident in self._exempt:
                continue
            if thread in self._started_with and self.callers.get(ident or 0) is not thread:
                continue
            others.append(thread)
        return others

    def _look(self, me: int, within: float) -> Snapshot | None:
        """Where every other thread is blocked, or None if one of them may act."""
        activity = self._engine.activity
        threads = []
        snapshot: Snapshot = {}
        for thread in self._others(me):
            poll = self._waiting.get(thread.ident or 0)
            if poll is None or poll.in_event_loop:
                threads.append(thread)
            elif poll.seen != activity:
                return None  # woken by a change: it is about to look at its queue again
            else:
                snapshot[thread.ident or 0] = (-1, poll.seen)
        if not threads:
            return snapshot
        blocked = blocked_threads(threads, within)
        if blocked is None:
            return None
        snapshot.update(blocked)
        return snapshot

    # --- waiting ----------------------------------------------------------------------------

    def begin(self, pending: Pending, *, in_event_loop: bool = False) -> Poll:
        thread = threading.current_thread()
        now = self._engine.clock.now()
        poll = Poll(
            thread=thread,
            fake_start=now,
            deadline=pending.deadline,
            at=pending.at,
            real_start=time.monotonic(),
            real_budget=max(pending.deadline - now, 0.0),
            in_event_loop=in_event_loop,
        )
        self._waiting[thread.ident or 0] = poll
        return poll

    def end(self, poll: Poll) -> None:
        if self._waiting.get(poll.thread.ident or 0) is poll:
            del self._waiting[poll.thread.ident or 0]

    def polls_ended(self) -> bool:
        """Whether a long poll made now, in this thread, must not wait (any more)."""
        if self.ended:
            return True
        ident = threading.get_ident()
        if self._ended_in and ident in self._ended_in:
            return True
        poll = self._waiting.get(ident)
        return poll is not None and poll.expired

    def end_polls(self, threads: set[int] | None) -> None:
        if threads is None:
            self.ended = True
        else:
            self._ended_in.update(threads)

    def resume_polls(self, threads: set[int] | None) -> None:
        if threads is None:
            self.ended = False
        else:
            self._ended_in.difference_update(threads)

    def _real(self, poll: Poll) -> bool:
        streak = self._streak
        return (
            self.mode == "real"
            or self._frozen_kept()
            or (
                streak.tripped
                and streak.ident == poll.thread.ident
                and streak.calls == self._engine.calls - 1
            )
        )

    def wait(self, poll: Poll, at: float) -> None:
        """Block until time may pass to ``at`` (or a change wakes the poll). Lock not held.

        Any change on the fake since the poll last looked at its queue (a send, a delete, a
        jump) sends it back to look again: a wait that timed out just as a change happened
        must not jump past it.
        """
        engine = self._engine
        with engine.lock:
            poll.at = at
            poll.seen = engine.activity
            while engine.activity == poll.seen:
                now = engine.clock.now()
                if at <= now or self.polls_ended():
                    return
                left = poll.real_left()
                if self._real(poll):
                    self._wait_in_real_time(poll, at, now, left)
                    return
                first = self._look(threading.get_ident(), at - now)
                if first is not None:
                    if _settled(first):
                        self.jump(poll, at)
                        return
                    # All blocked, it seems: a second look a moment later must agree.
                    engine.changed.wait(SETTLE)
                    if engine.activity == poll.seen and first == self._look(
                        threading.get_ident(), at - engine.clock.now()
                    ):
                        self.jump(poll, at)
                        return
                    continue
                if left <= 0:
                    # It has waited its whole wait in real time: its time is up.
                    self._keep_up(poll, at)
                    return
                engine.changed.wait(min(REAL_SLICE, left))

    async def wait_async(self, poll: Poll, at: float) -> None:
        """``wait`` for a poll made from an event loop: it never blocks the loop. The other
        tasks have just had their turn; this looks at the other threads."""
        engine = self._engine
        with engine.lock:
            now = engine.clock.now()
            if at <= now or self.polls_ended():
                return
            poll.at = at
            poll.seen = engine.activity
            real = self._real(poll)
            first = None if real else self._look(threading.get_ident(), at - now)
            if first is not None and _settled(first):
                self.jump(poll, at)
                return
        if first is not None:
            await asyncio.sleep(SETTLE)
            with engine.lock:
                now = engine.clock.now()
                if (
                    engine.activity == poll.seen
                    and now < at
                    and first == self._look(threading.get_ident(), at - now)
                ):
                    self.jump(poll, at)
            return
        left = poll.real_left()
        if left > 0:
            await asyncio.sleep(min(REAL_SLICE, left))
        with engine.lock:
            if engine.activity != poll.seen:
                return  # a change: the poll looks at its queue again first
            if left <= 0 or real:
                # Its whole wait is over in real time, or it waits in real time: a frozen
                # clock keeps up with real time.
                self._keep_up(poll, at)

    def _wait_in_real_time(self, poll: Poll, at: float, now: float, left: float) -> None:
        """Wait as SQS does; a frozen clock is then moved as far as real time went."""
        self._engine.changed.wait(max(min(at - now, left), 0.0))
        if self._engine.activity == poll.seen:
            self._keep_up(poll, at)

    def _keep_up(self, poll: Poll, at: float) -> None:
        """A poll waiting in real time on a frozen clock: move it as far as real time went
        since the poll started (never past ``at``), as an unfrozen clock would have gone."""
        if self._frozen_kept():
            poll.expired = poll.real_left() <= 0
            return
        self._move_to(min(at, poll.fake_start + time.monotonic() - poll.real_start))

    def _frozen_kept(self) -> bool:
        return self.keep_frozen_clock and self._engine.clock.frozen

    def _move_to(self, at: float) -> None:
        now = self._engine.clock.now()
        if now < at:
            self._engine.move_clock(at - now)

    def jump(self, poll: Poll, at: float) -> None:
        """Nothing else can act: move the clock to ``at``, or sooner to the next change
        scheduled anywhere in the fake or the next moment another waiting poll looks again."""
        engine = self._engine
        now = engine.clock.now()
        moments = [at]
        upcoming = engine.next_scheduled_at(now)
        if upcoming is not None:
            moments.append(upcoming)
        moments.extend(other.at for other in self._waiting.values() if other.at > now)
        target = min(moments)
        if target > now:
            engine.move_clock(target - now)
            poll.jumped += target - now

    # --- runaways ---------------------------------------------------------------------------

    def runaway(self, poll: Poll) -> errors.SQSError | None:
        """Count a finished poll into its thread's streak; the error once it runs away."""
        streak = self._streak
        ident = poll.thread.ident or 0
        calls = self._engine.calls
        if streak.ident != ident or streak.calls != calls - 1:
            self._streak = streak = _Streak(ident=ident)
        streak.calls = calls
        streak.jumped += poll.jumped
        if streak.tripped or streak.jumped <= RUNAWAY_AFTER:
            return None
        streak.tripped = True
        return errors.runaway_long_polls(streak.jumped)
