"""Per-call cost of each message operation: the fake against botocore's floor and moto.

Every backend is reached through its own boto3 client in this one process; blocks of calls
are interleaved so slow drift in machine speed cancels out of the ratios (see README.md).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.awsrequest import AWSResponse
from clients import BODY, ENTRIES, REGION, make_client, mock_aws, without_fake
from report import Check, table
from timing import Calls, median, timed

from pytest_fakesqs import mock_sqs

#: Every single-message operation must cost at most this many times the floor.
OVERHEAD_TARGET = 1.3
#: The fake must be at least this many times faster than moto on every operation.
MOTO_TARGET = 20.0


# --- backends: one client each, and how to set up a queue for a timed block ------------------


class Backend:
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


class Floor(Backend):
    """botocore with nothing behind it: before-call hands back a canned parsed response.

    Everything botocore does for a served call (parameter validation, serialisation, endpoint
    resolution, the event chain, botocore's own before-call handlers) still runs; only the
    answer costs nothing. It answers where the fake does, after botocore's before-call handlers.
    """

    def __init__(self, client: Any) -> None:
        super().__init__("floor", client)
        self._receive = {1: _received(1), 10: _received(10)}
        self._receive_count = 1
        client.meta.events.register("before-call", self._answer)

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


@dataclass(frozen=True)
class Operation:
    label: str
    method: str
    single: bool  # one message per call (the 1.3x overhead check applies)
    prepare: Callable[[Backend, str, int], Calls]


def _send(backend: Backend, url: str, n: int) -> Calls:
    return [{"QueueUrl": url, "MessageBody": BODY}] * n


def _send_batch(backend: Backend, url: str, n: int) -> Calls:
    return [{"QueueUrl": url, "Entries": ENTRIES}] * n


def _receive(size: int) -> Callable[[Backend, str, int], Calls]:
    def prepare(backend: Backend, url: str, n: int) -> Calls:
        backend.fill(url, n * size)
        backend.expect_receive(size)
        return [{"QueueUrl": url, "MaxNumberOfMessages": size}] * n

    return prepare


def _delete(backend: Backend, url: str, n: int) -> Calls:
    backend.fill(url, n)
    return [{"QueueUrl": url, "ReceiptHandle": handle} for handle in backend.handles(url, n)]


def _delete_batch(backend: Backend, url: str, n: int) -> Calls:
    backend.fill(url, n * 10)
    handles = backend.handles(url, n * 10)
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


def _change_visibility(backend: Backend, url: str, n: int) -> Calls:
    backend.fill(url, n)
    return [
        {"QueueUrl": url, "ReceiptHandle": handle, "VisibilityTimeout": 60}
        for handle in backend.handles(url, n)
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


def run_block(backend: Backend, operation: Operation, n: int) -> float:
    url = backend.queue()
    calls = operation.prepare(backend, url, n)
    micros = timed(getattr(backend.client, operation.method), calls)
    backend.drop(url)
    return micros


@dataclass
class Samples:
    micros: dict[str, list[float]]
    paired: dict[str, list[float]]  # per back-to-back block pair: ratios and differences


@dataclass(frozen=True)
class Figures:
    """One operation's medians: CPU microseconds per call, and ratios of blocks run back to
    back. The moto figures are None when moto is not installed."""

    label: str
    single: bool
    floor: float
    fake: float
    moto: float | None
    fake_minus_floor: float
    fake_floor: float
    moto_fake: float | None
    #: moto's cost over the floor's: the most moto/fake can ever be, since the fake's calls
    #: cost at least the floor.
    moto_floor: float | None


def measure(
    backends: dict[str, Backend],
    rounds: int,
    pairs: int,
    block: int,
    between: Callable[[], object] = lambda: None,
) -> list[Figures]:
    """Interleaved: each slot runs one fake block and one floor block back to back (order
    alternating), and in the first slot of each round one moto block between them.
    ``between`` runs after every slot, untimed."""
    results = {op.label: Samples(defaultdict(list), defaultdict(list)) for op in OPERATIONS}
    slot = 0
    for _ in range(rounds):
        for operation in OPERATIONS:
            samples = results[operation.label]
            for pair in range(pairs):
                names = ["fake", "floor"]
                if pair == 0 and "moto" in backends:
                    names.insert(1, "moto")
                shift = slot % len(names)
                names = names[shift:] + names[:shift]
                slot += 1
                got = {name: run_block(backends[name], operation, block) for name in names}
                between()
                for name, micros in got.items():
                    samples.micros[name].append(micros)
                samples.paired["fake/floor"].append(got["fake"] / got["floor"])
                samples.paired["fake-floor"].append(got["fake"] - got["floor"])
                if "moto" in got:
                    samples.paired["moto/fake"].append(got["moto"] / got["fake"])
                    samples.paired["moto/floor"].append(got["moto"] / got["floor"])
    has_moto = "moto" in backends
    return [
        Figures(
            label=operation.label,
            single=operation.single,
            floor=median(results[operation.label].micros["floor"]),
            fake=median(results[operation.label].micros["fake"]),
            moto=median(results[operation.label].micros["moto"]) if has_moto else None,
            fake_minus_floor=median(results[operation.label].paired["fake-floor"]),
            fake_floor=median(results[operation.label].paired["fake/floor"]),
            moto_fake=median(results[operation.label].paired["moto/fake"]) if has_moto else None,
            moto_floor=median(results[operation.label].paired["moto/floor"]) if has_moto else None,
        )
        for operation in OPERATIONS
    ]


def print_figures(figures: list[Figures], rounds: int, pairs: int, block: int) -> None:
    has_moto = figures[0].moto is not None
    header = ["operation (per call)", "floor us", "fake us", "fake-floor us", "fake/floor"]
    if has_moto:
        header[3:3] = ["moto us"]
        header += ["moto/fake", "moto/floor"]
    rows = []
    for f in figures:
        row = [f.label, f"{f.floor:.1f}", f"{f.fake:.1f}", f"{f.fake_minus_floor:+.1f}"]
        row.append(f"{f.fake_floor:.2f}x")
        if f.moto is not None:
            row[3:3] = [f"{f.moto:.1f}"]
            row += [f"{f.moto_fake:.1f}x", f"{f.moto_floor:.1f}x"]
        rows.append(row)
    print(
        f"CPU microseconds per call: medians of {rounds * pairs} blocks of {block} calls "
        f"(moto: {rounds} blocks);\n"
        "fake-floor and the ratios: medians over blocks run back to back;\n"
        "moto/floor is the ceiling of moto/fake: no fake on botocore's hooks costs less than "
        "the floor"
    )
    print(table(header, rows))
    if not has_moto:
        print("note: moto is not importable; the moto columns are left out")


def checks(figures: list[Figures]) -> list[Check]:
    found = [
        Check(
            f"{f.label}: fake/floor",
            f"{f.fake_floor:.2f}x",
            f"<= {OVERHEAD_TARGET}x",
            f.fake_floor <= OVERHEAD_TARGET,
            "" if f.fake_floor <= OVERHEAD_TARGET else f"fake adds {f.fake_minus_floor:+.1f} us",
        )
        for f in figures
        if f.single
    ]
    for f in figures:
        if f.moto_fake is None or f.moto_floor is None:
            found.append(
                Check(
                    f"{f.label}: moto/fake",
                    "-",
                    f">= {MOTO_TARGET:g}x",
                    None,
                    "moto is not installed",
                )
            )
            continue
        passed = f.moto_fake >= MOTO_TARGET
        note = f"ceiling moto/floor {f.moto_floor:.1f}x"
        if not passed and f.moto_floor < MOTO_TARGET:
            note += ": out of reach, botocore's own cost per call is the floor"
        elif not passed:
            # moto/fake = moto/floor / fake/floor
            note += f": reachable with fake/floor <= {f.moto_floor / MOTO_TARGET:.2f}x"
        found.append(
            Check(
                f"{f.label}: moto/fake", f"{f.moto_fake:.1f}x", f">= {MOTO_TARGET:g}x", passed, note
            )
        )
    return found


def check_wiring(fake: Any, backends: dict[str, Backend]) -> None:
    """Each client must reach its own backend and nothing else."""
    reply = backends["floor"].client.send_message(QueueUrl="floor", MessageBody=BODY)
    if reply["MessageId"] != _MESSAGE_ID:
        raise SystemExit("wiring: the floor client was answered by something else")
    url = backends["fake"].queue()
    if not fake.engine.backend.all_queues():
        raise SystemExit("wiring: the fake client did not reach the fake")
    backends["fake"].drop(url)
    if "moto" in backends:
        before = len(fake.engine.backend.all_queues())
        url = backends["moto"].queue()
        if len(fake.engine.backend.all_queues()) != before:
            raise SystemExit("wiring: the moto client was answered by the fake")
        backends["moto"].drop(url)


def run(rounds: int, pairs: int, block: int) -> list[Figures]:
    """Measure every operation on the fake, the floor and (when installed) moto; print the
    table and return the figures."""
    with mock_sqs(seed=1) as fake:
        moto_mock = mock_aws() if mock_aws is not None else None
        if moto_mock is not None:
            moto_mock.start()
        try:
            backends: dict[str, Backend] = {
                "fake": Backend("fake", make_client()),
                "floor": Floor(without_fake(make_client())),
            }
            if moto_mock is not None:
                backends["moto"] = Backend("moto", without_fake(make_client()))
            check_wiring(fake, backends)
            # Clearing the journal keeps memory flat, as a fresh fake per test would.
            figures = measure(backends, rounds, pairs, block, between=fake.calls.clear)
        finally:
            if moto_mock is not None:
                moto_mock.stop()
    print_figures(figures, rounds, pairs, block)
    return figures
