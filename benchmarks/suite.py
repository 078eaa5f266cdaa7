"""A suite of small SQS tests run by pytest, with the fake and with moto.

The same generated test files run twice per round, each in its own pytest subprocess: once
with a ``conftest.py`` whose ``sqs`` fixture is pytest-fakesqs's (``fake_sqs`` and its
``sqs_client``), once with one that wraps moto's ``mock_aws()``. Both fixtures make one botocore
client per test from one shared botocore session, so the two runs differ only in what serves
the calls. The moto run loads pytest with ``-p no:fakesqs``.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from report import Check, table
from startup import Run, python_environment, run_pytest
from timing import median

TESTS_PER_FILE = 100

TEST = """

def test_order_{n}(sqs):
    url = sqs.create_queue(QueueName="orders-{n}")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="order {n}")

    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])

    assert [message["Body"] for message in messages] == ["order {n}"]
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
"""

FAKE_CONFTEST = """import pytest


@pytest.fixture
def sqs(fake_sqs, sqs_client):
    return sqs_client
"""

MOTO_CONFTEST = """import botocore.session
import pytest
from moto import mock_aws

_session = botocore.session.get_session()


@pytest.fixture
def sqs():
    with mock_aws():
        yield _session.create_client("sqs", region_name="us-east-1")
"""

#: Both runs see the same dummy credentials (moto needs some; the fake sets its own).
ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class SuiteFigures:
    tests: int
    runs: dict[str, list[Run]]
    #: CPU milliseconds to create one botocore SQS client, as each test's fixture does.
    client_ms: float

    def wall(self, backend: str) -> float:
        return median([run.wall for run in self.runs[backend]])

    def cpu(self, backend: str) -> float:
        return median([run.cpu for run in self.runs[backend]])

    @property
    def has_moto(self) -> bool:
        return bool(self.runs.get("moto"))


def write_suite(directory: Path, tests: int, conftest: str) -> None:
    directory.mkdir()
    (directory / "pytest.ini").write_text("[pytest]\n")
    (directory / "conftest.py").write_text(conftest)
    for first in range(0, tests, TESTS_PER_FILE):
        numbers = range(first, min(first + TESTS_PER_FILE, tests))
        source = "".join(TEST.format(n=n) for n in numbers).lstrip()
        (directory / f"test_orders_{first // TESTS_PER_FILE:03d}.py").write_text(source)


def run_suite(directory: Path, bytecode: Path, tests: int, *extra: str) -> Run:
    """One pytest subprocess on the generated suite; it must pass all ``tests`` tests."""
    environment = {**python_environment(bytecode), **ENVIRONMENT}
    return run_pytest(directory, environment, *extra, passed=tests)


def run(tests: int, rounds: int, has_moto: bool, bytecode: Path) -> SuiteFigures:
    """``bytecode``: where the subprocesses cache their bytecode (see python_environment)."""
    runs: dict[str, list[Run]] = {"fake": [], "moto": []}
    with tempfile.TemporaryDirectory(prefix="fakesqs-suite-") as name:
        root = Path(name)
        write_suite(root / "fake", tests, FAKE_CONFTEST)
        variants: dict[str, tuple[str, ...]] = {"fake": ()}
        if has_moto:
            write_suite(root / "moto", tests, MOTO_CONFTEST)
            variants["moto"] = ("-p", "no:fakesqs")
        for backend, extra in variants.items():
            # Untimed, one test: compiles and caches the bytecode of everything a run imports.
            run_suite(root / backend, bytecode, 1, "-k", "test_order_0", *extra)
        for index in range(rounds):
            order = list(variants)
            if index % 2:
                order.reverse()
            for backend in order:
                measured = run_suite(root / backend, bytecode, tests, *variants[backend])
                runs[backend].append(measured)
    return SuiteFigures(tests, runs, client_cost())


def client_cost(count: int = 20) -> float:
    """Median CPU milliseconds of ``create_client("sqs")`` on a warm botocore session."""
    import botocore.session

    session = botocore.session.get_session()
    session.create_client("sqs", region_name="us-east-1")
    costs = []
    for _ in range(count):
        start = time.thread_time()
        session.create_client("sqs", region_name="us-east-1")
        costs.append((time.thread_time() - start) * 1e3)
    return median(costs)


def print_figures(figures: SuiteFigures) -> None:
    rounds = len(figures.runs["fake"])
    print(
        f"A suite of {figures.tests:,} small SQS tests (create a queue, send, receive, delete, "
        f"assert), one pytest subprocess per run; medians of {rounds} run(s) each"
    )
    rows = []
    for backend in ("fake", "moto"):
        if not figures.runs[backend]:
            continue
        wall = figures.wall(backend)
        cpu = figures.cpu(backend)
        rows.append(
            [
                "pytest-fakesqs (fake_sqs)" if backend == "fake" else "moto (mock_aws)",
                f"{wall:.2f}",
                f"{cpu:.2f}",
                f"{wall / figures.tests * 1e3:.2f}",
            ]
        )
    print(table(["backend", "wall s", "CPU s", "wall ms/test"], rows))
    if figures.has_moto:
        print(
            f"moto/fake: {figures.wall('moto') / figures.wall('fake'):.1f}x wall time, "
            f"{figures.cpu('moto') / figures.cpu('fake'):.1f}x CPU time "
            "(pytest's own start-up and per-test work included in both);\n"
            f"each test also creates a botocore client: {figures.client_ms:.1f} ms CPU in "
            "this process"
        )
    else:
        print("note: moto is not importable; only the fake's suite ran")


def checks(figures: SuiteFigures) -> list[Check]:
    if not figures.has_moto:
        return [Check(f"suite of {figures.tests:,} tests: moto/fake", "-", "-", None, "no moto")]
    wall = figures.wall("moto") / figures.wall("fake")
    return [
        Check(
            f"suite of {figures.tests:,} tests: moto/fake wall time",
            f"{wall:.1f}x",
            "-",
            None,
            f"{figures.wall('fake'):.1f} s vs {figures.wall('moto'):.1f} s",
        )
    ]
