"""Memory a stored message costs, what a deleted message leaves behind, and the journal.

Measured with tracemalloc: the bytes of Python objects still alive after a garbage collection,
before and after. Every message gets a body and a message attribute of its own, built inside
the measurement as a test would build them; the payload (body and attribute bytes, as SQS counts
a message's size) is taken off, and the rest is the fake's overhead.

Besides the queue's own structures, the fake keeps two records for inspection: each queue's
last gone messages and the journal of the last calls (``fake.calls``), 10,000 of each unless
``history_limit`` says otherwise. Stored messages are measured with the journal off
(``record=False``); the journal's cost per call and the history's cost per deleted message are
reported on their own, with no limit (``history_limit=None``), so every call and message counts.

Last, what bounds it all: a run of a million calls (send, receive, delete, journaled) in a fresh
interpreter, once with the default limit and once with none, and its resident memory.
"""

from __future__ import annotations

import gc
import json
import linecache
import os
import subprocess
import sys
import tracemalloc
from dataclasses import dataclass
from typing import Any

from clients import FROZEN_AT, REGION, create_queue
from report import Check, table

import pytest_fakesqs
from pytest_fakesqs import mock_sqs

#: The fake's own bytes per stored message must stay under this.
OVERHEAD_TARGET = 1024
ATTRIBUTE = "event"
ATTRIBUTE_TYPE = "String"


def body_of(n: int) -> str:
    return f'{{"order_id": {n:09d}, "status": "created", "items": 3}}'


def value_of(n: int) -> str:
    return f"order-{n:09d}-created"


def payload_of(n: int) -> int:
    """A message's size as SQS counts it: body plus attribute name, type and value."""
    return len(body_of(n)) + len(ATTRIBUTE) + len(ATTRIBUTE_TYPE) + len(value_of(n))


def objects_of(n: int) -> int:
    """The bytes of the message's own body and attribute value as Python str objects (the
    attribute's name and type are shared constants)."""
    return sys.getsizeof(body_of(n)) + sys.getsizeof(value_of(n))


def entry(n: int, index: int) -> dict[str, Any]:
    return {
        "Id": str(index),
        "MessageBody": body_of(n),
        "MessageAttributes": {ATTRIBUTE: {"DataType": ATTRIBUTE_TYPE, "StringValue": value_of(n)}},
    }


def traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


@dataclass(frozen=True)
class Site:
    where: str
    bytes_per_message: float


@dataclass(frozen=True)
class MemoryFigures:
    messages: int
    payload: float  # bytes per message, as SQS counts a message's size
    objects: float  # bytes per message of the body and attribute value str objects
    stored: float  # bytes per stored message, payload included
    sites: list[Site]
    sites_sample: int
    deleted: int
    after_delete: float  # bytes per message still held once every message was deleted
    #: Resident memory per stored message (payload included) in a fresh interpreter without
    #: tracemalloc: the allocator's own overhead included. None where /proc is missing.
    resident: float | None
    journal_cycles: int
    journal: dict[str, float]  # bytes per recorded call, by operation
    #: The million-call run: calls made, and for each limit (its text), the resident growth
    #: over the whole run and over its second half, in bytes; None where /proc is missing.
    run_calls: int
    calls_run: dict[str, tuple[int, int]] | None

    @property
    def overhead(self) -> float:
        return self.stored - self.payload

    @property
    def beyond_objects(self) -> float:
        return self.stored - self.objects


