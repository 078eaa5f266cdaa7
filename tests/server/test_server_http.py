"""The HTTP server in-process, with raw requests: routing, errors, headers, keep-alive,
concurrency and stopping. (In-process botocore clients never reach the network: the plugin's
hooks answer them first, so botocore over the wire is tested in subprocesses.)"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from pytest_fakesqs import FakeSQS, FakeSQSServer

NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"
JSON_TYPE = "application/x-amz-json-1.0"


class Response:
    def __init__(self, raw: http.client.HTTPResponse) -> None:
        self.status = raw.status
        self.headers = {name.lower(): value for name, value in raw.getheaders()}
        self.body = raw.read()

    @property
    def json(self) -> Any:
        return json.loads(self.body)


_open: list[http.client.HTTPConnection] = []


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def connect(server: FakeSQSServer) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection(server.host, server.port, timeout=30)
    _open.append(connection)
    return connection


def call_json(
    connection: http.client.HTTPConnection,
    operation: str,
    params: Any,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    data = body if body is not None else json.dumps(params).encode()
    connection.request(
        "POST",
        "/",
        body=data,
        headers={"X-Amz-Target": f"AmazonSQS.{operation}", "Content-Type": JSON_TYPE}
        | (headers or {}),
    )
    return Response(connection.getresponse())


def call_query(
    connection: http.client.HTTPConnection, params: dict[str, str], path: str = "/"
) -> Response:
    connection.request(
        "POST",
        path,
        body=urlencode(params),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return Response(connection.getresponse())


def xml_error(response: Response) -> tuple[str, str, str]:
    root = ElementTree.fromstring(response.body)
    assert root.tag == f"{NS}ErrorResponse"
    error = root.find(f"{NS}Error")
    assert error is not None
    return (
        error.findtext(f"{NS}Type", ""),
        error.findtext(f"{NS}Code", ""),
        error.findtext(f"{NS}Message", ""),
    )


def test_json_round_trip_shares_state_with_the_test(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    connection = connect(fake_sqs_server)
    created = call_json(connection, "CreateQueue", {"QueueName": "jobs"})
    assert created.status == 200
    assert created.headers["content-type"] == JSON_TYPE
    url = created.json["QueueUrl"]
    assert url == f"{fake_sqs_server.endpoint_url}/123456789012/jobs"
    sent = call_json(connection, "SendMessage", {"QueueUrl": url, "MessageBody": "hello"})
    assert sent.status == 200
    assert [m.body for m in fake_sqs.queue("jobs").messages] == ["hello"]
    assert (
        sent.headers["x-amzn-requestid"]
        == fake_sqs.calls[-1].response["ResponseMetadata"]["RequestId"]
    )
    assert [call.operation for call in fake_sqs.calls] == ["CreateQueue", "SendMessage"]


def test_delayed_message_follows_the_fake_clock(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    connection = connect(fake_sqs_server)
    url = call_json(connection, "CreateQueue", {"QueueName": "later"}).json["QueueUrl"]
    call_json(connection, "SendMessage", {"QueueUrl": url, "MessageBody": "x", "DelaySeconds": 60})
    assert call_json(connection, "ReceiveMessage", {"QueueUrl": url}).json == {}
    fake_sqs.advance(60)
    received = call_json(connection, "ReceiveMessage", {"QueueUrl": url}).json
    assert [m["Body"] for m in received["Messages"]] == ["x"]


def test_query_protocol_with_queue_url_in_the_path(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    connection = connect(fake_sqs_server)
    created = call_query(
        connection, {"Action": "CreateQueue", "QueueName": "q", "Version": "2012-11-05"}
    )
    assert created.status == 200
    assert created.headers["content-type"] == "text/xml"
    root = ElementTree.fromstring(created.body)
    assert root.findtext(f"{NS}CreateQueueResult/{NS}QueueUrl") == (
        f"{fake_sqs_server.endpoint_url}/123456789012/q"
    )
    sent = call_query(
        connection,
        {
            "Action": "SendMessage",
            "MessageBody": "a\r\nb & <c>",
            "MessageAttribute.1.Name": "n",
            "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "v",
        },
        path="/123456789012/q",
    )
    assert sent.status == 200
    connection.request("GET", "/123456789012/q?Action=ReceiveMessage&MessageAttributeName.1=All")
    received = Response(connection.getresponse())
    message = ElementTree.fromstring(received.body).find(f"{NS}ReceiveMessageResult/{NS}Message")
    assert message is not None
    assert message.findtext(f"{NS}Body") == "a\r\nb & <c>"
    assert message.findtext(f"{NS}MessageAttribute/{NS}Name") == "n"
    assert message.findtext(f"{NS}MessageAttribute/{NS}Value/{NS}StringValue") == "v"


def test_region_comes_from_the_signature(fake_sqs_server: FakeSQSServer) -> None:
    connection = connect(fake_sqs_server)
    signature = (
        "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/sqs/aws4_request, "
        "SignedHeaders=host, Signature=abc"
    )
    url = call_json(
        connection, "CreateQueue", {"QueueName": "eu"}, headers={"Authorization": signature}
    ).json["QueueUrl"]
    attributes = call_json(
        connection,
        "GetQueueAttributes",
        {"QueueUrl": url, "AttributeNames": ["QueueArn"]},
        headers={"Authorization": signature},
    ).json
    assert attributes == {"Attributes": {"QueueArn": "arn:aws:sqs:eu-west-1:123456789012:eu"}}


def test_engine_error_over_json(fake_sqs_server: FakeSQSServer) -> None:
    response = call_json(connect(fake_sqs_server), "GetQueueUrl", {"QueueName": "missing"})
    assert response.status == 400
    assert response.headers["x-amzn-query-error"] == (
        "AWS.SimpleQueueService.NonExistentQueue;Sender"
    )
    assert response.json == {
        "__type": "com.amazonaws.sqs#QueueDoesNotExist",
        "message": "The specified queue does not exist.",
    }


def test_engine_error_over_query(fake_sqs_server: FakeSQSServer) -> None:
    response = call_query(
        connect(fake_sqs_server), {"Action": "GetQueueUrl", "QueueName": "missing"}
    )
    assert response.status == 400
    assert xml_error(response) == (
        "Sender",
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist for this wsdl version.",
    )


@pytest.mark.parametrize(
    ("operation", "body", "status", "query_error", "error_type", "message"),
    [
        (
            "Nope",
            b"{}",
            400,
            "InvalidAction",
            "UnknownOperationException",
            "The operation AmazonSQS.Nope is not valid for this endpoint.",
        ),
        (
            "GetQueueUrl",
            b"{",
            400,
            "SerializationException",
            "SerializationException",
            "The request body is not valid JSON: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)",
        ),
        (
            "GetQueueUrl",
            b"{}",
            400,
            "MissingParameter",
            "MissingRequiredParameterException",
            "The request must contain the parameter QueueName.",
        ),
        (
            "GetQueueUrl",
            b'{"QueueName": 5}',
            400,
            "SerializationException",
            "SerializationException",
            "Value 5 for parameter QueueName is invalid. Reason: must be a string.",
        ),
    ],
)
def test_bad_json_requests(
    fake_sqs_server: FakeSQSServer,
    operation: str,
    body: bytes,
    status: int,
    query_error: str,
    error_type: str,
    message: str,
) -> None:
    connection = connect(fake_sqs_server)
    response = call_json(connection, operation, None, body=body)
    assert response.status == status
    assert response.headers["x-amzn-query-error"] == f"{query_error};Sender"
    assert response.json == {"__type": f"com.amazonaws.sqs#{error_type}", "message": message}
    # The connection is still good.
    assert call_json(connection, "ListQueues", {}).status == 200


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"Action": "Bogus"}, "InvalidAction", "The action Bogus is not valid for this endpoint."),
        ({}, "MissingAction", "The request must contain the parameter Action."),
        (
            {"Action": "GetQueueUrl"},
            "MissingParameter",
            "The request must contain the parameter QueueName.",
        ),
        (
            {"Action": "ListQueues", "MaxResults": "many"},
            "InvalidParameterValue",
            "Value many for parameter MaxResults is invalid. Reason: must be an integer.",
        ),
    ],
)
def test_bad_query_requests(
    fake_sqs_server: FakeSQSServer, params: dict[str, str], code: str, message: str
) -> None:
    response = call_query(connect(fake_sqs_server), params)
    assert response.status == 400
    assert xml_error(response) == ("Sender", code, message)


def test_malformed_form_body(fake_sqs_server: FakeSQSServer) -> None:
    connection = connect(fake_sqs_server)
    connection.request("POST", "/", body=b"Action=ListQueues&QueueNamePrefix=%ff")
    response = Response(connection.getresponse())
    assert response.status == 400
    kind, code, message = xml_error(response)
    assert (kind, code) == ("Sender", "MalformedQueryString")
    assert message.startswith("The query string is malformed: 'utf-8' codec can't decode")


def test_unknown_path(fake_sqs_server: FakeSQSServer) -> None:
    response = call_query(connect(fake_sqs_server), {"Action": "ListQueues"}, path="/a/b/c")
    assert response.status == 404
    assert xml_error(response) == (
        "Sender",
        "InvalidAddress",
        "The address /a/b/c is not valid for this endpoint.",
    )


def test_oversized_body_gets_an_error_and_keeps_the_connection(
    fake_sqs: FakeSQS,
) -> None:
    with FakeSQSServer(fake_sqs, max_body_bytes=1000) as server:
        connection = connect(server)
        big = json.dumps({"QueueName": "x" * 2000}).encode()
        response = call_json(connection, "CreateQueue", None, body=big)
        assert response.status == 413
        assert response.json == {
            "__type": "com.amazonaws.sqs#RequestEntityTooLarge",
            "message": "The request body of 2017 bytes is over this server's limit of 1000 bytes.",
        }
        assert call_json(connection, "ListQueues", {}).status == 200
        # Far over the limit: answered, then the connection is closed.
        huge = b"{" + b" " * 10_000 + b"}"
        response = call_json(connection, "CreateQueue", None, body=huge)
        assert (response.status, response.headers["connection"]) == (413, "close")


def test_chunked_body(fake_sqs_server: FakeSQSServer) -> None:
    connection = connect(fake_sqs_server)
    body = json.dumps({"QueueName": "chunky"}).encode()
    connection.request(
        "POST",
        "/",
        body=iter([body[:5], body[5:]]),
        headers={"X-Amz-Target": "AmazonSQS.CreateQueue", "Content-Type": JSON_TYPE},
        encode_chunked=True,
    )
    response = Response(connection.getresponse())
    assert response.json == {"QueueUrl": f"{fake_sqs_server.endpoint_url}/123456789012/chunky"}


def test_keep_alive_serves_many_requests_on_one_connection(
    fake_sqs_server: FakeSQSServer,
) -> None:
    connection = connect(fake_sqs_server)
    url = call_json(connection, "CreateQueue", {"QueueName": "k"}).json["QueueUrl"]
    socket_before = connection.sock
    for i in range(20):
        call_json(connection, "SendMessage", {"QueueUrl": url, "MessageBody": str(i)})
    assert connection.sock is socket_before


def test_concurrent_clients(fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer) -> None:
    url = call_json(connect(fake_sqs_server), "CreateQueue", {"QueueName": "busy"}).json["QueueUrl"]
    statuses: list[int] = []
    lock = threading.Lock()

    def producer(worker: int) -> None:
        connection = connect(fake_sqs_server)
        for i in range(25):
            response = call_json(
                connection, "SendMessage", {"QueueUrl": url, "MessageBody": f"{worker}-{i}"}
            )
            with lock:
                statuses.append(response.status)

    threads = [threading.Thread(target=producer, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)  # real-time: eight HTTP clients sending 25 messages each
    assert statuses == [200] * 200
    bodies = sorted(m.body for m in fake_sqs.queue("busy").messages)
    assert bodies == sorted(f"{w}-{i}" for w in range(8) for i in range(25))


def test_long_poll_over_http_wakes_on_a_send_from_the_test(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer, sqs_client: Any
) -> None:
    url = call_json(connect(fake_sqs_server), "CreateQueue", {"QueueName": "wait"}).json["QueueUrl"]
    results: list[Any] = []

    def consumer() -> None:
        response = call_json(
            connect(fake_sqs_server), "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 20}
        )
        results.append(response.json)

    thread = threading.Thread(target=consumer)
    thread.start()
    sqs_client.send_message(QueueUrl=url, MessageBody="wake up")
    thread.join(30)  # real-time: the poll returns as soon as the send lands
    assert [m["Body"] for m in results[0]["Messages"]] == ["wake up"]


@pytest.mark.fake_sqs(freeze="2026-01-01T00:00:00Z")
def test_stop_ends_waiting_polls_and_leaves_the_fake_usable(
    fake_sqs: FakeSQS, sqs_client: Any, wait_for_long_poll: Callable[[FakeSQS], None]
) -> None:
    server = fake_sqs.serve()
    url = call_json(connect(server), "CreateQueue", {"QueueName": "idle"}).json["QueueUrl"]
    idle = connect(server)
    call_json(idle, "ListQueues", {})  # an idle keep-alive connection
    outcomes: list[Any] = []

    def consumer() -> None:
        response = call_json(
            connect(server), "ReceiveMessage", {"QueueUrl": url, "WaitTimeSeconds": 20}
        )
        outcomes.append((response.status, response.json))

    thread = threading.Thread(target=consumer)
    thread.start()
    # Stop only once the server's thread is waiting in its long poll (on the engine's
    # condition), so the outcome is exact.
    wait_for_long_poll(fake_sqs)
    assert len(fake_sqs.engine.changed._waiters) == 1  # type: ignore[attr-defined]
    before = fake_sqs.time
    server.stop()
    thread.join(30)  # real-time: stop() ends the server's poll at once
    assert not thread.is_alive()
    assert outcomes == [(200, {})]
    assert fake_sqs.time == before  # it ended, it did not run the clock out
    assert not server.running
    with pytest.raises(ConnectionRefusedError):
        call_json(connect(server), "ListQueues", {})
    # The test's own long polls were not ended: this one runs its whole wait on the clock.
    assert "Messages" not in sqs_client.receive_message(QueueUrl=url, WaitTimeSeconds=1)
    assert fake_sqs.time == before + 1


def test_env_and_endpoint(fake_sqs_server: FakeSQSServer) -> None:
    endpoint = f"http://127.0.0.1:{fake_sqs_server.port}"
    assert fake_sqs_server.endpoint_url == endpoint
    # SQS's endpoint only: a subprocess's other services keep theirs.
    assert fake_sqs_server.env() == {
        "AWS_ENDPOINT_URL_SQS": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
    assert fake_sqs_server.env(global_endpoint=True) == {
        **fake_sqs_server.env(),
        "AWS_ENDPOINT_URL": endpoint,
    }
    assert repr(fake_sqs_server) == f"<FakeSQSServer {endpoint} running>"


def test_a_stopped_fake_answers_service_unavailable() -> None:
    fake = FakeSQS().start()
    server = fake.serve()
    try:
        fake.stop()
        response = call_json(connect(server), "ListQueues", {})
        assert response.status == 503
        assert response.headers["x-amzn-query-error"] == "ServiceUnavailable;Receiver"
        assert response.json["__type"] == "com.amazonaws.sqs#ServiceUnavailable"
    finally:
        server.stop()


def test_the_x_ray_header_of_a_send_becomes_the_message_trace(
    fake_sqs: FakeSQS, fake_sqs_server: FakeSQSServer
) -> None:
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    connection = connect(fake_sqs_server)
    url = call_json(connection, "CreateQueue", {"QueueName": "jobs"}).json["QueueUrl"]

    sent = call_json(
        connection,
        "SendMessage",
        {"QueueUrl": url, "MessageBody": "traced"},
        headers={"X-Amzn-Trace-Id": trace},
    )
    assert sent.status == 200
    assert "MD5OfMessageSystemAttributes" not in sent.json
    received = call_json(
        connection,
        "ReceiveMessage",
        {"QueueUrl": url, "MessageSystemAttributeNames": ["AWSTraceHeader"]},
    )
    assert [m["Attributes"] for m in received.json["Messages"]] == [{"AWSTraceHeader": trace}]
