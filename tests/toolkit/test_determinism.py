"""Seeds: the same seed gives the same ids in any fake, process or run; tests seed themselves.

Every id the fake makes (message ids, receipt handles, request ids, FIFO sequence numbers, move
task handles) comes from one seeded stream and never from the clock. Under pytest an unseeded
fake takes a stable seed from its test's node id (``pytest_fakesqs._ids.seed_for``), so a
failing test repeats its ids; ``--fakesqs-seed`` overrides that; outside pytest it is random.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_fakesqs import mock_sqs
from pytest_fakesqs._ids import seed_for

HERE = Path(__file__).resolve().parent
REDRIVE_TO_DLQ = json.dumps(
    {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq", "maxReceiveCount": 1}
)


def scenario(seed: int | None, freeze: str | None = None) -> dict[str, Any]:
    """Every kind of id one small workload produces, with ``mock_sqs(seed=..., freeze=...)``.

    Also run in a separate Python process (see ``_in_another_process``): keep it free of
    anything but the fake and boto3.
    """
    with mock_sqs(seed=seed, freeze=freeze) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        jobs = client.create_queue(QueueName="jobs")["QueueUrl"]
        message_ids = [
            client.send_message(QueueUrl=jobs, MessageBody=f"m{i}")["MessageId"] for i in range(3)
        ]
        batch = client.send_message_batch(
            QueueUrl=jobs, Entries=[{"Id": str(i), "MessageBody": f"b{i}"} for i in range(2)]
        )
        message_ids += [entry["MessageId"] for entry in batch["Successful"]]
        receipt_handles = [
            message["ReceiptHandle"]
            for _ in range(2)
            for message in client.receive_message(
                QueueUrl=jobs, MaxNumberOfMessages=10, VisibilityTimeout=0
            )["Messages"]
        ]

        fifo = client.create_queue(
            QueueName="jobs.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        sequence_numbers = [
            client.send_message(QueueUrl=fifo, MessageBody=f"f{i}", MessageGroupId="g")[
                "SequenceNumber"
            ]
            for i in range(3)
        ]
        fifo_batch = client.send_message_batch(
            QueueUrl=fifo,
            Entries=[
                {"Id": str(i), "MessageBody": f"fb{i}", "MessageGroupId": "h"} for i in range(2)
            ],
        )
        sequence_numbers += [entry["SequenceNumber"] for entry in fifo_batch["Successful"]]

        client.create_queue(QueueName="dlq")
        source = client.create_queue(
            QueueName="source",
            Attributes={"VisibilityTimeout": "0", "RedrivePolicy": REDRIVE_TO_DLQ},
        )["QueueUrl"]
        client.send_message(QueueUrl=source, MessageBody="poison")
        for _ in range(2):  # the second receive moves it to the dead-letter queue
            client.receive_message(QueueUrl=source)
        task_handle = client.start_message_move_task(
            SourceArn="arn:aws:sqs:us-east-1:123456789012:dlq"
        )["TaskHandle"]

        request_ids = [
            call.response["ResponseMetadata"]["RequestId"]
            for call in fake.calls
            if call.response is not None
        ]
        return {
            "seed": fake.seed,
            "message_ids": message_ids,
            "receipt_handles": receipt_handles,
            "sequence_numbers": sequence_numbers,
            "task_handle": task_handle,
            "request_ids": request_ids,
        }


def _all_ids(result: dict[str, Any]) -> set[str]:
    return {
        *result["message_ids"],
        *result["receipt_handles"],
        *result["sequence_numbers"],
        result["task_handle"],
        *result["request_ids"],
    }


# --- one process ------------------------------------------------------------------------------


def test_the_scenario_makes_every_kind_of_id():
    result = scenario(7, freeze="2024-01-01T00:00:00Z")

    assert result["seed"] == 7
    assert len(set(result["message_ids"])) == 5
    assert len(set(result["receipt_handles"])) == 10
    assert len(set(result["sequence_numbers"])) == 5
    assert len(set(result["request_ids"])) == len(result["request_ids"]) == 18
    numbers = [int(number) for number in result["sequence_numbers"]]
    assert numbers == sorted(numbers)
    assert all(len(number) == 20 for number in result["sequence_numbers"])


def test_the_same_seed_gives_the_same_ids_in_two_fakes_of_one_process():
    first = scenario(7, freeze="2024-01-01T00:00:00Z")

    assert scenario(7, freeze="2024-01-01T00:00:00Z") == first


def test_ids_do_not_depend_on_the_clock():
    # Different frozen instants, and a clock that is not frozen at all.
    frozen_early = scenario(7, freeze="2020-02-29T00:00:00Z")

    assert scenario(7, freeze="2031-07-01T12:34:56Z") == frozen_early
    assert scenario(7) == frozen_early


def test_different_seeds_give_different_ids():
    first = scenario(7)
    other = scenario(8)

    assert other["seed"] == 8
    for kind in ("message_ids", "receipt_handles", "sequence_numbers", "request_ids"):
        assert set(first[kind]).isdisjoint(other[kind]), kind
    assert first["task_handle"] != other["task_handle"]


def test_the_same_seed_in_another_account_gives_the_same_message_and_request_ids():
    def ids(account_id: str) -> tuple[list[str], str]:
        with mock_sqs(seed=5, account_id=account_id):
            client = boto3.client("sqs", region_name="us-east-1")
            url = client.create_queue(QueueName="jobs")["QueueUrl"]
            sent = client.send_message(QueueUrl=url, MessageBody="x")
            return [sent["MessageId"]], sent["ResponseMetadata"]["RequestId"]

    assert ids("111111111111") == ids("222222222222")


# --- separate processes -------------------------------------------------------------------------

_PROGRAM = """
import json, sys
sys.path.insert(0, sys.argv[1])
from test_determinism import scenario
print(json.dumps({"7": scenario(7), "8": scenario(8), "unseeded": scenario(None)}))
"""


def _environment_outside_pytest() -> dict[str, str]:
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")
    }
    environment.pop("PYTHONHASHSEED", None)
    return environment


def _in_another_process() -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(HERE)],
        capture_output=True,
        text=True,
        env=_environment_outside_pytest(),
        timeout=120,  # real-time: a guard against a hung child, never reached normally
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


@pytest.fixture(scope="module")
def two_processes() -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario with seeds 7, 8 and none, each in two separate Python processes, one after
    the other: their real clocks differ."""
    return _in_another_process(), _in_another_process()


