"""The control plane on the server's port: /_fakesqs/advance, reset, state and health, JSON in
and out, and the request log. Driven here over HTTP from the test process (urllib and raw
http.client); tests/server/test_cli.py drives it from other processes (boto3, curl) against
the standalone server, and test_js_sdk.py from node."""

from __future__ import annotations

import http.client
import io
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from pytest_fakesqs import FakeSQS, FakeSQSServer

FROZEN = "2024-05-01T12:00:00Z"
FROZEN_EPOCH = 1714564800.0

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN, seed=3)


def control(
    server: FakeSQSServer, method: str, path: str, body: bytes | None = None
) -> tuple[int, dict[str, str], Any]:
    """(status, headers, parsed JSON body) of one control-plane request."""
    request = urllib.request.Request(server.endpoint_url + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), json.load(error)


def sqs_json(server: FakeSQSServer, operation: str, params: dict[str, Any]) -> Any:
    """An SQS call over the wire (JSON protocol), as an outside client makes it."""
    request = urllib.request.Request(
        server.endpoint_url,
        data=json.dumps(params).encode(),
        headers={
            "X-Amz-Target": f"AmazonSQS.{operation}",
            "Content-Type": "application/x-amz-json-1.0",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def error(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


# --- advance ------------------------------------------------------------------------------------


def test_advance_moves_the_clock_and_what_is_due_happens(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    jobs = fake_sqs.create_queue("jobs")
    sqs_json(
        fake_sqs_server,
        "SendMessage",
        {"QueueUrl": jobs.url, "MessageBody": "later", "DelaySeconds": 60},
    )
    assert [m.state for m in jobs.messages] == ["delayed"]

    status, headers, body = control(
        fake_sqs_server, "POST", "/_fakesqs/advance", b'{"seconds": 59.5}'
    )
    assert (status, headers["Content-Type"], body) == (
        200,
        "application/json",
        {"now": "2024-05-01T12:00:59.500000Z", "time": FROZEN_EPOCH + 59.5},
    )
    assert [m.state for m in jobs.messages] == ["delayed"]

    status, _, body = control(fake_sqs_server, "POST", "/_fakesqs/advance", b'{"seconds": 1}')
    assert (status, body) == (
        200,
        {"now": "2024-05-01T12:01:00.500000Z", "time": FROZEN_EPOCH + 60.5},
    )
    assert fake_sqs.time == FROZEN_EPOCH + 60.5
    received = sqs_json(fake_sqs_server, "ReceiveMessage", {"QueueUrl": jobs.url})
    assert [m["Body"] for m in received["Messages"]] == ["later"]


def long_poll_in_a_thread(
    server: FakeSQSServer, url: str, wait_for_long_poll: Callable[[FakeSQS], None], fake: FakeSQS
) -> tuple[threading.Thread, list[Any]]:
    """A 20-second ReceiveMessage over the wire, from a thread, once it waits in the server."""
    results: list[Any] = []
    params = {"QueueUrl": url, "WaitTimeSeconds": 20}
    consumer = threading.Thread(
        target=lambda: results.append(sqs_json(server, "ReceiveMessage", params))
    )
    consumer.start()
    wait_for_long_poll(fake)
    return consumer, results


def test_advance_wakes_a_long_poll_waiting_in_the_server(
    fake_sqs: FakeSQS,
    fake_sqs_server: FakeSQSServer,
    wait_for_long_poll: Callable[[FakeSQS], None],
) -> None:
    jobs = fake_sqs.create_queue("jobs")
    jobs.put("in ten seconds", state="delayed", visible_in=10)
    consumer, results = long_poll_in_a_thread(
        fake_sqs_server, jobs.url, wait_for_long_poll, fake_sqs
    )

    assert control(fake_sqs_server, "POST", "/_fakesqs/advance", b'{"seconds": 10}')[0] == 200
    consumer.join(30)  # real-time: the advance wakes the poll at once
    assert [m["Body"] for m in results[0]["Messages"]] == ["in ten seconds"]
    assert fake_sqs.time == FROZEN_EPOCH + 10


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", error("InvalidJSON", 'the body must be a JSON object: {"seconds": N}')),
        (
            b"{nope",
            error(
                "InvalidJSON",
                "the body is not JSON: Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)",
            ),
        ),
        (
            b"\xff",
            error(
                "InvalidJSON",
                "the body is not JSON: 'utf-8' codec can't decode byte 0xff in position 0: "
                "invalid start byte",
            ),
        ),
        (b"[30]", error("InvalidJSON", "the body must be a JSON object")),
        (b"{}", error("InvalidParameter", 'the body is {"seconds": N}; got {}')),
        (
            b'{"minutes": 1}',
            error("InvalidParameter", 'the body is {"seconds": N}; got {"minutes": 1}'),
        ),
        (
            b'{"seconds": 1, "x": 2}',
            error("InvalidParameter", 'the body is {"seconds": N}; got {"seconds": 1, "x": 2}'),
        ),
        (b'{"seconds": "30"}', error("InvalidParameter", 'seconds must be a number, got "30"')),
        (b'{"seconds": true}', error("InvalidParameter", "seconds must be a number, got true")),
        (b'{"seconds": null}', error("InvalidParameter", "seconds must be a number, got null")),
        (
            b'{"seconds": -1}',
            error(
                "InvalidParameter",
                "seconds must be a finite number >= 0 (the clock only moves forward), got -1",
            ),
        ),
        (
            b'{"seconds": NaN}',
            error(
                "InvalidParameter",
                "seconds must be a finite number >= 0 (the clock only moves forward), got nan",
            ),
        ),
        (
            b'{"seconds": Infinity}',
            error(
                "InvalidParameter",
                "seconds must be a finite number >= 0 (the clock only moves forward), got inf",
            ),
        ),
        (
            b'{"seconds": 1e12}',
            error(
                "InvalidParameter",
                "1000000000000.0 seconds would move the clock past the year 9999",
            ),
        ),
    ],
    ids=[
        "empty",
        "not-json",
        "not-utf8",
        "not-an-object",
        "no-seconds",
        "other-unit",
        "extra-key",
        "string",
        "bool",
        "null",
        "negative",
        "nan",
        "infinity",
        "past-9999",
    ],
)
def test_advance_refuses_bad_requests(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer, body: bytes, expected: Any
) -> None:
    status, headers, answer = control(fake_sqs_server, "POST", "/_fakesqs/advance", body)

    assert (status, headers["Content-Type"], answer) == (400, "application/json", expected)
    assert fake_sqs.time == FROZEN_EPOCH


# --- reset --------------------------------------------------------------------------------------


@pytest.mark.fake_sqs(queues=["orders", {"name": "events.fifo", "tags": {"team": "a"}}])
def test_reset_empties_everything_and_recreates_the_preset_queues(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    orders = fake_sqs.queue("orders")
    orders.put("old order")
    fake_sqs.create_queue("scratch").put("scratch message")
    sqs_json(fake_sqs_server, "DeleteQueue", {"QueueUrl": fake_sqs.queue("events.fifo").url})
    fake_sqs.fail_next("SendMessage", "ThrottlingException")
    control(fake_sqs_server, "POST", "/_fakesqs/advance", b'{"seconds": 5}')

    status, _, body = control(fake_sqs_server, "POST", "/_fakesqs/reset")

    endpoint = fake_sqs_server.endpoint_url
    assert (status, body) == (
        200,
        {
            "now": "2024-05-01T12:00:05Z",
            "time": FROZEN_EPOCH + 5,
            "queues": [
                f"{endpoint}/123456789012/events.fifo",
                f"{endpoint}/123456789012/orders",
            ],
        },
    )
    assert [view.name for view in fake_sqs.queues()] == ["events.fifo", "orders"]
    assert orders.messages == []  # the view follows the queue made again
    assert fake_sqs.queue("events.fifo").tags == {"team": "a"}
    assert fake_sqs.queue("orders").attributes["CreatedTimestamp"] == str(int(FROZEN_EPOCH + 5))
    assert list(fake_sqs.calls) == []
    # The planned fault is gone too; the name deleted 0 seconds ago can be used at once.
    sqs_json(fake_sqs_server, "SendMessage", {"QueueUrl": orders.url, "MessageBody": "new"})
    assert orders.bodies == ["new"]
    sqs_json(fake_sqs_server, "CreateQueue", {"QueueName": "scratch"})


def test_reset_ends_long_polls_in_flight_empty(
    fake_sqs: FakeSQS,
    fake_sqs_server: FakeSQSServer,
    wait_for_long_poll: Callable[[FakeSQS], None],
) -> None:
    jobs = fake_sqs.create_queue("jobs")
    consumer, results = long_poll_in_a_thread(
        fake_sqs_server, jobs.url, wait_for_long_poll, fake_sqs
    )

    assert control(fake_sqs_server, "POST", "/_fakesqs/reset")[0] == 200
    consumer.join(30)  # real-time: the reset ends the poll at once

    assert not consumer.is_alive()
    assert results == [{}]
    assert fake_sqs.time == FROZEN_EPOCH  # it ended; it did not run its wait out
    # Later polls wait as usual (on the clock, in this single-threaded test).
    jobs_again = fake_sqs.create_queue("jobs")
    assert sqs_json(fake_sqs_server, "ReceiveMessage", {"QueueUrl": jobs_again.url}) == {}


def test_reset_takes_no_parameters(fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer) -> None:
    fake_sqs.create_queue("kept")

    assert control(fake_sqs_server, "POST", "/_fakesqs/reset", b'{"queues": []}')[::2] == (
        400,
        error("InvalidParameter", "reset takes no parameters"),
    )
    assert control(fake_sqs_server, "POST", "/_fakesqs/reset", b"{")[::2] == (
        400,
        error(
            "InvalidJSON",
            "the body is not JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
    )
    assert [view.name for view in fake_sqs.queues()] == ["kept"]
    assert control(fake_sqs_server, "POST", "/_fakesqs/reset", b"{}")[0] == 200
    assert fake_sqs.queues() == []


# --- state and health ---------------------------------------------------------------------------


def test_state_shows_every_queue_and_message_as_the_views_do(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    jobs = fake_sqs.create_queue("jobs", {"VisibilityTimeout": 45}, tags={"team": "a"})
    sent = sqs_json(
        fake_sqs_server,
        "SendMessage",
        {
            "QueueUrl": jobs.url,
            "MessageBody": "resize",
            "MessageAttributes": {
                "size": {"DataType": "Number", "StringValue": "3"},
                "blob": {"DataType": "Binary", "BinaryValue": "AP8="},
            },
        },
    )
    sqs_json(fake_sqs_server, "ReceiveMessage", {"QueueUrl": jobs.url})
    orders = fake_sqs.create_queue("orders.fifo", region="eu-west-1")
    orders.put("first", group_id="customer-1", deduplication_id="d-1")

    status, _, state = control(fake_sqs_server, "GET", "/_fakesqs/state")

    assert status == 200
    assert (state["now"], state["time"]) == ("2024-05-01T12:00:00Z", FROZEN_EPOCH)
    endpoint = fake_sqs_server.endpoint_url
    [eu, us] = state["queues"]  # by region, then name
    assert {key: us[key] for key in us if key != "messages"} == {
        "name": "jobs",
        "url": f"{endpoint}/123456789012/jobs",
        "arn": "arn:aws:sqs:us-east-1:123456789012:jobs",
        "region": "us-east-1",
        "account_id": "123456789012",
        "fifo": False,
        "attributes": jobs.attributes,
        "tags": {"team": "a"},
    }
    [message] = jobs.messages
    assert us["messages"] == [
        {
            "message_id": sent["MessageId"],
            "body": "resize",
            "attributes": {
                "SenderId": "AIDAIENQZJOLO23YVJ4VO",
                "SentTimestamp": "1714564800000",
                "ApproximateReceiveCount": "1",
                "ApproximateFirstReceiveTimestamp": "1714564800000",
            },
            "message_attributes": {
                "size": {"DataType": "Number", "StringValue": "3"},
                "blob": {"DataType": "Binary", "BinaryValue": "AP8="},
            },
            "state": "in_flight",
            "receive_count": 1,
            "sent_at": "2024-05-01T12:00:00Z",
            "visible_at": "2024-05-01T12:00:45Z",
            "receipt_handle": message.receipt_handle,
            "group_id": None,
            "deduplication_id": None,
            "sequence_number": None,
            "origin": "sent",
            "fate": None,
            "dead_letter_source_arn": None,
        }
    ]
    assert (eu["name"], eu["region"], eu["fifo"]) == ("orders.fifo", "eu-west-1", True)
    [first] = eu["messages"]
    assert (first["body"], first["state"], first["group_id"], first["deduplication_id"]) == (
        "first",
        "visible",
        "customer-1",
        "d-1",
    )
    assert first["sequence_number"] == orders.messages[0].sequence_number
    # Reading the state changed nothing.
    assert [(m.state, m.receive_count) for m in jobs.messages] == [("in_flight", 1)]
    assert fake_sqs.calls.operations == ["SendMessage", "ReceiveMessage"]


def test_state_of_an_empty_fake(fake_sqs_server: FakeSQSServer) -> None:
    assert control(fake_sqs_server, "GET", "/_fakesqs/state")[::2] == (
        200,
        {"now": "2024-05-01T12:00:00Z", "time": FROZEN_EPOCH, "queues": []},
    )


def test_health(fake_sqs_server: FakeSQSServer) -> None:
    assert control(fake_sqs_server, "GET", "/_fakesqs/health")[::2] == (200, {"status": "ok"})
    assert control(fake_sqs_server, "GET", "/_fakesqs/health/")[::2] == (200, {"status": "ok"})


def test_a_stopped_fake_is_unhealthy() -> None:
    fake = FakeSQS().start()
    server = fake.serve()
    try:
        fake.stop()
        for method, path in [("GET", "/_fakesqs/health"), ("POST", "/_fakesqs/advance")]:
            assert control(server, method, path, b'{"seconds": 1}' if method == "POST" else None)[
                ::2
            ] == (
                503,
                error("FakeStopped", "the fake behind this server has stopped"),
            )
    finally:
        server.stop()


# --- routing ------------------------------------------------------------------------------------

ENDPOINTS = (
    "POST /_fakesqs/advance, POST /_fakesqs/reset, GET /_fakesqs/state, GET /_fakesqs/health"
)


@pytest.mark.parametrize("path", ["/_fakesqs", "/_fakesqs/", "/_fakesqs/time", "/_fakesqs/state/x"])
def test_an_unknown_control_path_is_a_json_404(fake_sqs_server: FakeSQSServer, path: str) -> None:
    assert control(fake_sqs_server, "GET", path)[::2] == (
        404,
        error("NotFound", f"no control endpoint {path}; there are: {ENDPOINTS}"),
    )


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "/_fakesqs/advance", "POST"),
        ("GET", "/_fakesqs/reset", "POST"),
        ("POST", "/_fakesqs/state", "GET"),
        ("PUT", "/_fakesqs/health", "GET"),
        ("DELETE", "/_fakesqs/state", "GET"),
        ("PATCH", "/_fakesqs/advance", "POST"),
    ],
)
def test_a_wrong_method_is_a_json_405(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer, method: str, path: str, allowed: str
) -> None:
    status, headers, body = control(fake_sqs_server, method, path, b"{}")

    assert (status, headers["Allow"], body) == (
        405,
        allowed,
        error("MethodNotAllowed", f"{path} takes {allowed}, not {method}"),
    )
    assert fake_sqs.time == FROZEN_EPOCH


def test_sqs_paths_answer_other_methods_as_before(fake_sqs_server: FakeSQSServer) -> None:
    connection = http.client.HTTPConnection(fake_sqs_server.host, fake_sqs_server.port, timeout=30)
    try:
        connection.request("PUT", "/", body=b"{}")
        response = connection.getresponse()
        # What http.server answers a method its handler has no do_ method for.
        assert (response.status, response.reason) == (501, "Unsupported method ('PUT')")
        assert b"<p>Error code: 501</p>" in response.read()
    finally:
        connection.close()


def test_an_oversized_control_body_is_a_json_413(fake_sqs: FakeSQS) -> None:
    from pytest_fakesqs._server import FakeSQSServer as Server

    with Server(fake_sqs, max_body_bytes=100) as server:
        status, _, body = control(server, "POST", "/_fakesqs/advance", b"{" + b" " * 200 + b"}")

    assert (status, body["error"]["code"]) == (413, "RequestEntityTooLarge")
    assert fake_sqs.time == FROZEN_EPOCH


# --- the request log ----------------------------------------------------------------------------


def test_the_request_log_has_one_line_per_request(fake_sqs: FakeSQS) -> None:
    log = io.StringIO()
    with fake_sqs.serve(request_log=log) as server:
        url = sqs_json(server, "CreateQueue", {"QueueName": "jobs"})["QueueUrl"]
        sqs_json(server, "SendMessage", {"QueueUrl": url, "MessageBody": "a"})
        sqs_json(server, "SendMessage", {"QueueUrl": url, "MessageBody": "b"})
        sqs_json(server, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10})
        control(server, "POST", "/_fakesqs/advance", b'{"seconds": 30}')
        sqs_json(
            server,
            "ReceiveMessage",
            {"QueueUrl": url, "MaxNumberOfMessages": 10, "VisibilityTimeout": 0},
        )
        sqs_json(server, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 1})
        with pytest.raises(urllib.error.HTTPError) as excinfo:
            sqs_json(server, "GetQueueUrl", {"QueueName": "missing"})
        excinfo.value.close()
        with pytest.raises(urllib.error.HTTPError) as excinfo:
            sqs_json(server, "SendMessage", {"QueueUrl": url})
        excinfo.value.close()
        control(server, "GET", "/_fakesqs/nope")
        connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
        connection.request("POST", "/", body=b"Action=Bogus")
        connection.getresponse().read()
        connection.close()

    assert log.getvalue().splitlines() == [
        "2024-05-01T12:00:00.000Z CreateQueue jobs 200 ok",
        "2024-05-01T12:00:00.000Z SendMessage jobs 200 ok",
        "2024-05-01T12:00:00.000Z SendMessage jobs 200 ok",
        "2024-05-01T12:00:00.000Z ReceiveMessage jobs 200 ok (2 messages)",
        "2024-05-01T12:00:30.000Z POST /_fakesqs/advance 200 ok",
        "2024-05-01T12:00:30.000Z ReceiveMessage jobs 200 ok (2 messages)",
        "2024-05-01T12:00:30.000Z ReceiveMessage jobs 200 ok (1 message)",
        "2024-05-01T12:00:30.000Z GetQueueUrl missing 400 QueueDoesNotExist",
        # Not decoded, so the queue is not known.
        "2024-05-01T12:00:30.000Z SendMessage - 400 MissingRequiredParameterException",
        "2024-05-01T12:00:30.000Z GET /_fakesqs/nope 404 NotFound",
        "2024-05-01T12:00:30.000Z Bogus - 400 InvalidAction",
    ]


def test_no_request_log_by_default(
    fake_sqs_server: FakeSQSServer, capsys: pytest.CaptureFixture[str]
) -> None:
    sqs_json(fake_sqs_server, "ListQueues", {})
    control(fake_sqs_server, "GET", "/_fakesqs/health")

    assert capsys.readouterr() == ("", "")