def run(
    messages: int, sites_sample: int, deleted: int, journal_cycles: int, run_calls: int
) -> MemoryFigures:
    """Store ``messages`` messages (allocation sites over the first ``sites_sample``); send,
    receive and delete ``deleted`` messages; the journal over ``journal_cycles`` calls of each
    kind. Each in a fresh fake, the smallest first: every measurement collects garbage, which
    costs time in proportion to the objects alive. Then the run of ``run_calls`` calls."""
    # Resident memory is measured in another interpreter, meanwhile (on another CPU, if any).
    resident_run = start_resident(messages)
    tracemalloc.start()
    try:
        with mock_sqs(seed=1, freeze=FROZEN_AT, history_limit=None) as fake:
            journal = _journal(fake.engine, journal_cycles)
        with mock_sqs(seed=1, freeze=FROZEN_AT, history_limit=None) as fake:
            url = create_queue(fake.engine, "bench-memory-deleted")
            start = traced()
            _store(fake.engine, url, deleted)
            _drain(fake.engine, url, deleted)
            after_delete = traced() - start
        with mock_sqs(seed=1, freeze=FROZEN_AT) as fake:
            url = create_queue(fake.engine, "bench-memory")
            start = traced()
            sites = _store(fake.engine, url, messages, sites_sample)
            stored = traced() - start
    finally:
        tracemalloc.stop()
    return MemoryFigures(
        messages=messages,
        payload=sum(payload_of(n) for n in range(messages)) / messages,
        objects=sum(objects_of(n) for n in range(messages)) / messages,
        stored=stored / messages,
        sites=sites,
        sites_sample=min(messages, sites_sample),
        deleted=deleted,
        after_delete=after_delete / deleted,
        resident=finish_resident(resident_run),
        journal_cycles=journal_cycles,
        journal=journal,
        run_calls=run_calls,
        calls_run=calls_run(run_calls),
    )


#: The limits the million-call run compares: the default, and none (as before there was one).
RUN_LIMITS = ("10000", "none")


def calls_run(calls: int) -> dict[str, tuple[int, int]] | None:
    """The resident growth of ``calls`` journaled calls, whole and second half, per limit:
    each in a fresh interpreter (this one's freed memory would be reused and hide growth)."""
    if resident_bytes() is None:
        return None
    found = {}
    for limit in RUN_LIMITS:
        done = subprocess.run(
            [sys.executable, __file__, "--calls", str(calls), limit],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"memory: the {calls:,}-call run failed: {done.stderr}")
        whole, second_half = json.loads(done.stdout)
        found[limit] = (whole, second_half)
    return found


def _calls_run_here(calls: int, limit: str) -> tuple[int, int]:
    """Send, receive and delete one message at a time, journaled, until ``calls`` calls were
    made, the clock frozen (nothing ever comes due by itself); resident growth, whole run
    and second half."""
    history_limit = None if limit == "none" else int(limit)
    with mock_sqs(seed=1, freeze=FROZEN_AT, history_limit=history_limit) as fake:
        engine = fake.engine
        url = create_queue(engine, "bench-memory-calls")
        gc.collect()
        start = resident_bytes()
        half = None
        made = 0
        while made < calls:
            params = {
                "QueueUrl": url,
                "MessageBody": body_of(made),
                "MessageAttributes": entry(made, 0)["MessageAttributes"],
            }
            engine.handle("SendMessage", params, REGION)
            _, parsed = engine.handle("ReceiveMessage", {"QueueUrl": url}, REGION)
            handle = parsed["Messages"][0]["ReceiptHandle"]
            engine.handle("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": handle}, REGION)
            made += 3
            if half is None and made >= calls // 2:
                gc.collect()
                half = resident_bytes()
        gc.collect()
        end = resident_bytes()
        assert start is not None and half is not None and end is not None
        return end - start, end - half