def test_the_same_seed_gives_the_same_ids_in_two_processes(two_processes):
    first, second = two_processes

    assert second["7"] == first["7"]
    assert second["8"] == first["8"]


def test_another_process_gives_the_ids_of_this_one(two_processes):
    first, _ = two_processes

    assert first["7"] == scenario(7, freeze="2024-01-01T00:00:00Z")
    assert first["8"] == scenario(8)


def test_fifo_sequence_numbers_match_across_processes_although_their_clocks_differ(
    two_processes,
):
    first, second = two_processes

    assert second["7"]["sequence_numbers"] == first["7"]["sequence_numbers"]
    assert set(first["7"]["sequence_numbers"]).isdisjoint(first["8"]["sequence_numbers"])


def test_different_seeds_give_different_ids_in_another_process(two_processes):
    first, _ = two_processes

    assert _all_ids(first["7"]).isdisjoint(_all_ids(first["8"]))


def test_mock_sqs_outside_pytest_picks_a_random_seed(two_processes):
    first, second = two_processes

    assert first["unseeded"]["seed"] != second["unseeded"]["seed"]
    assert _all_ids(first["unseeded"]).isdisjoint(_all_ids(second["unseeded"]))
    # The seed it picked repeats its run.
    replay = scenario(first["unseeded"]["seed"])
    assert replay == first["unseeded"]


# --- default seeding under pytest ---------------------------------------------------------------

