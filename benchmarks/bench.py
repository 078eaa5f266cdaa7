"""Per-call cost of pytest-fakesqs, against botocore's floor and against moto.

Run ``python benchmarks/bench.py`` (about 1-2 minutes) or ``--quick`` (under 20 s);
``--profile`` prints where the fake spends its time instead. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import itertools
import os
import platform
import pstats
import statistics
import sysconfig
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore
from botocore.awsrequest import AWSResponse

import pytest_fakesqs
from pytest_fakesqs import mock_sqs
from pytest_fakesqs._hooks import HANDLERS as FAKE_HANDLERS

try:
    # Imported before any client exists: moto adds its before-send handler to botocore's
    # built-in list at import, so every client below carries the same handlers.
    import moto
    from moto import mock_aws
except ImportError:  # pragma: no cover - depends on the environment
    moto = None  # type: ignore[assignment]
    mock_aws = None  # type: ignore[assignment]

REGION = "us-east-1"
BODY = '{"order_id": 12345, "status": "created", "items": 3}'
ENTRIES = [{"Id": f"m{i}", "MessageBody": BODY} for i in range(10)]
OVERHEAD_THRESHOLD = 1.3
STDLIB = sysconfig.get_paths()["stdlib"]


@dataclass(frozen=True)
class Settings:
    rounds: int
    block: int  # calls per timed block
    pairs: int  # fake/floor block pairs per operation per round (moto: one block)
    depth_block: int
    depth_rounds: int
    deep: int


FULL = Settings(rounds=10, block=10, pairs=50, depth_block=50, depth_rounds=40, deep=100_000)
QUICK = Settings(rounds=2, block=10, pairs=25, depth_block=50, depth_rounds=6, deep=100_000)


def make_client() -> Any:
    return boto3.session.Session().client(
        "sqs",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def without_fake(client: Any) -> Any:
    """Take the fake's handlers off one client, so the fake never answers it."""
    for event, handler in FAKE_HANDLERS:
        client.meta.events.unregister(event, handler)
    return client


# --- targets: one client each, and how to set up a queue for a timed block -------------------


class Target:
    """A real SQS-like backend reached through its own boto3 client."""

    def __init__(self, name: str, client: Any) -> None:
        self.name = name
        self.client = client
        self._names = itertools.count()

    def queue(self) -> str:
        name = f"bench-{self.name}-{next(self._names)}"
        return str(self.client.create_queue(QueueName=name)["QueueUrl"])

    def fill(self, url: str, count: int) -> None:
        for start in range(0, count, 10):
            entries = ENTRIES[: min(10, count - start)]
            self.client.send_message_batch(QueueUrl=url, Entries=entries)

    def handles(self, url: str, count: int) -> list[str]:
        """Receive ``count`` messages (30 s visibility) and give their receipt handles."""
        handles: list[str] = []
        while len(handles) < count:
            wanted = min(10, count - len(handles))
            reply = self.client.receive_message(QueueUrl=url, MaxNumberOfMessages=wanted)
            messages = reply.get("Messages", [])
            if not messages:
                raise RuntimeError(f"{self.name}: queue ran dry while collecting handles")
            handles.extend(message["ReceiptHandle"] for message in messages)
        return handles

    def expect_receive(self, count: int) -> None:
        """Only the floor needs to know how many messages a receive should return."""

    def drop(self, url: str) -> None:
        self.client.delete_queue(QueueUrl=url)


_REQUEST_ID = "4b2c8a1e-5d7f-4e3a-9c6b-2f1e0d9c8b7a"
_RECEIPT = "AQEB" + "Zm9vYmFyYmF6cXV4" * 11
_MESSAGE_ID = "5fea7756-0ea4-451a-a703-a558b933e274"
_MD5 = "c8b0f5c9a5b1f3c0b7d3e5e0f1c2a3b4"