def resident_bytes() -> int | None:
    """The process's resident set size now (Linux), or None where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def start_resident(messages: int) -> subprocess.Popen[str] | None:
    """Start measuring resident bytes per stored message in a fresh interpreter (this one's
    freed memory would be reused and hide the growth), running this module as a script."""
    if resident_bytes() is None:
        return None
    return subprocess.Popen(
        [sys.executable, __file__, "--resident", str(messages)],
        stdout=subprocess.PIPE,
        text=True,
    )


def finish_resident(process: subprocess.Popen[str] | None) -> float | None:
    if process is None:
        return None
    output, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"memory: the resident-memory run failed ({process.returncode})")
    return float(output)


def _resident_here(messages: int) -> float:
    with mock_sqs(seed=1, freeze=FROZEN_AT) as fake:
        engine = fake.engine
        url = create_queue(engine, "bench-memory")
        gc.collect()
        before = resident_bytes()
        _store(engine, url, messages)
        gc.collect()
        after = resident_bytes()
        assert before is not None and after is not None
        return (after - before) / messages


def _store(engine: Any, url: str, messages: int, sites_sample: int = 0) -> list[Site]:
    """Send ``messages`` messages, ten per batch, not journaled; on the way, where the bytes
    of the first ``sites_sample`` messages went (none with 0)."""
    sample = min(messages, sites_sample) if sites_sample else -1
    before = tracemalloc.take_snapshot() if sites_sample else None
    found: list[Site] = []
    for start in range(0, messages, 10):
        if start == sample and before is not None:
            found = _sites(before, sample)
        entries = [entry(n, n - start) for n in range(start, min(start + 10, messages))]
        params = {"QueueUrl": url, "Entries": entries}
        status, parsed = engine.handle("SendMessageBatch", params, REGION, record=False)
        if status != 200 or parsed.get("Failed"):
            raise RuntimeError(f"memory: {parsed}")
    if sample == messages and before is not None:
        found = _sites(before, sample)
    return found


def _sites(before: tracemalloc.Snapshot, messages: int, top: int = 14) -> list[Site]:
    gc.collect()
    after = tracemalloc.take_snapshot()
    stats = after.compare_to(before, "lineno")
    package = os.path.dirname(os.path.dirname(pytest_fakesqs.__file__))
    found = []
    for stat in stats[:top]:
        frame = stat.traceback[0]
        path = frame.filename
        if path.startswith(package):
            path = os.path.relpath(path, package)
        code = linecache.getline(frame.filename, frame.lineno).strip()
        if len(code) > 60:
            code = code[:57] + "..."
        found.append(Site(f"{path}:{frame.lineno}  {code}", stat.size_diff / messages))
    return found


def _drain(engine: Any, url: str, messages: int) -> None:
    """Receive and delete every message, ten at a time, not journaled."""
    left = messages
    while left:
        _, parsed = engine.handle(
            "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10}, REGION, record=False
        )
        received = parsed.get("Messages", [])
        if not received:
            raise RuntimeError(f"memory: the queue ran dry with {left} messages left")
        entries = [
            {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
            for index, message in enumerate(received)
        ]
        engine.handle(
            "DeleteMessageBatch", {"QueueUrl": url, "Entries": entries}, REGION, record=False
        )
        left -= len(received)


def _journal(engine: Any, cycles: int) -> dict[str, float]:
    """Bytes per journaled call: the same send, receive, delete calls with the journal on and
    off, each on a fresh queue; the difference is what the journal keeps."""
    grown: dict[bool, dict[str, int]] = {}
    for record in (False, True):
        url = create_queue(engine, f"bench-journal-{record}")
        handles: list[str] = []
        grown[record] = {}
        mark = traced()
        for n in range(cycles):
            params = {
                "QueueUrl": url,
                "MessageBody": body_of(n),
                "MessageAttributes": entry(n, 0)["MessageAttributes"],
            }
            engine.handle("SendMessage", params, REGION, record=record)
        grown[record]["SendMessage"] = traced() - mark
        mark = traced()
        for _ in range(cycles):
            _, parsed = engine.handle(
                "ReceiveMessage",
                {"QueueUrl": url, "MessageAttributeNames": ["All"]},
                REGION,
                record=record,
            )
            handles.append(parsed["Messages"][0]["ReceiptHandle"])
        grown[record]["ReceiveMessage"] = traced() - mark
        mark = traced()
        for handle in handles:
            engine.handle(
                "DeleteMessage", {"QueueUrl": url, "ReceiptHandle": handle}, REGION, record=record
            )
        grown[record]["DeleteMessage"] = traced() - mark
    if len(engine.journal) != 3 * cycles:
        raise RuntimeError(f"memory: the journal holds {len(engine.journal)} calls")
    return {
        operation: (grown[True][operation] - grown[False][operation]) / cycles
        for operation in grown[True]
    }


def print_figures(figures: MemoryFigures) -> None:
    n = figures.messages
    print(
        f"Memory (tracemalloc: live Python objects after a collection). {n:,} messages sent "
        "through the engine, ten per batch, journal off,\neach with its own body and one String "
        f"message attribute: {figures.payload:.0f} bytes of payload per message as SQS counts it, "
        f"{figures.objects:.0f} as Python str objects"
    )
    rows = [
        ["a stored message, payload included", f"{figures.stored:,.0f}"],
        ["  overhead: less its payload bytes", f"{figures.overhead:,.0f}"],
        ["  overhead: less its body and attribute str objects", f"{figures.beyond_objects:,.0f}"],
        [
            f"a deleted message ({figures.deleted:,} sent, received, deleted), still held",
            f"{figures.after_delete:,.0f}",
        ],
    ]
    if figures.resident is not None:
        rows.append(
            [
                "a stored message, resident memory (RSS, fresh process, no tracemalloc)",
                f"{figures.resident:,.0f}",
            ]
        )
    print(table(["bytes per message", "bytes"], rows))
    sample = figures.sites_sample
    print(f"Where a stored message's bytes are allocated (first {sample:,} messages):")
    print(
        table(
            ["allocation site (file:line  code)", "bytes/msg"],
            [[site.where, f"{site.bytes_per_message:,.0f}"] for site in figures.sites],
        )
    )
    print(
        "(CPython hands small dicts' key tables on through a free list, and tracemalloc charges "
        "a block to the line that\nfirst allocated it: the benchmarks/memory.py lines other than "
        "the body and the attribute value are the key tables\nof the fake's per-message "
        "attribute dicts, validation.py:95. The request's own dicts are freed.)"
    )
    print(
        f"Journal (fake.calls): bytes each recorded call keeps, over {figures.journal_cycles:,} "
        "calls of each (journal on minus journal off)"
    )
    rows = [[operation, f"{size:,.0f}"] for operation, size in figures.journal.items()]
    rows.append(["a send + receive + delete cycle", f"{sum(figures.journal.values()):,.0f}"])
    print(table(["operation", "bytes/call"], rows))
    if figures.calls_run is not None:
        print(
            f"A run of {figures.run_calls:,} calls (send, receive, delete; journaled; clock "
            "frozen), each limit in a fresh interpreter: resident memory growth"
        )
        rows = [
            [f"history_limit={limit}", f"{whole / 1e6:,.1f}", f"{half / 1e6:,.1f}"]
            for limit, (whole, half) in figures.calls_run.items()
        ]
        print(table(["limit", "whole run, MB", "second half, MB"], rows))


def checks(figures: MemoryFigures) -> list[Check]:
    limit = f"< {OVERHEAD_TARGET:,} B"
    with_journal = figures.overhead + figures.journal["SendMessage"]
    cycle = sum(figures.journal.values())
    return [
        Check(
            f"stored message overhead ({figures.messages:,}), journal off",
            f"{figures.overhead:,.0f} B",
            limit,
            figures.overhead < OVERHEAD_TARGET,
            f"{figures.beyond_objects:,.0f} B beyond the body and attribute str objects",
        ),
        Check(
            f"stored message, resident memory ({figures.messages:,})",
            "-" if figures.resident is None else f"{figures.resident:,.0f} B",
            "-",
            None,
            "RSS growth, payload included",
        ),
        Check(
            "stored message + its SendMessage journal entry",
            f"{with_journal:,.0f} B",
            limit,
            with_journal < OVERHEAD_TARGET,
            "the journal keeps every call's params and response",
        ),
        Check(
            "deleted message, still held (history)",
            f"{figures.after_delete:,.0f} B",
            "-",
            None,
            "payload included; the last history_limit (10,000) per queue are kept",
        ),
        Check(
            "journal, per send + receive + delete cycle",
            f"{cycle:,.0f} B",
            "-",
            None,
            "the last history_limit (10,000) calls are kept",
        ),
        *_calls_run_checks(figures),
    ]


#: The most the default limit may let a million-call run grow: what 10,000 journaled calls
#: and 10,000 gone messages hold (about 20 MB), with room for the allocator's own.
CALLS_RUN_TARGET = 64e6


def _calls_run_checks(figures: MemoryFigures) -> list[Check]:
    if figures.calls_run is None:
        return []
    bounded, _ = figures.calls_run["10000"]
    unbounded, _ = figures.calls_run["none"]
    _, second_half = figures.calls_run["10000"]
    return [
        Check(
            f"{figures.run_calls:,}-call run, default history_limit (RSS growth)",
            f"{bounded / 1e6:,.0f} MB",
            f"< {CALLS_RUN_TARGET / 1e6:.0f} MB",
            bounded < CALLS_RUN_TARGET,
            f"{second_half / 1e6:+,.1f} MB over its second half; "
            f"history_limit=None: {unbounded / 1e6:,.0f} MB",
        )
    ]


if __name__ == "__main__":  # the fresh interpreters start_resident() and calls_run() start
    if sys.argv[1] == "--calls":
        print(json.dumps(_calls_run_here(int(sys.argv[2]), sys.argv[3])))
    else:
        print(_resident_here(int(sys.argv[2])))