SEED_TESTS = """
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_fakesqs import mock_sqs


def _ids(fake):
    client = boto3.client("sqs", region_name="us-east-1")
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    sent = client.send_message(QueueUrl=url, MessageBody="x")
    [received] = client.receive_message(QueueUrl=url)["Messages"]
    return [fake.seed, sent["MessageId"], received["ReceiptHandle"],
            sent["ResponseMetadata"]["RequestId"]]


def _show(kind, request, fake):
    with open("shown.jsonl", "a") as shown:
        print(json.dumps([kind, request.node.nodeid, _ids(fake)]), file=shown)


def test_fixture_one(fake_sqs, request):
    _show("fixture", request, fake_sqs)


def test_fixture_two(fake_sqs, request):
    _show("fixture", request, fake_sqs)


def test_mock_sqs_one(request):
    with mock_sqs() as fake:
        _show("mock_sqs", request, fake)


def test_mock_sqs_two(request):
    with mock_sqs() as fake:
        _show("mock_sqs", request, fake)


@pytest.mark.fake_sqs(seed=5)
def test_marker_seed(fake_sqs, request):
    _show("marker", request, fake_sqs)


@pytest.mark.parametrize("case", ["plain", "with (parens)"])
def test_parametrized(fake_sqs, request, case):
    _show("fixture", request, fake_sqs)
    with mock_sqs() as fake:
        _show("mock_sqs", request, fake)
"""


def _run_seed_tests(pytester: pytest.Pytester, *args: str) -> list[tuple[str, str, list[Any]]]:
    """Run SEED_TESTS and return what each test showed: (kind, node id, ids), in order."""
    if not (pytester.path / "test_seeds.py").exists():
        pytester.makepyfile(test_seeds=SEED_TESTS)
    shown_file = pytester.path / "shown.jsonl"
    shown_file.unlink(missing_ok=True)
    pytester.runpytest(*args).assert_outcomes(passed=7)
    shown = [json.loads(line) for line in shown_file.read_text().splitlines()]
    return [(kind, nodeid, ids) for kind, nodeid, ids in shown]


Shown = list[tuple[str, str, list[Any]]]


def _seeds(shown: Shown, kind: str) -> list[int]:
    return [ids[0] for shown_kind, _, ids in shown if shown_kind == kind]


def test_two_runs_of_a_test_file_give_the_same_ids(pytester):
    first = _run_seed_tests(pytester)

    assert _run_seed_tests(pytester) == first
    assert [(kind, nodeid) for kind, nodeid, _ in first] == [
        ("fixture", "test_seeds.py::test_fixture_one"),
        ("fixture", "test_seeds.py::test_fixture_two"),
        ("mock_sqs", "test_seeds.py::test_mock_sqs_one"),
        ("mock_sqs", "test_seeds.py::test_mock_sqs_two"),
        ("marker", "test_seeds.py::test_marker_seed"),
        ("fixture", "test_seeds.py::test_parametrized[plain]"),
        ("mock_sqs", "test_seeds.py::test_parametrized[plain]"),
        ("fixture", "test_seeds.py::test_parametrized[with (parens)]"),
        ("mock_sqs", "test_seeds.py::test_parametrized[with (parens)]"),
    ]


def test_an_unseeded_fake_is_seeded_with_the_stable_hash_of_its_node_id(pytester):
    shown = _run_seed_tests(pytester)

    for kind, nodeid, ids in shown:
        if kind != "marker":
            assert ids[0] == seed_for(nodeid), (kind, nodeid)
    # So two tests get different seeds and ids; mock_sqs() in a test gets its fixture's.
    unseeded = [ids for kind, _, ids in shown if kind != "marker"]
    assert len({ids[0] for ids in unseeded}) == len({ids[1] for ids in unseeded}) == 6
    assert shown[5][2] == shown[6][2]
    assert shown[7][2] == shown[8][2]
    assert _seeds(shown, "marker") == [5]


def test_the_stable_hash_is_the_first_eight_bytes_of_the_node_ids_sha256():
    # Pinned: a change here changes the ids of every unseeded test of every user.
    assert seed_for("test_seeds.py::test_fixture_one") == 8439596704169876042
    assert seed_for("") == 0xE3B0C44298FC1C14


