"""Messages through a Lambda event source mapping, against a plain receive-and-delete loop.

The same number of messages (10,000 in a full run) flow out of one queue of the same fake two
ways: an event source mapping with a trivial handler (batches of 10, ``fake.run_due()``), and a
consumer loop through a boto3 client (``receive_message`` of 10, ``delete_message_batch``),
the loop a test would otherwise write. The queue is refilled through the engine before each
run (untimed); runs alternate which way goes first, and the ratio is the median of the ratios
of runs made back to back. Wall time (the brief's "real time") and the thread's CPU time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from clients import REGION, create_queue, fill, make_client
from report import Check, table
from timing import median

from pytest_fakesqs import mock_sqs


@dataclass(frozen=True)
class FlowFigures:
    messages: int
    runs: int
    #: Medians over the runs, in seconds, and the median ratio mapping / loop.
    mapping_wall: float
    mapping_cpu: float
    loop_wall: float
    loop_cpu: float
    wall_ratio: float
    cpu_ratio: float
    invocations: int


def _timed(work: Callable[[], None]) -> tuple[float, float]:
    gc.disable()
    try:
        wall, cpu = time.perf_counter(), time.thread_time()
        work()
        return time.perf_counter() - wall, time.thread_time() - cpu
    finally:
        gc.enable()


def run(messages: int, runs: int) -> FlowFigures:
    with mock_sqs(seed=1, freeze="2026-01-01T00:00:00Z", keep_history=False) as fake:
        engine = fake.engine
        client = make_client()
        url = create_queue(engine, "bench-lambda")
        queue = engine.backend.by_url(url, REGION, engine.account_id)
        handled = [0]

        def trivial(event: dict[str, Any], context: Any) -> None:
            handled[0] += len(event["Records"])

        mapping = fake.event_source_mapping("bench-lambda", trivial, enabled=False)

        def through_mapping() -> None:
            mapping.enable()
            fake.run_due()
            mapping.disable()

        def through_loop() -> None:
            while True:
                received = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
                batch = received.get("Messages")
                if not batch:
                    return
                entries = [
                    {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(batch)
                ]
                client.delete_message_batch(QueueUrl=url, Entries=entries)

        for _ in range(3):  # warm both paths
            fill(engine, url, 100)
            through_mapping()
            fill(engine, url, 100)
            through_loop()
        samples: dict[str, list[tuple[float, float]]] = {"mapping": [], "loop": []}
        ratios: list[tuple[float, float]] = []
        invocations_before = len(mapping.invocations)
        for index in range(runs):
            order = [("mapping", through_mapping), ("loop", through_loop)]
            if index % 2:
                order.reverse()
            got = {}
            for name, work in order:
                fill(engine, url, messages)
                got[name] = _timed(work)
                if len(queue) != 0:
                    raise SystemExit(f"lambda flow: {name} left {len(queue)} messages")
                samples[name].append(got[name])
            ratios.append((got["mapping"][0] / got["loop"][0], got["mapping"][1] / got["loop"][1]))
        invocations = (len(mapping.invocations) - invocations_before) // runs
    return FlowFigures(
        messages=messages,
        runs=runs,
        mapping_wall=median([wall for wall, _ in samples["mapping"]]),
        mapping_cpu=median([cpu for _, cpu in samples["mapping"]]),
        loop_wall=median([wall for wall, _ in samples["loop"]]),
        loop_cpu=median([cpu for _, cpu in samples["loop"]]),
        wall_ratio=median([wall for wall, _ in ratios]),
        cpu_ratio=median([cpu for _, cpu in ratios]),
        invocations=invocations,
    )


def print_figures(figures: FlowFigures) -> None:
    print(
        f"{figures.messages:,} messages out of one queue, medians of {figures.runs} runs each, "
        "alternating; the mapping's handler does nothing but count\n"
        f"(the mapping made {figures.invocations:,} invocations of 10 records a run)"
    )
    per = 1e6 / figures.messages
    rows = [
        [
            "event source mapping, fake.run_due()",
            f"{figures.mapping_wall * 1e3:,.0f} ms",
            f"{figures.mapping_cpu * 1e3:,.0f} ms",
            f"{figures.mapping_wall * per:.1f} us",
        ],
        [
            "receive_message (10) + delete_message_batch loop, boto3",
            f"{figures.loop_wall * 1e3:,.0f} ms",
            f"{figures.loop_cpu * 1e3:,.0f} ms",
            f"{figures.loop_wall * per:.1f} us",
        ],
        [
            "mapping / loop (median of paired runs)",
            f"{figures.wall_ratio:.2f}x",
            f"{figures.cpu_ratio:.2f}x",
            "",
        ],
    ]
    print(table(["way", "wall", "CPU", "wall per message"], rows))


def checks(figures: FlowFigures) -> list[Check]:
    return [
        Check(
            f"{figures.messages:,} messages through a mapping (trivial handler), wall",
            f"{figures.mapping_wall * 1e3:,.0f} ms",
            "-",
            None,
            f"{figures.wall_ratio:.2f}x a boto3 receive-and-delete loop "
            f"({figures.loop_wall * 1e3:,.0f} ms)",
        )
    ]
