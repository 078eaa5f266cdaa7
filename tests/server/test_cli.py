"""``python -m pytest_fakesqs serve`` as other languages' test suites and compose files use it:
preset queues (--queue, --config in JSON and TOML), a frozen clock, seeds, the request log, the
control plane driven from other processes (curl, and boto3 with urllib in a subprocess), the
Dockerfile's command line, and one-line errors with a non-zero exit."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pytest_fakesqs import __main__ as cli
from pytest_fakesqs import __version__
from pytest_fakesqs._server._config import ConfigError, load_queues

ROOT = Path(__file__).resolve().parents[2]
SERVE = [sys.executable, "-m", "pytest_fakesqs", "serve"]
PROG = "python -m pytest_fakesqs serve"
FROZEN = "2024-05-01T12:00:00Z"
FROZEN_EPOCH = 1714564800
#: Real seconds a subprocess may take: a fresh interpreter importing boto3, on a busy machine.
TIMEOUT = 120  # real-time: a hung process fails the test instead of blocking it

ORDERS_TOML = """\
# The compose file's queues: a dead-letter queue first, then the queue that uses it.
[[queues]]
name = "orders-dlq"

[[queues]]
name = "orders"
tags = { team = "shop" }

[queues.attributes]
VisibilityTimeout = 45
RedrivePolicy = { deadLetterTargetArn = "arn:aws:sqs:eu-west-1:111122223333:orders-dlq", \
maxReceiveCount = 3 }
"""


@dataclass
class Server:
    process: subprocess.Popen[str]
    endpoint: str

    def stop(self) -> str:
        """SIGTERM, as docker stop sends; the server's stderr (its request log)."""
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=TIMEOUT) == 0
        assert self.process.stderr is not None
        return self.process.stderr.read()


@contextmanager
def serve(*args: str, command: list[str] = SERVE) -> Iterator[Server]:
    process = subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("pytest-fakesqs serving on http://127.0.0.1:"), (
            line,
            process.stderr.read() if process.stderr else "",
        )
        yield Server(process, line.split()[-1])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=TIMEOUT)  # real-time: reaping a killed child
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(autouse=True)
def _no_serving_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    """cli.main() called in this process stops as soon as it serves, instead of waiting for a
    signal: a case expected to fail that starts serving fails its assertion, not hangs."""
    monkeypatch.setattr(cli, "_run_until", lambda stopping: None)