def test_the_marker_seed_wins_over_the_command_line_and_gives_mock_sqs_seed_ids(pytester):
    shown = _run_seed_tests(pytester, "--fakesqs-seed", "42")

    [marker] = [ids for kind, _, ids in shown if kind == "marker"]
    with mock_sqs(seed=5) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        sent = client.send_message(QueueUrl=url, MessageBody="x")
        [received] = client.receive_message(QueueUrl=url)["Messages"]
        expected = [
            fake.seed,
            sent["MessageId"],
            received["ReceiptHandle"],
            sent["ResponseMetadata"]["RequestId"],
        ]
    assert marker == expected


def test_the_command_line_seed_applies_to_unseeded_fixtures(pytester):
    shown = _run_seed_tests(pytester, "--fakesqs-seed", "42")

    fixture_runs = [ids for kind, _, ids in shown if kind == "fixture"]
    assert _seeds(shown, "fixture") == [42, 42, 42, 42]
    # The same seed in every test: the same ids in every test.
    assert all(ids == fixture_runs[0] for ids in fixture_runs)


def test_a_random_command_line_seed_differs_between_runs(pytester):
    first = _run_seed_tests(pytester, "--fakesqs-seed", "random")
    second = _run_seed_tests(pytester, "--fakesqs-seed", "random")

    assert len(set(_seeds(first, "fixture"))) == 4
    assert set(_seeds(first, "fixture")).isdisjoint(_seeds(second, "fixture"))
    assert _seeds(first, "marker") == _seeds(second, "marker") == [5]


def test_the_command_line_seed_reaches_mock_sqs_in_a_test(pytester):
    # Documented (docs/determinism.md): --fakesqs-seed applies to every unseeded fake.
    shown = _run_seed_tests(pytester, "--fakesqs-seed", "42")

    assert _seeds(shown, "mock_sqs") == [42, 42, 42, 42]


def test_a_random_command_line_seed_reaches_mock_sqs_in_a_test(pytester):
    first = _run_seed_tests(pytester, "--fakesqs-seed", "random")
    second = _run_seed_tests(pytester, "--fakesqs-seed", "random")

    assert len(set(_seeds(first, "mock_sqs"))) == 4
    assert set(_seeds(first, "mock_sqs")).isdisjoint(_seeds(second, "mock_sqs"))


def test_a_command_line_seed_may_be_negative(pytester):
    pytester.makepyfile(
        test_negative="""
        def test_it(fake_sqs):
            assert fake_sqs.seed == -3
        """
    )

    pytester.runpytest("--fakesqs-seed", "-3").assert_outcomes(passed=1)


@pytest.mark.parametrize("value", ["abc", "4.2"])
def test_a_bad_command_line_seed_is_a_usage_error(pytester, value):
    pytester.makepyfile(
        test_any="""
        def test_without_the_fake():
            pass

        def test_with_the_fake(fake_sqs):
            pass
        """
    )

    result = pytester.runpytest("--fakesqs-seed", value)

    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: --fakesqs-seed takes an int or 'random', got {value!r}"])


def test_module_and_session_fixtures_are_seeded_from_their_scope(pytester):
    pytester.makepyfile(
        test_scopes="""
        from pytest_fakesqs._ids import seed_for

        def test_module(fake_sqs_module):
            assert fake_sqs_module.seed == seed_for("test_scopes.py")

        def test_session(fake_sqs_session):
            assert fake_sqs_session.seed == seed_for("session")
        """
    )

    pytester.runpytest().assert_outcomes(passed=2)


def test_an_injected_error_draws_its_request_id_from_the_same_stream():
    def request_ids(fail_first: bool) -> list[str]:
        with mock_sqs(seed=9) as fake:
            client = boto3.client("sqs", region_name="us-east-1")
            url = client.create_queue(QueueName="jobs")["QueueUrl"]
            if fail_first:
                fake.fail_next("SendMessage", "InternalError")
            found = []
            for _ in range(2):
                try:
                    sent = client.send_message(QueueUrl=url, MessageBody="x")
                except ClientError as error:
                    sent = error.response
                found.append(sent["ResponseMetadata"]["RequestId"])
            return found

    failed_first = request_ids(True)
    assert request_ids(True) == failed_first
    # The failed call drew its request id where a successful one would have.
    assert failed_first[0] == request_ids(False)[0]