def _metadata() -> dict[str, Any]:
    return {
        "RequestId": _REQUEST_ID,
        "HTTPStatusCode": 200,
        "HTTPHeaders": {
            "x-amzn-requestid": _REQUEST_ID,
            "date": "Sat, 21 Nov 2026 12:00:00 GMT",
            "content-type": "application/x-amz-json-1.0",
            "connection": "keep-alive",
        },
        "RetryAttempts": 0,
    }


def _received(count: int) -> dict[str, Any]:
    message = {
        "MessageId": _MESSAGE_ID,
        "ReceiptHandle": _RECEIPT,
        "MD5OfBody": _MD5,
        "Body": BODY,
    }
    return {"Messages": [dict(message) for _ in range(count)], "ResponseMetadata": _metadata()}


CANNED: dict[str, dict[str, Any]] = {
    "CreateQueue": {
        "QueueUrl": f"https://sqs.{REGION}.amazonaws.com/123456789012/floor",
        "ResponseMetadata": _metadata(),
    },
    "DeleteQueue": {"ResponseMetadata": _metadata()},
    "SendMessage": {
        "MessageId": _MESSAGE_ID,
        "MD5OfMessageBody": _MD5,
        "ResponseMetadata": _metadata(),
    },
    "SendMessageBatch": {
        "Successful": [
            {"Id": entry["Id"], "MessageId": _MESSAGE_ID, "MD5OfMessageBody": _MD5}
            for entry in ENTRIES
        ],
        "Failed": [],
        "ResponseMetadata": _metadata(),
    },
    "DeleteMessage": {"ResponseMetadata": _metadata()},
    "DeleteMessageBatch": {
        "Successful": [{"Id": entry["Id"]} for entry in ENTRIES],
        "Failed": [],
        "ResponseMetadata": _metadata(),
    },
    "ChangeMessageVisibility": {"ResponseMetadata": _metadata()},
}


class Floor(Target):
    """botocore with nothing behind it: before-call hands back a canned parsed response.

    Everything botocore does for a served call (parameter validation, serialisation, endpoint
    resolution, the event chain) still runs; only the answer costs nothing.
    """

    def __init__(self, client: Any) -> None:
        super().__init__("floor", client)
        self._receive = {1: _received(1), 10: _received(10)}
        self._receive_count = 1
        client.meta.events.register("before-call.sqs", self._answer)

    def _answer(self, model: Any, params: dict[str, Any], **_: Any) -> Any:
        if model.name == "ReceiveMessage":
            parsed = self._receive[self._receive_count]
        else:
            parsed = CANNED[model.name]
        return AWSResponse(params["url"], 200, {}, None), parsed  # type: ignore[arg-type]

    def queue(self) -> str:
        return str(CANNED["CreateQueue"]["QueueUrl"])

    def fill(self, url: str, count: int) -> None:
        pass

    def handles(self, url: str, count: int) -> list[str]:
        return [_RECEIPT] * count

    def expect_receive(self, count: int) -> None:
        self._receive_count = count

    def drop(self, url: str) -> None:
        pass


# --- operations: what one timed block calls, and the queue it needs ---------------------------

