"""The AWS CLI (v1) against the fake's HTTP server, as a subprocess.

The CLI brings its own botocore, so it lives in a virtual environment of its own: the first
test installs it into .venv-awscli (see toolchains.py), or FAKESQS_AWS_CLI names an ``aws``
executable to use instead.

The test process itself needs only the project and pytest: the fake serves the CLI over HTTP
and is inspected in-process.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from toolchains import aws_cli

pytestmark = pytest.mark.fake_sqs(freeze="2024-05-01T12:00:00Z")

ACCOUNT = "123456789012"
SENT_AT = "1714564800000"  # the frozen clock, in epoch milliseconds
SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"


@pytest.fixture(scope="session")
def aws_executable() -> str:
    return aws_cli()


class AwsCli:
    """Runs `aws sqs ...` against the server, with only the server's AWS settings."""

    def __init__(self, executable: str, server: Any, home: Path) -> None:
        self.executable = executable
        self.endpoint_url = server.endpoint_url
        # Nothing from the developer's own AWS setup: no profile, no config or credentials file.
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
        self.env.update(server.env())
        self.env.update(
            HOME=str(home),
            AWS_CONFIG_FILE=str(home / "no-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(home / "no-credentials"),
        )

    def command(self, *args: str, endpoint_option: bool = True) -> list[str]:
        command = [self.executable, "sqs", *args, "--output", "json"]
        return command + (["--endpoint-url", self.endpoint_url] if endpoint_option else [])

    def run(self, *args: str, endpoint_option: bool = True) -> subprocess.CompletedProcess[str]:
        # real-time: a bound on one CLI process (start-up is about a second), never reached.
        return subprocess.run(
            self.command(*args, endpoint_option=endpoint_option),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def __call__(self, *args: str) -> Any:
        """Run a command that must succeed; its JSON output parsed (None when it prints none)."""
        done = self.run(*args)
        assert (done.returncode, done.stderr) == (0, ""), done
        return json.loads(done.stdout) if done.stdout.strip() else None


@pytest.fixture
def aws(aws_executable, fake_sqs_server, tmp_path) -> AwsCli:
    return AwsCli(aws_executable, fake_sqs_server, tmp_path)


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_env_points_the_cli_at_the_server(fake_sqs_server) -> None:
    env = fake_sqs_server.env()
    assert env["AWS_ENDPOINT_URL_SQS"] == fake_sqs_server.endpoint_url
    assert "AWS_ENDPOINT_URL" not in env
    assert fake_sqs_server.endpoint_url == f"http://127.0.0.1:{fake_sqs_server.port}"


@pytest.mark.fake_sqs(region="eu-west-1")
def test_the_region_comes_from_the_servers_env(aws, fake_sqs_server, fake_sqs) -> None:
    # AWS CLI v1 needs --endpoint-url for SQS: without it, its SSL-common-name customization
    # replaces any configured endpoint (AWS_ENDPOINT_URL_SQS included) by
    # https://{region}.queue.amazonaws.com. Credentials and region come from server.env().
    assert fake_sqs_server.env()["AWS_DEFAULT_REGION"] == "eu-west-1"
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    assert url == f"{fake_sqs_server.endpoint_url}/{ACCOUNT}/jobs"
    assert fake_sqs.queue("jobs", region="eu-west-1").arn == (
        f"arn:aws:sqs:eu-west-1:{ACCOUNT}:jobs"
    )
    [call] = fake_sqs.calls
    assert (call.operation, call.region, call.params) == (
        "CreateQueue",
        "eu-west-1",
        {"QueueName": "jobs"},
    )


def test_queue_lifecycle(aws, fake_sqs_server, fake_sqs) -> None:
    base = f"{fake_sqs_server.endpoint_url}/{ACCOUNT}"
    assert aws("create-queue", "--queue-name", "jobs") == {"QueueUrl": f"{base}/jobs"}
    assert aws(
        "create-queue",
        "--queue-name",
        "jobs-dlq",
        "--attributes",
        "VisibilityTimeout=45,DelaySeconds=5",
    ) == {"QueueUrl": f"{base}/jobs-dlq"}
    assert aws("get-queue-url", "--queue-name", "jobs") == {"QueueUrl": f"{base}/jobs"}
    assert aws("list-queues") == {"QueueUrls": [f"{base}/jobs", f"{base}/jobs-dlq"]}
    assert aws("list-queues", "--queue-name-prefix", "jobs-") == {"QueueUrls": [f"{base}/jobs-dlq"]}

    assert (
        aws(
            "set-queue-attributes",
            "--queue-url",
            f"{base}/jobs",
            "--attributes",
            "VisibilityTimeout=120",
        )
        is None
    )
    assert aws(
        "get-queue-attributes",
        "--queue-url",
        f"{base}/jobs",
        "--attribute-names",
        "VisibilityTimeout",
        "QueueArn",
    ) == {
        "Attributes": {
            "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs",
            "VisibilityTimeout": "120",
        }
    }
    assert aws(
        "get-queue-attributes", "--queue-url", f"{base}/jobs-dlq", "--attribute-names", "All"
    ) == {
        "Attributes": {
            "ApproximateNumberOfMessages": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "ApproximateNumberOfMessagesNotVisible": "0",
            "CreatedTimestamp": "1714564800",
            "DelaySeconds": "5",
            "LastModifiedTimestamp": "1714564800",
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:jobs-dlq",
            "ReceiveMessageWaitTimeSeconds": "0",
            "SqsManagedSseEnabled": "true",
            "VisibilityTimeout": "45",
        }
    }
    assert fake_sqs.queue("jobs").attributes["VisibilityTimeout"] == "120"

    assert aws("delete-queue", "--queue-url", f"{base}/jobs-dlq") is None
    assert [view.name for view in fake_sqs.queues()] == ["jobs"]
    assert fake_sqs.calls.operations == [
        "CreateQueue",
        "CreateQueue",
        "GetQueueUrl",
        "ListQueues",
        "ListQueues",
        "SetQueueAttributes",
        "GetQueueAttributes",
        "GetQueueAttributes",
        "DeleteQueue",
    ]


def test_send_receive_delete(aws, fake_sqs) -> None:
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    attributes = '{"kind": {"DataType": "String", "StringValue": "order"}}'
    sent = aws(
        "send-message",
        "--queue-url",
        url,
        "--message-body",
        '{"order": 1}',
        "--message-attributes",
        attributes,
    )
    stored = fake_sqs.queue("jobs").messages
    assert [m.body for m in stored] == ['{"order": 1}']
    assert sent == {
        "MD5OfMessageBody": md5('{"order": 1}'),
        # The MD5 of {"kind": String "order"} as SQS computes it.
        "MD5OfMessageAttributes": "8cc3ab13200b21b0d17b28c4d98ec74a",
        "MessageId": stored[0].message_id,
    }

    received = aws(
        "receive-message",
        "--queue-url",
        url,
        "--attribute-names",
        "All",
        "--message-attribute-names",
        "All",
    )
    handle = fake_sqs.queue("jobs").messages[0].receipt_handle
    assert received == {
        "Messages": [
            {
                "MessageId": stored[0].message_id,
                "ReceiptHandle": handle,
                "MD5OfBody": md5('{"order": 1}'),
                "Body": '{"order": 1}',
                "Attributes": {
                    "SenderId": SENDER_ID,
                    "SentTimestamp": SENT_AT,
                    "ApproximateReceiveCount": "1",
                    "ApproximateFirstReceiveTimestamp": SENT_AT,
                },
                "MD5OfMessageAttributes": sent["MD5OfMessageAttributes"],
                "MessageAttributes": {"kind": {"StringValue": "order", "DataType": "String"}},
            }
        ]
    }
    # In flight: nothing to receive (the CLI prints nothing for an empty receive).
    assert aws("receive-message", "--queue-url", url) is None

    assert aws("delete-message", "--queue-url", url, "--receipt-handle", handle) is None
    assert [m.message_id for m in fake_sqs.queue("jobs").deleted] == [stored[0].message_id]
    assert fake_sqs.queue("jobs").messages == []


def test_visibility_and_delay_follow_the_fakes_clock(aws, fake_sqs) -> None:
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    aws("send-message", "--queue-url", url, "--message-body", "later", "--delay-seconds", "30")
    assert aws("receive-message", "--queue-url", url) is None

    fake_sqs.advance(30)
    [message] = aws("receive-message", "--queue-url", url)["Messages"]
    assert message["Body"] == "later"
    aws(
        "change-message-visibility",
        "--queue-url",
        url,
        "--receipt-handle",
        message["ReceiptHandle"],
        "--visibility-timeout",
        "60",
    )

    fake_sqs.advance(59)
    assert aws("receive-message", "--queue-url", url) is None
    fake_sqs.advance(1)
    again = aws(
        "receive-message", "--queue-url", url, "--attribute-names", "ApproximateReceiveCount"
    )["Messages"]
    assert [(m["MessageId"], m["Attributes"]) for m in again] == [
        (message["MessageId"], {"ApproximateReceiveCount": "2"})
    ]


def test_long_poll_wakes_on_a_send_from_the_test(aws, fake_sqs, sqs_client) -> None:
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    command = aws.command("receive-message", "--queue-url", url, "--wait-time-seconds", "20")
    with subprocess.Popen(
        command, env=aws.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as poller:
        # Sent in-process, through the botocore hooks, to the queue the CLI polls: whether
        # the poll is already waiting or not, this message is what it returns.
        sqs_client.send_message(QueueUrl=url, MessageBody="wake up")
        # real-time: the CLI's start-up, then an answer as soon as its poll is served.
        stdout, stderr = poller.communicate(timeout=120)
    assert (poller.returncode, stderr) == (0, "")
    [message] = json.loads(stdout)["Messages"]
    assert message["Body"] == "wake up"
    assert fake_sqs.calls.operations == ["CreateQueue", "SendMessage", "ReceiveMessage"]
    assert fake_sqs.queue("jobs").in_flight[0].receive_count == 1


def test_batch_and_purge(aws, fake_sqs) -> None:
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    entries = [
        {"Id": "one", "MessageBody": "first"},
        {"Id": "two", "MessageBody": "second"},
        {"Id": "bad", "MessageBody": "\u0000"},
    ]
    result = aws("send-message-batch", "--queue-url", url, "--entries", json.dumps(entries))
    ids = {m.body: m.message_id for m in fake_sqs.queue("jobs").messages}
    assert result == {
        "Successful": [
            {"Id": "one", "MessageId": ids["first"], "MD5OfMessageBody": md5("first")},
            {"Id": "two", "MessageId": ids["second"], "MD5OfMessageBody": md5("second")},
        ],
        "Failed": [
            {
                "Id": "bad",
                "SenderFault": True,
                "Code": "InvalidMessageContents",
                "Message": (
                    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | "
                    "#x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
                ),
            }
        ],
    }

    assert aws("purge-queue", "--queue-url", url) is None
    assert fake_sqs.queue("jobs").messages == []
    assert sorted(m.body for m in fake_sqs.queue("jobs").purged) == ["first", "second"]


def test_a_queue_that_does_not_exist(aws, fake_sqs_server) -> None:
    done = aws.run("get-queue-url", "--queue-name", "missing")
    # AWS CLI v1 exits 255 on a service error (v2 exits 254).
    assert done.returncode == 255
    assert done.stdout == ""
    assert done.stderr == (
        "\nAn error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the "
        "GetQueueUrl operation: The specified queue does not exist.\n"
    )

    url = f"{fake_sqs_server.endpoint_url}/{ACCOUNT}/missing"
    done = aws.run("send-message", "--queue-url", url, "--message-body", "x")
    assert (done.returncode, done.stdout) == (255, "")
    assert done.stderr == (
        "\nAn error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the "
        "SendMessage operation: The specified queue does not exist.\n"
    )


def test_an_invalid_parameter_value(aws) -> None:
    url = aws("create-queue", "--queue-name", "jobs")["QueueUrl"]
    done = aws.run("receive-message", "--queue-url", url, "--max-number-of-messages", "11")
    assert (done.returncode, done.stdout) == (255, "")
    assert done.stderr == (
        "\nAn error occurred (InvalidParameterValue) when calling the ReceiveMessage "
        "operation: Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.\n"
    )