def curl(*args: str) -> tuple[int, Any]:
    """Run curl (an outside client, as a shell script or CI step uses); (status, JSON body)."""
    done = subprocess.run(
        ["curl", "--silent", "--show-error", "--write-out", "\n%{http_code}", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    body, status = done.stdout.rsplit("\n", 1)
    return int(status), json.loads(body)


def python(script: str, endpoint: str, *args: str) -> Any:
    """Run a Python script in a fresh interpreter, configured like an application in a
    container: the endpoint and dummy credentials from the environment. Its printed JSON."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL_SQS=endpoint,
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="eu-west-1",
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


PRODUCER = """
import boto3, json
sqs = boto3.client("sqs")
urls = sqs.list_queues()["QueueUrls"]
orders = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
attributes = sqs.get_queue_attributes(QueueUrl=orders, AttributeNames=["All"])["Attributes"]
sent = sqs.send_message(QueueUrl=orders, MessageBody="order 1", DelaySeconds=60)
received = sqs.receive_message(QueueUrl=orders)
print(json.dumps({"urls": urls, "attributes": attributes, "id": sent["MessageId"],
                  "received": received.get("Messages", [])}))
"""

# The control plane from Python's standard library, as a non-boto test helper would call it.
CONSUMER = """
import boto3, json, os, sys, urllib.request
endpoint = os.environ["AWS_ENDPOINT_URL_SQS"]
sqs = boto3.client("sqs")
orders = sqs.get_queue_url(QueueName="orders")["QueueUrl"]
with urllib.request.urlopen(endpoint + "/_fakesqs/state") as response:
    before = json.load(response)
received = sqs.receive_message(QueueUrl=orders, MessageSystemAttributeNames=["SentTimestamp"])
print(json.dumps({"before": before, "received": received["Messages"]}))
"""


def test_a_compose_style_server_driven_from_other_processes(tmp_path: Path) -> None:
    config = tmp_path / "queues.toml"
    config.write_text(ORDERS_TOML, encoding="utf-8")

    with serve(
        "--port", "0", "--region", "eu-west-1", "--account-id", "111122223333",
        "--freeze", FROZEN, "--seed", "7", "--config", str(config),
        "--queue", "events.fifo", "--queue", "audit", "--log-requests",
    ) as server:  # fmt: skip
        endpoint = server.endpoint
        base = f"{endpoint}/111122223333"
        assert curl(f"{endpoint}/_fakesqs/health") == (200, {"status": "ok"})

        produced = python(PRODUCER, endpoint)
        assert produced["urls"] == [
            f"{base}/audit", f"{base}/events.fifo", f"{base}/orders", f"{base}/orders-dlq",
        ]  # fmt: skip
        assert produced["attributes"]["RedrivePolicy"] == (
            '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:111122223333:orders-dlq",'
            '"maxReceiveCount":3}'
        )
        assert produced["attributes"]["VisibilityTimeout"] == "45"
        assert produced["attributes"]["CreatedTimestamp"] == str(FROZEN_EPOCH)
        assert produced["received"] == []  # delayed 60 s on a clock that does not run

        assert curl("-X", "POST", f"{endpoint}/_fakesqs/advance", "-d", '{"seconds": 60}') == (
            200,
            {"now": "2024-05-01T12:01:00Z", "time": FROZEN_EPOCH + 60},
        )
        consumed = python(CONSUMER, endpoint)
        [message] = consumed["received"]
        assert (message["MessageId"], message["Body"]) == (produced["id"], "order 1")
        assert message["Attributes"] == {"SentTimestamp": str(FROZEN_EPOCH * 1000)}
        orders = next(q for q in consumed["before"]["queues"] if q["name"] == "orders")
        assert orders["tags"] == {"team": "shop"}
        assert [(m["body"], m["state"], m["receive_count"]) for m in orders["messages"]] == [
            ("order 1", "visible", 0)
        ]
        events = next(q for q in consumed["before"]["queues"] if q["name"] == "events.fifo")
        assert (events["fifo"], events["attributes"]["FifoQueue"]) == (True, "true")

        status, reset = curl("-X", "POST", f"{endpoint}/_fakesqs/reset")
        assert (status, reset["queues"]) == (200, produced["urls"])
        status, state = curl(f"{endpoint}/_fakesqs/state")
        assert [(q["name"], q["messages"]) for q in state["queues"]] == [
            ("audit", []), ("events.fifo", []), ("orders", []), ("orders-dlq", []),
        ]  # fmt: skip
        assert state["now"] == "2024-05-01T12:01:00Z"  # a reset leaves the clock alone

        log = server.stop()

    assert log.splitlines() == [
        "2024-05-01T12:00:00.000Z GET /_fakesqs/health 200 ok",
        "2024-05-01T12:00:00.000Z ListQueues - 200 ok",
        "2024-05-01T12:00:00.000Z GetQueueUrl orders 200 ok",
        "2024-05-01T12:00:00.000Z GetQueueAttributes orders 200 ok",
        "2024-05-01T12:00:00.000Z SendMessage orders 200 ok",
        "2024-05-01T12:00:00.000Z ReceiveMessage orders 200 ok (0 messages)",
        "2024-05-01T12:01:00.000Z POST /_fakesqs/advance 200 ok",
        "2024-05-01T12:01:00.000Z GetQueueUrl orders 200 ok",
        "2024-05-01T12:01:00.000Z GET /_fakesqs/state 200 ok",
        "2024-05-01T12:01:00.000Z ReceiveMessage orders 200 ok (1 message)",
        "2024-05-01T12:01:00.000Z POST /_fakesqs/reset 200 ok",
        "2024-05-01T12:01:00.000Z GET /_fakesqs/state 200 ok",
    ]


SEND_ONE = """
import boto3, json
sqs = boto3.client("sqs")
url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
print(json.dumps(sqs.send_message(QueueUrl=url, MessageBody="x")["MessageId"]))
"""


def test_a_seed_repeats_the_ids_of_a_run() -> None:
    ids = []
    for seed in ("7", "7", "8"):
        with serve("--port", "0", "--seed", seed) as server:
            ids.append(python(SEND_ONE, server.endpoint))
            assert server.stop() == ""  # no request log unless asked for

    assert ids[0] == ids[1] != ids[2]


def test_a_json_config(tmp_path: Path) -> None:
    config = tmp_path / "queues.json"
    config.write_text(
        json.dumps(
            {
                "queues": [
                    {"name": "jobs", "attributes": {"DelaySeconds": 5}, "tags": {"a": "b"}},
                    {"name": "jobs.fifo", "attributes": {"ContentBasedDeduplication": True}},
                    {"name": "elsewhere", "region": "ap-south-1"},
                ]
            }
        ),
        encoding="utf-8",
    )

    with serve("--port", "0", "--config", str(config)) as server:
        status, state = curl(f"{server.endpoint}/_fakesqs/state")
        assert status == 200
        server.stop()

    queues = {q["name"]: q for q in state["queues"]}
    assert [(q["name"], q["region"]) for q in state["queues"]] == [
        ("elsewhere", "ap-south-1"), ("jobs", "us-east-1"), ("jobs.fifo", "us-east-1"),
    ]  # fmt: skip
    assert (queues["jobs"]["attributes"]["DelaySeconds"], queues["jobs"]["tags"]) == (
        "5",
        {"a": "b"},
    )
    assert queues["jobs.fifo"]["attributes"]["ContentBasedDeduplication"] == "true"


def test_the_dockerfile_command_line() -> None:
    """The image's ENTRYPOINT, CMD and HEALTHCHECK, run as written, without docker (CI has
    none): only the interpreter is this one, and --port 0 is added (argparse's last one wins,
    as `docker run IMAGE --port ...` would do) so parallel runs do not collide."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = dict(
        re.findall(r"^(ENTRYPOINT|CMD|HEALTHCHECK[^\n]*\\\n\s*CMD) (\[.*\])$", dockerfile, re.M)
    )
    entrypoint = json.loads(instructions["ENTRYPOINT"])
    command = json.loads(instructions["CMD"])
    [health_key] = [key for key in instructions if key.startswith("HEALTHCHECK")]
    healthcheck = json.loads(instructions[health_key])
    assert entrypoint[:4] == ["python", "-m", "pytest_fakesqs", "serve"]
    assert entrypoint[4:] == ["--host", "0.0.0.0", "--port", "9324"]
    assert "EXPOSE 9324" in dockerfile
    assert re.search(r"^COPY \*\.whl /tmp/$", dockerfile, re.M)

    with serve(*command, "--port", "0", command=[sys.executable, *entrypoint[1:]]) as server:
        port = server.endpoint.rsplit(":", 1)[1]
        probe = [sys.executable, *healthcheck[1:]]
        probe[-1] = probe[-1].replace("9324", port)
        assert healthcheck[0] == "python"
        assert subprocess.run(probe, timeout=TIMEOUT, check=False).returncode == 0
        log = server.stop()

    assert log.endswith(" GET /_fakesqs/health 200 ok\n")  # CMD's --log-requests


