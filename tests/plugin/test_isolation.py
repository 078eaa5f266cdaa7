"""Isolation, checked from the outside with pytester: no state leaks from one test to another,
in either order or across pytest-xdist workers; each xdist worker has a session fake of its
own; and no socket is opened while a fake is active, in-process or in an xdist worker.

The generated tests write what they saw (seed, message id, worker, queues) to one JSON file
each, which the test here reads back.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import defaultdict
from typing import Any

import boto3
import botocore.session
import pytest

from pytest_fakesqs import mock_sqs
from pytest_fakesqs._ids import seed_for

SQS_OPERATIONS = sorted(botocore.session.get_session().get_service_model("sqs").operation_names)
GENERATED = 30

RECORD = """
import json
import os
from pathlib import Path

def record(name, **values):
    folder = Path(__file__).parent / "records"
    folder.mkdir(exist_ok=True)
    values["worker"] = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (folder / f"{name}.json").write_text(json.dumps(values))
"""


def read_records(pytester: pytest.Pytester) -> dict[str, dict[str, Any]]:
    folder = pytester.path / "records"
    records = {path.stem: json.loads(path.read_text()) for path in folder.glob("*.json")}
    for path in folder.glob("*.json"):
        path.unlink()
    return records


# --- no leak between two tests, in either order ------------------------------------------------

LEAK = """
    import boto3
    import pytest

    from pytest_fakesqs import mock_sqs


    def make_state(client):
        assert client.list_queues().get("QueueUrls") is None
        url = client.create_queue(QueueName="leaky", tags={"from": "a"})["QueueUrl"]
        client.send_message(QueueUrl=url, MessageBody="left behind")
        client.receive_message(QueueUrl=url, VisibilityTimeout=600)


    def test_a_fixture(fake_sqs):
        make_state(boto3.client("sqs", region_name="us-east-1"))


    def test_b_client(sqs_client, fake_sqs):
        assert fake_sqs.queues() == []
        make_state(sqs_client)


    @pytest.mark.fake_sqs(freeze="2024-01-01T00:00:00Z")
    def test_c_marker():
        make_state(boto3.client("sqs", region_name="us-east-1"))


    @mock_sqs
    def test_d_decorator():
        make_state(boto3.client("sqs", region_name="us-east-1"))


    def test_e_context_manager():
        with mock_sqs() as fake:
            assert fake.queues() == []
            make_state(boto3.client("sqs", region_name="us-east-1"))
