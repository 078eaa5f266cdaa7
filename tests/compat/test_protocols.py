"""The same calls through whichever SQS protocol the installed botocore speaks.

Current botocore speaks JSON (errors mapped through QueryErrorCode); botocore before 1.31
speaks the query protocol (errors mapped through Code). CI runs this file under both.
"""

from __future__ import annotations

import boto3
import botocore
import pytest
from protocol_clients import PROTOCOLS, client_of

from pytest_fakesqs import mock_sqs


@pytest.fixture(params=PROTOCOLS)
def client(request):
    """A client of the installed botocore, and (on a JSON botocore) one of the query model."""
    with mock_sqs():
        yield client_of(request.param, region="eu-west-1")


def is_query(client) -> bool:
    return client.meta.service_model.protocol == "query"


def test_reports_the_protocol_in_use() -> None:
    client = client_of("installed")
    protocol = client.meta.service_model.protocol
    version = tuple(int(part) for part in botocore.__version__.split(".")[:3])
    # SQS moved to JSON in botocore 1.31.81 (1.29.127 alone tried it, and was rolled back).
    json_from = version >= (1, 31, 81) or version == (1, 29, 127)
    assert protocol == ("json" if json_from else "query")


def test_round_trip(client) -> None:
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    assert url == "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs"
    sent = client.send_message(
        QueueUrl=url,
        MessageBody="hello",
        MessageAttributes={"blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}},
    )
    received = client.receive_message(
        QueueUrl=url, MessageAttributeNames=["All"], AttributeNames=["All"]
    )["Messages"]
    assert [m["MessageId"] for m in received] == [sent["MessageId"]]
    assert received[0]["MessageAttributes"]["blob"]["BinaryValue"] == b"\x00\xff"
    assert received[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    client.delete_message(QueueUrl=url, ReceiptHandle=received[0]["ReceiptHandle"])
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes["ApproximateNumberOfMessages"] == "0"


def test_modelled_error_raises_its_exception_class(client) -> None:
    with pytest.raises(client.exceptions.QueueDoesNotExist) as excinfo:
        client.get_queue_url(QueueName="missing")
    response = excinfo.value.response
    metadata = response.pop("ResponseMetadata")
    assert metadata["HTTPStatusCode"] == 400
    # Exactly what botocore parses from AWS (both recorded): the query protocol has no
    # QueryErrorCode, an empty Detail and its own text; JSON names the modelled error, and has
    # no top-level "message" because the legacy Code names no error shape.
    if is_query(client):
        assert response == {
            "Error": {
                "Code": "AWS.SimpleQueueService.NonExistentQueue",
                "Message": "The specified queue does not exist for this wsdl version.",
                "Type": "Sender",
                "Detail": None,
            }
        }
    else:
        assert response == {
            "Error": {
                "Code": "AWS.SimpleQueueService.NonExistentQueue",
                "Message": "The specified queue does not exist.",
                "QueryErrorCode": "QueueDoesNotExist",
                "Type": "Sender",
            }
        }


@pytest.mark.parametrize(
    ("name", "value", "shape", "message"),
    [
        ("jobs", "true", "InvalidAttributeName", "Unknown Attribute FifoQueue."),
        (
            "jobs.fifo",
            "false",
            "InvalidAttributeValue",
            "Invalid value for the parameter FifoQueue. "
            "Reason: Modifying queue type is not supported.",
        ),
    ],
)
def test_error_named_by_its_shape_carries_the_shape_members_on_json(
    client, name, value, shape, message
) -> None:
    fifo = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    url = client.create_queue(QueueName=name, Attributes=fifo)["QueueUrl"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": value})
    response = excinfo.value.response
    response.pop("ResponseMetadata")
    # Recorded on AWS (test_set_unsupported_attribute_fifo): JSON botocore adds the modelled
    # shape's members when the legacy Code names the shape; the query protocol never does.
    if is_query(client):
        assert response == {
            "Error": {"Code": shape, "Message": message, "Type": "Sender", "Detail": None}
        }
        return
    error = {"Code": shape, "Message": message, "QueryErrorCode": shape, "Type": "Sender"}
    modelled = {s.name for s in client.meta.service_model.error_shapes}
    if shape in modelled:
        assert response == {"Error": error, "message": message}
    else:  # a JSON model older than the shape (botocore 1.31): a plain ClientError, no member
        assert response == {"Error": error}


def test_403_error_raises_its_exception_class(client) -> None:
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    client.purge_queue(QueueUrl=url)
    with pytest.raises(client.exceptions.PurgeQueueInProgress) as excinfo:
        client.purge_queue(QueueUrl=url)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_unmodelled_error_is_a_client_error_with_the_legacy_code(client) -> None:
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
    assert type(excinfo.value) is botocore.exceptions.ClientError
    assert excinfo.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert excinfo.value.response["Error"]["Message"] == (
        "Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided."
    )


def test_batch_partial_failure(client) -> None:
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    result = client.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": "ok", "MessageBody": "fine"}, {"Id": "bad", "MessageBody": "\x00"}],
    )
    assert [entry["Id"] for entry in result["Successful"]] == ["ok"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in result["Failed"]] == [
        ("bad", "InvalidMessageContents", True)
    ]


def test_custom_endpoint_urls_on_either_protocol() -> None:
    with mock_sqs():
        local = boto3.client("sqs", region_name="eu-west-1", endpoint_url="http://localhost:9324")
        url = local.create_queue(QueueName="jobs")["QueueUrl"]
        assert url == "http://localhost:9324/123456789012/jobs"
        assert local.list_queues()["QueueUrls"] == [url]
        local.send_message(QueueUrl=url, MessageBody="hello")
        received = local.receive_message(QueueUrl=url)["Messages"]
        assert [m["Body"] for m in received] == ["hello"]