# --- options: help, version ------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--version"], ["serve", "--version"]):
        with pytest.raises(SystemExit) as excinfo:
            cli.main(argv)
        assert excinfo.value.code == 0
        assert capsys.readouterr() == (f"pytest-fakesqs {__version__}\n", "")


def test_help_shows_every_option_and_its_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["serve", "--help"])

    assert excinfo.value.code == 0
    out = capsys.readouterr().out
    # Each option's entry: from its line to the next option's.
    entries = {
        " ".join(entry.split()[:2]): " ".join(entry.split())
        for entry in re.split(r"\n  (?=-)", out.split("options:", 1)[1])
    }
    for option, default in [
        ("--host HOST", "(default: 127.0.0.1)"),
        ("--port PORT", "(default: 9324)"),
        ("--region REGION", "(default: us-east-1)"),
        ("--account-id ACCOUNT_ID", "(default: 123456789012)"),
        ("--seed N", "(default: a random seed)"),
        ("--freeze ISO8601|EPOCH", "(default: the clock runs, from now)"),
        ("--queue NAME", "(default: none)"),
        ("--config FILE", "(default: none)"),
        ("--log-requests", "(default: off)"),
    ]:
        entry = entries[option] if option in entries else entries[option.split()[0] + " write"]
        assert entry.endswith(default), entry
    text = " ".join(out.split())
    for endpoint in ("POST /_fakesqs/advance", "POST /_fakesqs/reset", "GET /_fakesqs/state"):
        assert endpoint in text


