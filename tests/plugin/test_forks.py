"""A process forked while a fake is active: its calls to the inherited fake are refused, and
clients pointed at the parent's server reach it over HTTP.

Each story runs in a fresh interpreter (forking this pytest process, with its threads, is not
something a test should do), with multiprocessing's "fork" start method; it prints what the
child saw as JSON.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from fresh_python import run_python

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")

STORY = """
import json
import multiprocessing
import os
import threading

import boto3
from botocore.exceptions import ClientError

from pytest_fakesqs import mock_sqs


def child(pipe, endpoint_url):
    seen = {"pid": os.getpid(), "parent": os.getppid()}
    inherited = boto3.client("sqs", region_name="us-east-1")
    try:
        inherited.send_message(QueueUrl=URL, MessageBody="from the child, in-process")
        seen["in_process"] = "served"
    except ClientError as error:
        seen["in_process"] = error.response
    pipe.send(seen)  # the parent lets go of the fake's lock: the server needs it
    over_http = boto3.client("sqs", region_name="us-east-1", endpoint_url=endpoint_url)
    over_http.send_message(QueueUrl=URL, MessageBody="from the child, over HTTP")
    with mock_sqs() as own:  # a fake of the child's own serves it
        made = inherited.create_queue(QueueName="child-only")["QueueUrl"]
        seen["own_fake"] = [made, [q.name for q in own.queues()]]
    pipe.send(seen)


def receive(pipe):
    # real-time: the child answers at once; 20 s only bounds a child that hangs.
    return pipe.recv() if pipe.poll(20) else {"hung": True}


with mock_sqs(freeze="2024-01-01T00:00:00Z") as fake, fake.serve() as server:
    sqs = boto3.client("sqs", region_name="us-east-1")
    URL = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    # Another thread holds the fake's lock across the fork: the child must not wait for it.
    held, release = threading.Event(), threading.Event()

    def hold():
        with fake.engine.lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(sending, server.endpoint_url))
    process.start()
    first = receive(receiving)  # made while another thread held the lock
    release.set()
    holder.join(10)
    seen = receive(receiving)
    process.join(20)
    if process.is_alive():
        process.kill()
    seen["first"] = first
    seen = {"seen": seen, "exit": process.exitcode, "parent_pid": os.getpid(),
            "bodies": fake.queue("jobs").bodies, "queues": [q.name for q in fake.queues()]}
print(json.dumps(seen))
"""


def run_story() -> dict[str, Any]:
    done = run_python("-c", STORY)
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_a_forked_child_is_refused_in_process_and_served_over_http():
    story = run_story()
    seen = story["seen"]

    assert "hung" not in seen["first"]
    assert story["exit"] == 0
    assert seen["parent"] == story["parent_pid"]
    # Refused at once although another thread of the parent held the fake's lock at the fork.
    assert seen["first"]["in_process"] == seen["in_process"]
    assert seen["in_process"] == {
        "Error": {
            "Code": "PytestFakeSQS.ForkedProcess",
            "Message": (
                f"pytest-fakesqs refused SendMessage: this process ({seen['pid']}) was forked "
                f"from process {seen['parent']} while a fake SQS was active there, and a fake "
                "is not shared across a fork: its sends would be invisible to the parent, and "
                "its polls would never see what the parent sends. Serve the fake to child "
                "processes over HTTP instead: the fake_sqs_server fixture (or fake.serve()) "
                "has an endpoint_url for the child's clients (server.env() puts it in the "
                "environment, for clients made after it is set); or start a fake of the "
                "child's own with mock_sqs()."
            ),
            "Type": "Sender",
        },
        "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0},
    }
    # The child's client of the parent's server reached the parent's queue.
    assert story["bodies"] == ["from the child, over HTTP"]
    # A fake the child starts serves it, and the parent never sees that queue.
    own_url, own_queues = seen["own_fake"]
    assert own_url.endswith("/123456789012/child-only")
    assert own_queues == ["child-only"]
    assert story["queues"] == ["jobs"]