"""
LEAK_TESTS = [
    "test_a_fixture",
    "test_b_client",
    "test_c_marker",
    "test_d_decorator",
    "test_e_context_manager",
]


def test_a_queue_made_in_one_test_is_absent_from_the_next_in_either_order(pytester):
    # Every test makes the same queue and first checks there is none: run forward, then the
    # same tests (in another module) backward, each pair of tests meets in both orders.
    pytester.makepyfile(test_leak_forward=LEAK, test_leak_backward=LEAK)
    order = [f"test_leak_forward.py::{name}" for name in LEAK_TESTS] + [
        f"test_leak_backward.py::{name}" for name in reversed(LEAK_TESTS)
    ]
    result = pytester.runpytest(*order, "-v")
    result.assert_outcomes(passed=2 * len(LEAK_TESTS))
    result.stdout.fnmatch_lines([f"{nodeid} PASSED*" for nodeid in order])


# --- a fresh fake in every test, with or without xdist ----------------------------------------


def fresh_tests() -> str:
    """GENERATED tests, using each way of getting a fake in turn; each records what it saw."""
    lines = [
        RECORD,
        "import boto3",
        "from pytest_fakesqs import mock_sqs",
        "",
        "",
        "def exercise(fake, client, name, request):",
        '    assert "QueueUrls" not in client.list_queues()',
        "    assert fake.queues() == []",
        '    url = client.create_queue(QueueName="shared")["QueueUrl"]',
        '    client.create_queue(QueueName=f"only-{name}")',
        "    client.send_message(QueueUrl=url, MessageBody=name)",
        '    [message] = client.receive_message(QueueUrl=url)["Messages"]',
        '    assert message["Body"] == name',
        '    listed = sorted(u.rsplit("/", 1)[1] for u in client.list_queues()["QueueUrls"])',
        '    assert listed == [f"only-{name}", "shared"]',
        "    record(name, nodeid=request.node.nodeid, seed=fake.seed,",
        '           message_id=message["MessageId"], receipt_handle=message["ReceiptHandle"])',
    ]
    for number in range(GENERATED):
        name = f"test_fresh_{number:02d}"
        style = number % 3
        lines += ["", ""]
        if style == 0:
            lines += [
                f"def {name}(fake_sqs, request):",
                '    client = boto3.client("sqs", region_name="us-east-1")',
                f'    exercise(fake_sqs, client, "{name}", request)',
            ]
        elif style == 1:
            lines += [
                f"def {name}(fake_sqs, sqs_client, request):",
                f'    exercise(fake_sqs, sqs_client, "{name}", request)',
            ]
        else:
            lines += [
                f"def {name}(request):",
                "    with mock_sqs() as fake:",
                '        client = boto3.client("sqs", region_name="us-east-1")',
                f'        exercise(fake, client, "{name}", request)',
            ]
    return "\n".join(lines) + "\n"


# --- one session fake per xdist worker ---------------------------------------------------------


def session_tests() -> str:
    lines = [
        RECORD,
        "import boto3",
        "",
        "",
        "def names(client):",
        '    return sorted(u.rsplit("/", 1)[1] for u in client.list_queues().get("QueueUrls", []))',
    ]
    for number in range(GENERATED):
        name = f"test_session_{number:02d}"
        lines += [
            "",
            "",
            f"def {name}(fake_sqs_session):",
            '    client = boto3.client("sqs", region_name="us-east-1")',
            f'    client.create_queue(QueueName="q-{number:02d}")',
            f'    record("{name}", queues=names(client), seed=fake_sqs_session.seed)',
        ]
        if number % 10 == 5:
            # A function-scoped fake stacked on the session's one: fresh, and it leaves no
            # trace in the session fake.
            lines += [
                "",
                "",
                f"def test_stacked_{number:02d}(fake_sqs_session, fake_sqs):",
                '    client = boto3.client("sqs", region_name="us-east-1")',
                "    assert names(client) == []",
                '    client.create_queue(QueueName="stacked")',
                '    assert names(client) == ["stacked"]',
            ]
    return "\n".join(lines) + "\n"


# --- no socket while a fake is active ----------------------------------------------------------

OFFLINE = """
    import json
    import socket

    import boto3
    import botocore.session
    import pytest

    SQS_OPERATIONS = sorted(
        botocore.session.get_session().get_service_model("sqs").operation_names
    )


    @pytest.fixture
    def no_network(monkeypatch):
        attempts = []

        def refuse(*args, **kwargs):
            attempts.append(args)
            raise OSError("pytest-fakesqs test: the network must not be used")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        monkeypatch.setattr(socket, "getaddrinfo", refuse)
        yield attempts
        assert attempts == []


    @pytest.mark.fake_sqs(freeze="2024-01-01T00:00:00Z")
    @pytest.mark.parametrize("kind", ["botocore", "boto3"])
    def test_every_operation_offline(fake_sqs, sqs_client, no_network, kind):
        client = sqs_client if kind == "botocore" else boto3.client("sqs", region_name="us-east-1")
        dlq = client.create_queue(QueueName="dlq")["QueueUrl"]
        dlq_arn = client.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})
        url = client.create_queue(QueueName="work", Attributes={"RedrivePolicy": redrive})[
            "QueueUrl"
        ]
        assert client.get_queue_url(QueueName="work")["QueueUrl"] == url
        assert client.list_queues(QueueNamePrefix="w")["QueueUrls"] == [url]
        client.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "10"})
        client.tag_queue(QueueUrl=url, Tags={"team": "a", "env": "b"})
        client.untag_queue(QueueUrl=url, TagKeys=["env"])
        assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "a"}
        client.add_permission(
            QueueUrl=url, Label="l", AWSAccountIds=["111122223333"], Actions=["SendMessage"]
        )
        client.remove_permission(QueueUrl=url, Label="l")

        client.send_message(QueueUrl=url, MessageBody="one")
        batch = client.send_message_batch(
            QueueUrl=url,
            Entries=[{"Id": "a", "MessageBody": "two"}, {"Id": "b", "MessageBody": "three"}],
        )
        assert [entry["Id"] for entry in batch["Successful"]] == ["a", "b"]
        one, two, three = client.receive_message(QueueUrl=url, MaxNumberOfMessages=3)["Messages"]
        assert [one["Body"], two["Body"], three["Body"]] == ["one", "two", "three"]
        client.change_message_visibility(
            QueueUrl=url, ReceiptHandle=one["ReceiptHandle"], VisibilityTimeout=0
        )
        changed = client.change_message_visibility_batch(
            QueueUrl=url,
            Entries=[{"Id": "b", "ReceiptHandle": two["ReceiptHandle"], "VisibilityTimeout": 0}],
        )
        assert changed["Successful"] == [{"Id": "b"}]
        client.delete_message(QueueUrl=url, ReceiptHandle=three["ReceiptHandle"])
        # Received once already (maxReceiveCount 1): this receive moves both to the DLQ.
        assert "Messages" not in client.receive_message(QueueUrl=url)
        assert client.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [url]

        task = client.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)
        [listed] = client.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        assert (listed["Status"], listed["ApproximateNumberOfMessagesToMove"]) == ("RUNNING", 2)
        cancelled = client.cancel_message_move_task(TaskHandle=task["TaskHandle"])
        assert cancelled["ApproximateNumberOfMessagesMoved"] == 0

        dead = client.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10)["Messages"]
        assert sorted(message["Body"] for message in dead) == ["one", "two"]
        deleted = client.delete_message_batch(
            QueueUrl=dlq,
            Entries=[
                {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(dead)
            ],
        )
        assert len(deleted["Successful"]) == 2
        client.purge_queue(QueueUrl=url)
        client.delete_queue(QueueUrl=url)
        client.delete_queue(QueueUrl=dlq)
        assert "QueueUrls" not in client.list_queues()

        assert sorted(set(fake_sqs.calls.operations)) == SQS_OPERATIONS
        assert [call for call in fake_sqs.calls if not call.ok] == []
"""


def test_every_operation_opens_no_socket_in_process(pytester):
    pytester.makepyfile(test_offline=OFFLINE)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=2)
    assert len(SQS_OPERATIONS) == 23


# --- all of it again in xdist workers ---------------------------------------------------------


def ids_of_a_fresh_test(name: str) -> dict[str, Any]:
    """What a generated fresh test records, from a fake seeded by its node id in this process:
    the same calls as its ``exercise`` up to the receive."""
    nodeid = f"test_fresh.py::{name}"
    with mock_sqs(seed=seed_for(nodeid)) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        client.list_queues()
        url = client.create_queue(QueueName="shared")["QueueUrl"]
        client.create_queue(QueueName=f"only-{name}")
        client.send_message(QueueUrl=url, MessageBody=name)
        [message] = client.receive_message(QueueUrl=url)["Messages"]
        return {
            "nodeid": nodeid,
            "seed": fake.seed,
            "message_id": message["MessageId"],
            "receipt_handle": message["ReceiptHandle"],
        }


def check_fresh(records: dict[str, Any]) -> None:
    """Every generated test saw a fresh fake, seeded by its node id: its ids are those of a
    fresh fake with that seed, whichever worker ran it and whatever ran there before."""
    names = [f"test_fresh_{number:02d}" for number in range(GENERATED)]
    assert sorted(records) == names
    for name in names:
        record = dict(records[name])
        assert record.pop("worker") in {"gw0", "gw1", "gw2"}
        assert record == ids_of_a_fresh_test(name)
    assert len({record["seed"] for record in records.values()}) == GENERATED
    assert len({record["message_id"] for record in records.values()}) == GENERATED


def check_sessions(records: dict[str, Any]) -> None:
    """Each worker's session fake holds the queues of that worker's tests, and no others."""
    assert len(records) == GENERATED
    by_worker: dict[str, list[list[str]]] = defaultdict(list)
    own: dict[str, set[str]] = defaultdict(set)
    for name, record in records.items():
        by_worker[record["worker"]].append(record["queues"])
        own[record["worker"]].add(f"q-{name[-2:]}")
    # The session tests come first in collection order, and xdist hands each worker a chunk
    # of consecutive tests to begin with: all three run some.
    assert sorted(by_worker) == ["gw0", "gw1", "gw2"]
    for worker, seen in by_worker.items():
        seen.sort(key=len)
        # Within a worker the session fake keeps what earlier tests made, one more per test...
        assert [len(queues) for queues in seen] == list(range(1, len(seen) + 1))
        for earlier, later in itertools.pairwise(seen):
            assert set(earlier) < set(later)
        # ...and only what that worker's own tests made: no other worker's queue, and none
        # of the stacked function-scoped fakes' "stacked" queues.
        assert set(seen[-1]) == own[worker]
    assert {record["seed"] for record in records.values()} == {seed_for("session")}


def test_xdist_workers_have_fresh_fakes_session_fakes_of_their_own_and_no_sockets(
    pytester, monkeypatch
):
    pytester.makepyfile(
        test_a_session=session_tests(), test_fresh=fresh_tests(), test_offline=OFFLINE
    )
    # One xdist run for all three checks (each run starts four interpreters), with only the
    # plugins under test loaded: the others' imports would double the run's cost.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-p", "fakesqs", "-p", "xdist", "-n", "3", "-v")
    result.assert_outcomes(passed=GENERATED + 3 + GENERATED + 2)
    records = read_records(pytester)

    check_sessions({name: r for name, r in records.items() if name.startswith("test_session")})
    check_fresh({name: r for name, r in records.items() if name.startswith("test_fresh")})
    passed = [
        re.fullmatch(r"\[(gw\d)\] \[ *\d+%\] PASSED test_offline\.py::(\S+)", line.strip())
        for line in result.stdout.lines
    ]
    offline = sorted(match[2] for match in passed if match)
    assert offline == [
        "test_every_operation_offline[boto3]",
        "test_every_operation_offline[botocore]",
    ]


# --- a session-scoped setup, built once per xdist worker and reused ---------------------------

SESSION_SETUP_CONFTEST = """
    import os

    import pytest


    @pytest.fixture(scope="session")
    def catalogue(fake_sqs_session):
        with open("setups.log", "a") as log:
            log.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
        queue = fake_sqs_session.create_queue("catalogue")
        for n in range(100):
            queue.put(f"item {n}")
        return fake_sqs_session.snapshot()


    @pytest.fixture
    def sqs(fake_sqs_session, catalogue):
        fake_sqs_session.restore(catalogue)
        return fake_sqs_session
"""

SESSION_SETUP_TESTS = """
    import boto3
    import pytest


    @pytest.mark.parametrize("n", range(12))
    def test_takes_one_item(sqs, n):
        client = boto3.client("sqs", region_name="us-east-1")
        url = sqs.queue("catalogue").url
        assert len(sqs.queue("catalogue")) == 100
        message = client.receive_message(QueueUrl=url)["Messages"][0]
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        assert len(sqs.queue("catalogue")) == 99
"""


def test_xdist_builds_a_session_setup_once_per_worker_and_every_test_reuses_it(
    pytester, monkeypatch
):
    pytester.makeconftest(SESSION_SETUP_CONFTEST)
    pytester.makepyfile(test_catalogue=SESSION_SETUP_TESTS)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-p", "fakesqs", "-p", "xdist", "-n", "2")
    result.assert_outcomes(passed=12)
    setups = (pytester.path / "setups.log").read_text().split()
    # Each worker built the catalogue once, however many of the 12 tests it ran.
    assert sorted(setups) == ["gw0", "gw1"]