# --- errors: one line, non-zero exit ---------------------------------------------------------


def test_an_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["serve", "--nope"])

    assert excinfo.value.code == 2
    assert capsys.readouterr() == (
        "",
        "python -m pytest_fakesqs: error: unrecognized arguments: --nope (see --help)\n",
    )


def test_an_error_is_one_line_and_a_non_zero_exit_in_a_real_process() -> None:
    done = subprocess.run(
        [*SERVE, "--freeze", "yesterday"], capture_output=True, text=True, timeout=TIMEOUT
    )

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{PROG}: error: argument --freeze: 'yesterday' is neither an ISO 8601 date and time "
        "(2024-05-01T12:00:00Z) nor seconds since the epoch (see --help)\n"
    )


NOT_A_PORT = "is not a port number (0 to 65535) (see --help)"
NOT_A_MOMENT = (
    "is neither an ISO 8601 date and time (2024-05-01T12:00:00Z) nor seconds since the epoch "
    "(see --help)"
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--port", "70000"], f"argument --port: '70000' {NOT_A_PORT}", id="port-big"),
        pytest.param(["--port", "-1"], f"argument --port: '-1' {NOT_A_PORT}", id="port-negative"),
        pytest.param(["--port", "http"], f"argument --port: 'http' {NOT_A_PORT}", id="port-word"),
        pytest.param(
            ["--seed", "x"], "argument --seed: invalid int value: 'x' (see --help)", id="seed"
        ),
        pytest.param(
            ["--freeze", "2024-13-01"],
            f"argument --freeze: '2024-13-01' {NOT_A_MOMENT}",
            id="freeze",
        ),
        pytest.param(
            ["--freeze", "nan"], f"argument --freeze: 'nan' {NOT_A_MOMENT}", id="freeze-nan"
        ),
        pytest.param(
            ["--freeze", "1e300"], f"argument --freeze: '1e300' {NOT_A_MOMENT}", id="freeze-huge"
        ),
    ],
)
def test_bad_options(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as excinfo:
        cli.main(["serve", *args])

    assert excinfo.value.code == 2
    assert capsys.readouterr() == ("", f"{PROG}: error: {message}\n")


NOT_JSON = "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
NOT_UTF8 = "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"
NO_QUEUES_LIST = 'the file holds a table with a "queues" list'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("q.json", "{", f"q.json is not valid JSON: {NOT_JSON}", id="bad-json"),
        pytest.param(
            "q.toml",
            "[[queues]\nname = 1",
            "q.toml is not valid TOML: Expected ']]' at the end of an array declaration "
            "(at line 1, column 9)",
            id="bad-toml",
        ),
        pytest.param(
            "q.yaml",
            "queues: []",
            "q.yaml: a config file is JSON (.json) or TOML (.toml)",
            id="other-suffix",
        ),
        pytest.param("q.json", "[]", f"q.json: {NO_QUEUES_LIST}", id="not-a-table"),
        pytest.param(
            "q.json", '{"queues": {"name": "a"}}', f"q.json: {NO_QUEUES_LIST}", id="not-a-list"
        ),
        pytest.param(
            "q.toml",
            "seed = 1\nqueues = []",
            "q.toml: unknown keys ['seed']; the only key is \"queues\"",
            id="unknown-key",
        ),
        pytest.param(
            "q.json",
            '{"queues": [{"name": "a", "colour": "red"}]}',
            "q.json: queues=: unknown keys ['colour'] in "
            "{'region': 'us-east-1', 'name': 'a', 'colour': 'red'}",
            id="unknown-queue-key",
        ),
        pytest.param(
            "q.json",
            '{"queues": [7]}',
            "q.json: queues=: each queue is a name or a dict with 'name', got 7",
            id="queue-not-a-table",
        ),
        pytest.param("q.json", b"\xff", f"q.json is not UTF-8 text: {NOT_UTF8}", id="not-utf8"),
    ],
)
def test_bad_config_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    if isinstance(content, bytes):
        Path(name).write_bytes(content)
    else:
        Path(name).write_text(content, encoding="utf-8")

    assert cli.main(["serve", "--config", name]) == 2
    assert capsys.readouterr() == ("", f"{PROG}: error: --config: {message}\n")