Calls = list[dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    label: str
    method: str
    single: bool  # one message per call (the 1.3x overhead check applies)
    prepare: Callable[[Target, str, int], Calls]


def _send(target: Target, url: str, n: int) -> Calls:
    return [{"QueueUrl": url, "MessageBody": BODY}] * n


def _send_batch(target: Target, url: str, n: int) -> Calls:
    return [{"QueueUrl": url, "Entries": ENTRIES}] * n


def _receive(size: int) -> Callable[[Target, str, int], Calls]:
    def prepare(target: Target, url: str, n: int) -> Calls:
        target.fill(url, n * size)
        target.expect_receive(size)
        return [{"QueueUrl": url, "MaxNumberOfMessages": size}] * n

    return prepare


def _delete(target: Target, url: str, n: int) -> Calls:
    target.fill(url, n)
    return [{"QueueUrl": url, "ReceiptHandle": handle} for handle in target.handles(url, n)]


def _delete_batch(target: Target, url: str, n: int) -> Calls:
    target.fill(url, n * 10)
    handles = target.handles(url, n * 10)
    return [
        {
            "QueueUrl": url,
            "Entries": [
                {"Id": f"m{i}", "ReceiptHandle": handle}
                for i, handle in enumerate(handles[start : start + 10])
            ],
        }
        for start in range(0, len(handles), 10)
    ]


def _change_visibility(target: Target, url: str, n: int) -> Calls:
    target.fill(url, n)
    return [
        {"QueueUrl": url, "ReceiptHandle": handle, "VisibilityTimeout": 60}
        for handle in target.handles(url, n)
    ]


OPERATIONS = (
    Operation("send_message", "send_message", True, _send),
    Operation("send_message_batch (10)", "send_message_batch", False, _send_batch),
    Operation("receive_message (1)", "receive_message", True, _receive(1)),
    Operation("receive_message (10)", "receive_message", False, _receive(10)),
    Operation("delete_message", "delete_message", True, _delete),
    Operation("delete_message_batch (10)", "delete_message_batch", False, _delete_batch),
    Operation("change_message_visibility", "change_message_visibility", True, _change_visibility),
)


# --- timing -----------------------------------------------------------------------------------


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


def run_block(target: Target, operation: Operation, n: int) -> float:
    url = target.queue()
    calls = operation.prepare(target, url, n)
    micros = timed(getattr(target.client, operation.method), calls)
    target.drop(url)
    return micros


@dataclass
class Samples:
    micros: dict[str, list[float]]
    paired: dict[str, list[float]]  # per back-to-back block pair: ratios and differences


def measure_operations(targets: dict[str, Target], settings: Settings) -> dict[str, Samples]:
    """Interleaved: each slot runs one fake block and one floor block back to back (order
    alternating), and in the first slot of each round one moto block between them."""
    results = {op.label: Samples(defaultdict(list), defaultdict(list)) for op in OPERATIONS}
    slot = 0
    for _ in range(settings.rounds):
        for operation in OPERATIONS:
            samples = results[operation.label]
            for pair in range(settings.pairs):
                names = ["fake", "floor"]
                if pair == 0 and "moto" in targets:
                    names.insert(1, "moto")
                shift = slot % len(names)
                names = names[shift:] + names[:shift]
                slot += 1
                got = {name: run_block(targets[name], operation, settings.block) for name in names}
                for name, micros in got.items():
                    samples.micros[name].append(micros)
                samples.paired["fake/floor"].append(got["fake"] / got["floor"])
                samples.paired["fake-floor"].append(got["fake"] - got["floor"])
                if "moto" in got:
                    samples.paired["moto/fake"].append(got["moto"] / got["fake"])
    return results


# --- queue depth ------------------------------------------------------------------------------


@dataclass
class DepthSamples:
    shallow: list[float] = field(default_factory=list)
    deep: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


def measure_depth(fake: Any, client: Any, settings: Settings) -> dict[str, DepthSamples]:
    """Receive cost on a queue of 10 messages against one of ``settings.deep``, interleaved.

    The calls keep each depth constant: VisibilityTimeout=0 hands a message straight back,
    and the cycle sends one message for each one it deletes.
    """
    engine = fake.engine
    urls: dict[int, str] = {}
    for depth in (10, settings.deep):
        url = str(client.create_queue(QueueName=f"bench-depth-{depth}")["QueueUrl"])
        # Filled through the engine's own entry point (no botocore) to save time.
        for _ in range(depth // 10):
            status, _ = engine.handle(
                "SendMessageBatch", {"QueueUrl": url, "Entries": ENTRIES}, REGION
            )
            assert status == 200
        urls[depth] = url
    fifo_urls = _fill_fifo(engine, client, settings.deep)
    gc.collect()
    gc.freeze()  # so the deep queue's messages do not slow every collection from here on

    def receive(size: int) -> Callable[[str, int], float]:
        def block(url: str, n: int) -> float:
            calls = [{"QueueUrl": url, "MaxNumberOfMessages": size, "VisibilityTimeout": 0}] * n
            return timed(client.receive_message, calls)

        return block

    def cycle(url: str, n: int) -> float:
        def one() -> None:
            client.send_message(QueueUrl=url, MessageBody=BODY)
            message = client.receive_message(QueueUrl=url, MaxNumberOfMessages=1)["Messages"][0]
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

        return timed(one, [{}] * n)

    standard = (urls[10], urls[settings.deep])
    kinds: dict[str, tuple[Callable[[str, int], float], tuple[str, str]]] = {
        "receive_message (1), VisibilityTimeout=0": (receive(1), standard),
        "receive_message (10), VisibilityTimeout=0": (receive(10), standard),
        "send + receive (1) + delete cycle": (cycle, standard),
        "FIFO receive (10): 10 groups vs 10,000 groups": (receive(10), fifo_urls),
    }
    results = {label: DepthSamples() for label in kinds}
    for round_index in range(settings.depth_rounds):
        for label, (block, (shallow_url, deep_url)) in kinds.items():
            samples = results[label]
            if round_index % 2 == 0:
                shallow = block(shallow_url, settings.depth_block)
                deep = block(deep_url, settings.depth_block)
            else:
                deep = block(deep_url, settings.depth_block)
                shallow = block(shallow_url, settings.depth_block)
            samples.shallow.append(shallow)
            samples.deep.append(deep)
            samples.ratios.append(deep / shallow)
    for depth, url in urls.items():
        stored = engine.backend.by_url(url, REGION, engine.account_id)
        if len(stored) != depth:
            raise SystemExit(f"depth drifted: {len(stored)} messages, not {depth}")
    gc.unfreeze()
    return results


def _fill_fifo(engine: Any, client: Any, deep: int) -> tuple[str, str]:
    """A FIFO queue of 10 groups of one message, and one of 10,000 groups holding ``deep``
    messages in all; FIFO receives take whole groups, so this measures the ready-group heap."""
    urls = []
    for name, groups, depth in (("shallow", 10, 10), ("deep", 10_000, deep)):
        url = str(
            client.create_queue(
                QueueName=f"bench-fifo-{name}.fifo", Attributes={"FifoQueue": "true"}
            )["QueueUrl"]
        )
        for start in range(0, depth, 10):
            entries = [
                {
                    "Id": str(n),
                    "MessageBody": BODY,
                    "MessageGroupId": f"g{(start + n) % groups}",
                    "MessageDeduplicationId": str(start + n),
                }
                for n in range(10)
            ]
            status, _ = engine.handle(
                "SendMessageBatch", {"QueueUrl": url, "Entries": entries}, REGION
            )
            assert status == 200
        urls.append(url)
    return urls[0], urls[1]


# --- report -----------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def report(
    results: dict[str, Samples],
    depth: dict[str, DepthSamples],
    settings: Settings,
    has_moto: bool,
) -> None:
    rows = []
    over: list[str] = []
    fake_ratios: list[float] = []
    moto_ratios: list[float] = []
    for operation in OPERATIONS:
        samples = results[operation.label]
        floor = median(samples.micros["floor"])
        fake = median(samples.micros["fake"])
        fake_floor = median(samples.paired["fake/floor"])
        fake_ratios.append(fake_floor)
        extra = median(samples.paired["fake-floor"])
        row = [operation.label, f"{floor:.1f}", f"{fake:.1f}", f"{extra:+.1f}"]
        if has_moto:
            moto_micros = median(samples.micros["moto"])
            moto_fake = median(samples.paired["moto/fake"])
            moto_ratios.append(moto_fake)
            row[3:3] = [f"{moto_micros:.1f}"]
            row += [f"{fake_floor:.2f}x", f"{moto_fake:.1f}x"]
        else:
            row += [f"{fake_floor:.2f}x"]
        rows.append(row)
        if operation.single and fake_floor > OVERHEAD_THRESHOLD:
            over.append(operation.label)
    header = ["operation (per call)", "floor us", "fake us", "fake-floor us", "fake/floor"]
    if has_moto:
        header[3:3] = ["moto us"]
        header.append("moto/fake")
    print()
    print(
        f"CPU microseconds per call: medians of {settings.rounds * settings.pairs} blocks of "
        f"{settings.block} calls (moto: {settings.rounds} blocks);\n"
        "fake-floor and the ratios: medians over blocks run back to back"
    )
    print(table(header, rows))

    depth_rows = []
    depth_ratios = []
    for label, depth_samples in depth.items():
        ratio = median(depth_samples.ratios)
        depth_ratios.append(ratio)
        depth_rows.append(
            [
                label,
                f"{median(depth_samples.shallow):.1f}",
                f"{median(depth_samples.deep):.1f}",
                f"{ratio:.2f}x",
            ]
        )
    print()
    print(
        f"Queue depth (fake only): CPU microseconds per call, medians of {settings.depth_rounds} "
        f"blocks of {settings.depth_block} calls per depth;\n"
        "each depth stays constant; the ratio: median over blocks run back to back"
    )
    print(
        table(
            [
                "operation",
                "depth 10 us",
                f"depth {settings.deep:,} us",
                f"depth{settings.deep // 1000}k/depth10",
            ],
            depth_rows,
        )
    )

    print()
    print("Summary")
    print(
        f"  fake/floor: {min(fake_ratios):.2f}x to {max(fake_ratios):.2f}x "
        f"(median {median(fake_ratios):.2f}x) across {len(OPERATIONS)} operations"
    )
    if has_moto:
        print(
            f"  moto/fake:  {min(moto_ratios):.1f}x to {max(moto_ratios):.1f}x "
            f"(median {median(moto_ratios):.1f}x): the fake is that much faster than moto"
        )
    else:
        print("  moto/fake:  not measured (moto is not installed)")
    print(f"  depth {settings.deep:,} vs 10: {min(depth_ratios):.2f}x to {max(depth_ratios):.2f}x")
    if over:
        print(
            f"  over {OVERHEAD_THRESHOLD}x the floor (single-message): {', '.join(over)}; "
            "run with --profile for the fake's hot spots"
        )
    else:
        print(f"  every single-message operation within {OVERHEAD_THRESHOLD}x of the floor")


# --- profile ----------------------------------------------------------------------------------


def _where(function: tuple[str, int, str], package_root: str) -> str:
    """A profiler key as a short label: path relative to its package, line, name."""
    path, line, name = function
    if path == "~":
        return name  # a built-in
    if path.startswith(package_root):
        path = os.path.relpath(path, package_root)
    elif "site-packages" in path:
        path = path.split("site-packages" + os.sep, 1)[1]
    elif path.startswith(STDLIB):
        path = os.path.relpath(path, STDLIB)
    return f"{path}:{line}({name})"


def _engine_call(engine: Any, api_name: str) -> Callable[..., Any]:
    """Call the engine the way the fake's before-call handler does, with no botocore."""

    def call(**params: Any) -> Any:
        return engine.handle(api_name, params, REGION)

    return call


def profile(fake: Any, client: Any, calls_per_op: int, top: int) -> None:
    """Where the fake's own time goes, for each single-message operation.

    First the engine alone (no botocore, no profiler). Then cProfile over whole client calls:
    the time inside the fake's two botocore handlers is split into spots, each either a
    pytest_fakesqs function's own time or a library function it calls directly (with the
    cumulative time of those calls), so the spots add up to the fake's whole time.
    """
    target = Target("fake", client)
    package_dir = os.path.dirname(pytest_fakesqs.__file__)
    package_root = os.path.dirname(package_dir)
    engine = fake.engine
    for operation in OPERATIONS:
        if not operation.single:
            continue
        api_name = client.meta.method_to_api_mapping[operation.method]

        url = target.queue()
        calls = operation.prepare(target, url, calls_per_op)
        alone = timed(_engine_call(engine, api_name), calls)
        target.drop(url)

        url = target.queue()
        calls = operation.prepare(target, url, calls_per_op)
        method = getattr(client, operation.method)
        profiler = cProfile.Profile()
        profiler.enable()
        for kwargs in calls:
            method(**kwargs)
        profiler.disable()
        target.drop(url)

        raw: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]

        def mine(function: tuple[str, int, str]) -> bool:
            return function[0].startswith(package_dir)

        fake_total = sum(
            value[3]
            for function, value in raw.items()
            if mine(function) and not any(mine(caller) for caller in value[4])
        )
        spots: list[tuple[float, int, str]] = []
        for function, (_, calls_made, own, _, callers) in raw.items():
            if mine(function):
                spots.append((own, calls_made, _where(function, package_root)))
                continue
            from_fake = [edge for caller, edge in callers.items() if mine(caller)]
            if from_fake:
                spent = sum(edge[3] for edge in from_fake)
                made = sum(edge[1] for edge in from_fake)
                spots.append((spent, made, _where(function, package_root) + " [lib]"))
        spots.sort(reverse=True)
        print()
        print(
            f"{operation.label}: engine alone {alone:.1f} us/call (unprofiled); under cProfile "
            f"the fake's handlers take {fake_total / calls_per_op * 1e6:.1f} us/call"
        )
        rows = [
            [where, f"{made / calls_per_op:g}", f"{spent / fake_total:.1%}"]
            for spent, made, where in spots[:top]
        ]
        print(
            table(
                ["spot (own time; [lib]: a library call's cumulative)", "per call", "share"], rows
            )
        )


