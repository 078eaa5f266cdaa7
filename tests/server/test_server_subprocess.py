"""Clients in other processes: boto3 (JSON protocol) over the wire, and the standalone
``python -m pytest_fakesqs serve``. botocore in this process never reaches the server (the
plugin's hooks answer it first), so real SDK traffic is tested from subprocesses."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys

from pytest_fakesqs import FakeSQS, FakeSQSServer

PRODUCER = """
import boto3, os
client = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL_SQS"])
url = client.create_queue(QueueName="jobs")["QueueUrl"]
client.send_message(QueueUrl=url, MessageBody="now")
client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=30,
    MessageAttributes={"blob": {"DataType": "Binary", "BinaryValue": b"\\x00\\xff"}})
try:
    client.get_queue_url(QueueName="missing")
except client.exceptions.QueueDoesNotExist as error:
    print(error.response["Error"]["Code"])
print(url)
"""

CONSUMER = """
import boto3, json, os
client = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL_SQS"])
url = client.get_queue_url(QueueName="jobs")["QueueUrl"]
messages = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
    MessageAttributeNames=["All"])["Messages"]
print(json.dumps([[m["Body"], m.get("MessageAttributes", {}).get("blob", {})
    .get("BinaryValue", b"").hex()] for m in messages]))
"""


SERVE = [sys.executable, "-m", "pytest_fakesqs", "serve"]
OPTIONS = ["--region", "eu-west-1", "--account-id", "111122223333"]


def run(script: str, server: FakeSQSServer) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **server.env()},
        capture_output=True,
        text=True,
        timeout=120,  # real-time: a fresh interpreter importing boto3
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_boto3_subprocess_shares_the_fake_and_its_clock(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    output = run(PRODUCER, fake_sqs_server)
    assert output == [
        "AWS.SimpleQueueService.NonExistentQueue",
        f"{fake_sqs_server.endpoint_url}/123456789012/jobs",
    ]
    jobs = fake_sqs.queue("jobs")
    assert [m.body for m in jobs.visible] == ["now"]
    assert [m.body for m in jobs.delayed] == ["later"]
    fake_sqs.advance(30)
    assert json.loads(run(CONSUMER, fake_sqs_server)[0]) == [["now", ""], ["later", "00ff"]]


def test_standalone_server_runs_until_sigterm() -> None:
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--seed", "7", *OPTIONS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("pytest-fakesqs serving on http://127.0.0.1:")
        endpoint = line.split()[-1]
        port = int(endpoint.rsplit(":", 1)[1])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(
            "POST",
            "/",
            body=json.dumps({"QueueName": "solo"}),
            headers={"X-Amz-Target": "AmazonSQS.CreateQueue"},
        )
        response = connection.getresponse()
        assert json.loads(response.read()) == {"QueueUrl": f"{endpoint}/111122223333/solo"}
        connection.request(
            "POST",
            "/111122223333/solo",
            body="Action=GetQueueAttributes&AttributeName.1=QueueArn",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        body = connection.getresponse().read().decode()
        assert "<Value>arn:aws:sqs:eu-west-1:111122223333:solo</Value>" in body
        connection.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0  # real-time: the server's clean shutdown
        assert process.stderr is not None
        assert process.stderr.read() == ""
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)  # real-time: reaping a killed child
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


ENDPOINTS = """
import boto3, json
print(json.dumps({service: boto3.client(service).meta.endpoint_url
                  for service in ("sqs", "s3", "sns")}))
"""


def test_env_points_only_sqs_at_the_server(fake_sqs_server: FakeSQSServer) -> None:
    """A worker that also talks to S3 keeps S3's own endpoint: only SQS goes to the fake."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    endpoint = fake_sqs_server.endpoint_url

    def endpoints(env: dict[str, str]) -> dict[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", ENDPOINTS],
            env={**environment, **env},
            capture_output=True,
            text=True,
            timeout=120,  # real-time: a fresh interpreter importing boto3
            check=False,
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, str] = json.loads(done.stdout)
        return result

    assert endpoints(fake_sqs_server.env()) == {
        "sqs": endpoint,
        "s3": "https://s3.amazonaws.com",
        "sns": "https://sns.us-east-1.amazonaws.com",
    }
    # The opt-in: every service without an endpoint of its own goes to the server.
    assert endpoints(fake_sqs_server.env(global_endpoint=True)) == {
        "sqs": endpoint,
        "s3": endpoint,
        "sns": endpoint,
    }
