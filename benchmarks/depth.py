"""Receive cost against queue depth, and FIFO receive cost against the number of groups.

The queues are filled straight through the engine (no botocore, not journaled); the timed calls
go through a boto3 client, as a test's would. Every timed call keeps its queue's depth
constant: ``VisibilityTimeout=0`` hands a received message straight back, and the cycle sends
one message for each one it deletes.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from clients import BODY, REGION, create_queue, fill, fill_fifo, make_client
from report import Check, table
from timing import median, timed

from pytest_fakesqs import mock_sqs

#: The deepest queue's calls may cost at most this many times the shallowest one's.
DEPTH_TARGET = 1.5


@dataclass(frozen=True)
class DepthFigures:
    """One kind of call at each depth: median CPU microseconds per call, and the median
    ratio to the first depth over blocks run back to back."""

    label: str
    columns: list[str]
    micros: list[float]
    ratios: list[float]


@dataclass
class _Samples:
    micros: list[list[float]]
    ratios: list[list[float]] = field(default_factory=list)


def run(
    depths: tuple[int, ...], fifo_messages: int, fifo_groups: int, rounds: int, block: int
) -> list[DepthFigures]:
    with mock_sqs(seed=1) as fake:
        engine = fake.engine
        client = make_client()
        urls = []
        for depth in depths:
            url = create_queue(engine, f"bench-depth-{depth}")
            fill(engine, url, depth)
            urls.append(url)
        fifo_urls = []
        for groups, count in ((10, 10), (fifo_groups, fifo_messages)):
            url = create_queue(engine, f"bench-fifo-{groups}.fifo", {"FifoQueue": "true"})
            fill_fifo(engine, url, count, groups)
            fifo_urls.append(url)
        gc.collect()
        gc.freeze()  # so the deep queues' messages do not slow every collection from here on
        try:
            figures = _measure(client, urls, fifo_urls, depths, fifo_groups, rounds, block)
            for depth, url in zip(depths, urls, strict=True):
                stored = len(engine.backend.by_url(url, REGION, engine.account_id))
                if stored != depth:
                    raise SystemExit(f"depth drifted: {stored} messages, not {depth}")
        finally:
            gc.unfreeze()
    return figures


def _measure(
    client: Any,
    urls: list[str],
    fifo_urls: list[str],
    depths: tuple[int, ...],
    fifo_groups: int,
    rounds: int,
    block: int,
) -> list[DepthFigures]:
    def receive(size: int) -> Callable[[str], float]:
        def run_block(url: str) -> float:
            calls = [{"QueueUrl": url, "MaxNumberOfMessages": size, "VisibilityTimeout": 0}]
            return timed(client.receive_message, calls * block)

        return run_block

    def cycle(url: str) -> float:
        def one() -> None:
            client.send_message(QueueUrl=url, MessageBody=BODY)
            message = client.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"][0]
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

        return timed(one, [{}] * block)

    standard = [f"depth {depth:,}" for depth in depths]
    groups = ["10 groups", f"{fifo_groups:,} groups"]
    kinds: list[tuple[str, Callable[[str], float], list[str], list[str]]] = [
        ("receive_message (1), VisibilityTimeout=0", receive(1), urls, standard),
        ("receive_message (10), VisibilityTimeout=0", receive(10), urls, standard),
        ("send + receive (1) + delete, per cycle", cycle, urls, standard),
        ("FIFO receive_message (10), VisibilityTimeout=0", receive(10), fifo_urls, groups),
    ]
    samples = {label: _Samples([[] for _ in queues]) for label, _, queues, _ in kinds}
    for round_index in range(rounds):
        for label, run_block, queues, _ in kinds:
            # The depths take turns going first, so none always runs on a cold cache.
            order = list(range(len(queues)))
            shift = round_index % len(order)
            order = order[shift:] + order[:shift]
            got = {index: run_block(queues[index]) for index in order}
            kind = samples[label]
            for index, micros in got.items():
                kind.micros[index].append(micros)
            kind.ratios.append([got[index] / got[0] for index in range(len(queues))])
    return [
        DepthFigures(
            label=label,
            columns=columns,
            micros=[median(values) for values in samples[label].micros],
            ratios=[
                median([ratios[index] for ratios in samples[label].ratios])
                for index in range(len(queues))
            ],
        )
        for label, _, queues, columns in kinds
    ]


def print_figures(figures: list[DepthFigures], rounds: int, block: int) -> None:
    print(
        f"Queue depth (fake only): CPU microseconds per call, medians of {rounds} blocks of "
        f"{block} calls per depth;\n"
        "each depth stays constant; the ratios: medians over blocks run back to back"
    )
    by_columns: dict[tuple[str, ...], list[DepthFigures]] = {}
    for figure in figures:
        by_columns.setdefault(tuple(figure.columns), []).append(figure)
    for columns, group in by_columns.items():
        header = ["operation", *(f"{c} us" for c in columns)]
        header += [f"{c} / {columns[0]}" for c in columns[1:]]
        rows = [
            [
                figure.label,
                *(f"{m:.1f}" for m in figure.micros),
                *(f"{r:.2f}x" for r in figure.ratios[1:]),
            ]
            for figure in group
        ]
        print(table(header, rows))


def checks(figures: list[DepthFigures]) -> list[Check]:
    found = []
    for figure in figures:
        ratio = figure.ratios[-1]
        found.append(
            Check(
                f"{figure.label}: {figure.columns[-1]} / {figure.columns[0]}",
                f"{ratio:.2f}x",
                f"<= {DEPTH_TARGET}x",
                ratio <= DEPTH_TARGET,
            )
        )
    return found