# --- main -------------------------------------------------------------------------------------


def check_wiring(fake: Any, targets: dict[str, Target]) -> None:
    """Each client must reach its own backend and nothing else."""
    reply = targets["floor"].client.send_message(QueueUrl="floor", MessageBody=BODY)
    if reply["MessageId"] != _MESSAGE_ID:
        raise SystemExit("wiring: the floor client was answered by something else")
    url = targets["fake"].queue()
    if not fake.engine.backend.all_queues():
        raise SystemExit("wiring: the fake client did not reach the fake")
    targets["fake"].drop(url)
    if "moto" in targets:
        before = len(fake.engine.backend.all_queues())
        url = targets["moto"].queue()
        if len(fake.engine.backend.all_queues()) != before:
            raise SystemExit("wiring: the moto client was answered by the fake")
        targets["moto"].drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (under 20 s)")
    parser.add_argument(
        "--profile", action="store_true", help="profile the fake's single-message calls instead"
    )
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL
    began = time.perf_counter()

    with mock_sqs(seed=1) as fake:
        if args.profile:
            profile(fake, make_client(), calls_per_op=2000, top=12)
            return
        moto_mock = mock_aws() if mock_aws is not None else None
        if moto_mock is not None:
            moto_mock.start()
        try:
            targets: dict[str, Target] = {
                "fake": Target("fake", make_client()),
                "floor": Floor(without_fake(make_client())),
            }
            if moto_mock is not None:
                targets["moto"] = Target("moto", without_fake(make_client()))
            check_wiring(fake, targets)
            print(
                f"pytest-fakesqs {pytest_fakesqs.__version__}, boto3 {boto3.__version__}, "
                f"botocore {botocore.__version__}, "
                f"moto {moto.__version__ if moto is not None else 'not installed'}, "
                f"Python {platform.python_version()}, "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
                f"{' (--quick)' if args.quick else ''}"
            )
            if moto_mock is None:
                print("note: moto is not importable; the moto column is skipped")
            results = measure_operations(targets, settings)
        finally:
            if moto_mock is not None:
                moto_mock.stop()
        depth = measure_depth(fake, targets["fake"].client, settings)
        report(results, depth, settings, has_moto=moto_mock is not None)
    print(f"  wall time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
