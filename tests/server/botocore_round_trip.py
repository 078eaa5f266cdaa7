"""Run by tests/server/test_botocore_wire.py in a subprocess: a boto3 client against the
fake's HTTP server, speaking whichever protocol the installed botocore speaks (JSON from 1.31,
the query protocol before). In this process no fake is active, so every call goes over the
network. Prints one JSON object; bytes as {"base64": ...}.

Usage: python botocore_round_trip.py ENDPOINT_URL
"""

from __future__ import annotations

import base64
import json
import sys
from typing import Any

import boto3
import botocore
import botocore.exceptions


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def _error(error: botocore.exceptions.ClientError) -> dict[str, Any]:
    return {
        "class": type(error).__name__,
        "Error": error.response["Error"],
        "HTTPStatusCode": error.response["ResponseMetadata"]["HTTPStatusCode"],
        "str": str(error),
    }


def main(endpoint_url: str) -> dict[str, Any]:
    client = boto3.client("sqs", endpoint_url=endpoint_url)
    out: dict[str, Any] = {
        "botocore": botocore.__version__,
        "protocol": client.meta.service_model.protocol,
    }
    url = client.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
    out["queueUrl"] = url
    out["lookedUpUrl"] = client.get_queue_url(QueueName="jobs")["QueueUrl"]

    sent = client.send_message(
        QueueUrl=url,
        MessageBody="héllo <wörld> & more",
        MessageAttributes={
            "colour": {"DataType": "String", "StringValue": "blue ✓"},
            "count": {"DataType": "Number", "StringValue": "42"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02\xff"},
        },
    )
    out["sent"] = {key: value for key, value in sent.items() if key != "ResponseMetadata"}
    metadata = sent["ResponseMetadata"]
    out["sentMetadata"] = {
        "RequestId": metadata["RequestId"],
        "HTTPStatusCode": metadata["HTTPStatusCode"],
        "x-amzn-requestid": metadata["HTTPHeaders"].get("x-amzn-requestid"),
        "content-type": metadata["HTTPHeaders"].get("content-type"),
    }

    batch = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "first", "MessageBody": "batch one"},
            {
                "Id": "second",
                "MessageBody": "batch two",
                "MessageAttributes": {"kind": {"DataType": "String.custom", "StringValue": "x"}},
            },
            {"Id": "bad", "MessageBody": "nul \x00 here"},
        ],
    )
    out["batch"] = {"Successful": batch["Successful"], "Failed": batch["Failed"]}

    received = client.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=10,
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
    )["Messages"]
    out["received"] = received

    first = next(m for m in received if m["MessageId"] == sent["MessageId"])
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0
    )
    again = client.receive_message(
        QueueUrl=url,
        AttributeNames=["ApproximateReceiveCount"],
        MessageAttributeNames=["colour"],
    )["Messages"]
    out["receivedAgain"] = again
    client.delete_message(QueueUrl=url, ReceiptHandle=again[0]["ReceiptHandle"])

    others = [m for m in received if m["MessageId"] != sent["MessageId"]]
    deleted = client.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "one", "ReceiptHandle": others[0]["ReceiptHandle"]},
            {"Id": "bogus", "ReceiptHandle": "not-a-handle"},
        ],
    )
    out["deleteBatch"] = {"Successful": deleted["Successful"], "Failed": deleted["Failed"]}

    out["queueAttributes"] = client.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "VisibilityTimeout",
            "QueueArn",
        ],
    )["Attributes"]
    out["listed"] = client.list_queues()["QueueUrls"]

    try:
        client.get_queue_url(QueueName="missing")
    except client.exceptions.QueueDoesNotExist as error:
        out["queueDoesNotExist"] = _error(error)
    try:
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=11)
    except botocore.exceptions.ClientError as error:
        out["invalidParameterValue"] = _error(error)
    client.purge_queue(QueueUrl=url)
    try:
        client.purge_queue(QueueUrl=url)
    except client.exceptions.PurgeQueueInProgress as error:
        out["purgeQueueInProgress"] = _error(error)
    return out


if __name__ == "__main__":
    print(json.dumps(_jsonable(main(sys.argv[1]))))