def test_a_missing_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    assert cli.main(["serve", "--config", "absent.toml"]) == 2
    assert capsys.readouterr().err == (
        f"{PROG}: error: --config: cannot read absent.toml: No such file or directory\n"
    )


NO_DEAD_LETTER_QUEUE = (
    "cannot create the queue 'orders': InvalidParameterValueException: Value "
    '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq","maxReceiveCount":3}'
    " for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist."
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--queue", "ok", "--queue", "no spaces"],
            "cannot create the queue 'no spaces': InvalidParameterValueException: Can only "
            "include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
            id="bad-name",
        ),
        pytest.param(["--config", "redrive.json"], NO_DEAD_LETTER_QUEUE, id="no-dlq"),
        # --queue ones come after the --config ones: too late for a dead-letter queue.
        pytest.param(
            ["--config", "redrive.json", "--queue", "orders-dlq"],
            NO_DEAD_LETTER_QUEUE,
            id="dlq-after-its-source",
        ),
    ],
)
def test_queues_sqs_would_refuse(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    redrive = {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq",
        "maxReceiveCount": 3,
    }
    orders = {"name": "orders", "attributes": {"RedrivePolicy": redrive}}
    Path("redrive.json").write_text(json.dumps({"queues": [orders]}), encoding="utf-8")

    assert cli.main(["serve", "--port", "0", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"{PROG}: error: {message}\n"


def test_a_port_already_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        assert cli.main(["serve", "--port", str(port)]) == 1

    assert capsys.readouterr() == (
        "",
        f"{PROG}: error: cannot listen on 127.0.0.1:{port}: Address already in use\n",
    )


def test_toml_needs_python_3_11(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "q.toml"
    config.write_text('[[queues]]\nname = "a"\n', encoding="utf-8")
    assert load_queues(config, "us-east-1") == [{"region": "us-east-1", "name": "a"}]
    monkeypatch.setattr(sys, "version_info", (3, 10, 14, "final", 0))

    with pytest.raises(ConfigError) as excinfo:
        load_queues(config, "us-east-1")

    assert str(excinfo.value) == (
        f"{config}: TOML config files need Python 3.11 or later (tomllib); on Python 3.10, "
        "write the same content as JSON"
    )


def test_the_docs_command_lines_parse() -> None:
    """The `python -m pytest_fakesqs serve ...` lines of docs/server.md and README.md are
    valid command lines."""
    for page in (ROOT / "docs" / "server.md", ROOT / "README.md"):
        text = page.read_text(encoding="utf-8").replace("\\\n", " ")
        commands = re.findall(r"^python -m pytest_fakesqs serve( [^\n]*)$", text, re.MULTILINE)
        assert commands, page
        for command in commands:
            words = shlex.split(command, comments=True)
            assert cli._parser().parse_args(["serve", *words]).command == "serve"


def test_a_frozen_server_s_clock_moves_only_when_told() -> None:
    """A long poll that runs its wait out (in real time) leaves a frozen clock alone; the
    control plane moves it."""
    script = """
import boto3, json, sys
sqs = boto3.client("sqs")
url = sqs.get_queue_url(QueueName="jobs")["QueueUrl"]
empty = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)  # real-time: a 1-second poll
sqs.send_message(QueueUrl=url, MessageBody="after the poll")
[message] = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["SentTimestamp"])[
    "Messages"]
sent = message["Attributes"]["SentTimestamp"]
print(json.dumps({"empty": "Messages" not in empty, "sent": sent}))
"""
    with serve(
        "--port", "0", "--region", "eu-west-1", "--freeze", FROZEN, "--queue", "jobs"
    ) as server:
        first = python(script, server.endpoint)
        status, moved = curl(
            "-X", "POST", "-d", '{"seconds": 30}', server.endpoint + "/_fakesqs/advance"
        )
        server.stop()

    assert first == {"empty": True, "sent": str(FROZEN_EPOCH * 1000)}
    assert (status, moved["time"]) == (200, FROZEN_EPOCH + 30)
