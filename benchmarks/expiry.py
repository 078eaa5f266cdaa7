"""Advancing the clock across a deep queue's retention period.

``fake.advance()`` only moves the clock; the queue plays its schedule up to the new time on the
next call that touches it. So that call pays for every message that expired meanwhile (a heap
pop and a state change each, plus one stale entry left in the ready heap), and the calls after
it must cost what a call on an empty queue costs.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from typing import Any

from clients import FROZEN_AT, REGION, create_queue, fill, make_client
from report import Check, table
from timing import median

from pytest_fakesqs import mock_sqs

#: The call after the expiry may cost at most this many times a call on an empty queue.
AFTER_TARGET = 1.5


@dataclass(frozen=True)
class ExpiryFigures:
    messages: int
    #: CPU seconds of the one call that expired every message.
    first_call: float
    #: CPU microseconds of the call right after it, on the same queue.
    next_call: float
    #: CPU microseconds of the first call on an empty queue after a pass over the same
    #: messages that expires nothing: what any call costs when the caches are that cold.
    cold_call: float
    #: Median CPU microseconds of the calls after the expiry on the expired queue (the next
    #: call included), of calls on a queue that never held a message, and the median ratio of
    #: the two over calls run back to back.
    later_calls: float
    empty_queue: float
    later_ratio: float

    @property
    def per_message(self) -> float:
        return self.first_call / self.messages * 1e6


def one_call(call: Any, **params: Any) -> tuple[float, Any]:
    """CPU seconds of one call, collector off, and its reply."""
    gc.disable()
    try:
        start = time.thread_time()
        reply = call(**params)
        return time.thread_time() - start, reply
    finally:
        gc.enable()


def run(messages: int, rounds: int) -> ExpiryFigures:
    # Every gone message kept (history_limit=None), as before the history had a limit: the
    # control below walks them, and the expiry does not free them as it goes.
    with mock_sqs(seed=1, freeze=FROZEN_AT, history_limit=None) as fake:
        engine = fake.engine
        client = make_client()
        url = create_queue(engine, "bench-expiry")
        empty = create_queue(engine, "bench-expiry-empty")
        fill(engine, url, messages)
        queue = engine.backend.by_url(url, REGION, engine.account_id)
        gc.collect()
        gc.freeze()
        try:
            for _ in range(20):  # warm botocore's and the fake's paths for ReceiveMessage
                client.receive_message(QueueUrl=empty)
            fake.advance(queue.retention_period)
            first, reply = one_call(client.receive_message, QueueUrl=url)
            if reply.get("Messages") or len(queue) != 0:
                raise SystemExit(f"expiry: {len(queue)} messages still stored")
            later: list[float] = []
            normal: list[float] = []
            ratios: list[float] = []
            for index in range(rounds):
                # The expired queue first in the first round: its first call is the next call.
                pair = [(url, later), (empty, normal)]
                if index % 2:
                    pair.reverse()
                got = {}
                for target, into in pair:
                    seconds, _ = one_call(client.receive_message, QueueUrl=target)
                    into.append(seconds * 1e6)
                    got[target] = seconds
                ratios.append(got[url] / got[empty])
            # The control: walk the same messages (the queue's history still holds them) and
            # make a call that has nothing to expire.
            sum(message.seq for message in queue.history() or ())
            cold, _ = one_call(client.receive_message, QueueUrl=empty)
        finally:
            gc.unfreeze()
    return ExpiryFigures(
        messages=messages,
        first_call=first,
        next_call=later[0],
        cold_call=cold * 1e6,
        later_calls=median(later),
        empty_queue=median(normal),
        later_ratio=median(ratios),
    )


def print_figures(figures: ExpiryFigures, rounds: int) -> None:
    print(
        f"Retention: {figures.messages:,} stored messages, then fake.advance(retention period); "
        "CPU time of receive_message calls\n"
        f"(later calls and the empty queue: medians of {rounds} single calls each, interleaved)"
    )
    rows = [
        [
            "first call on the queue (expires every message)",
            f"{figures.first_call * 1e3:,.0f} ms",
            f"{figures.per_message:.2f} us per message",
        ],
        ["the call right after it, same queue", f"{figures.next_call:.1f} us", "caches cold"],
        [
            "a call after walking the same messages, no expiry",
            f"{figures.cold_call:.1f} us",
            "caches as cold",
        ],
        [
            f"the {rounds} calls after the expiry, same queue",
            f"{figures.later_calls:.1f} us",
            f"{figures.later_ratio:.2f}x an empty queue",
        ],
        ["a queue that never held a message", f"{figures.empty_queue:.1f} us", ""],
    ]
    print(table(["receive_message", "CPU time", "per message / ratio"], rows, align="lrl"))


def checks(figures: ExpiryFigures) -> list[Check]:
    return [
        Check(
            f"expiry of {figures.messages:,} messages: first call",
            f"{figures.per_message:.2f} us/msg",
            "-",
            None,
            f"{figures.first_call:.1f} s in all, once",
        ),
        Check(
            "calls after the expiry / empty queue",
            f"{figures.later_ratio:.2f}x",
            f"<= {AFTER_TARGET}x",
            figures.later_ratio <= AFTER_TARGET,
            f"the very next call: {figures.next_call:.0f} us; "
            f"as cold without expiry: {figures.cold_call:.0f} us",
        ),
    ]
