"""aiobotocore clients are served too: its sessions copy botocore's built-in handlers."""

from __future__ import annotations

import asyncio

import pytest
from aiobotocore.session import get_session

from pytest_fakesqs import mock_sqs


async def _round_trip() -> tuple[str, list[str]]:
    session = get_session()
    async with session.create_client("sqs", region_name="us-east-1") as client:
        url = (await client.create_queue(QueueName="jobs"))["QueueUrl"]
        await client.send_message(QueueUrl=url, MessageBody="hello")
        # A long poll on an empty queue must not wait in real time either.
        messages = (await client.receive_message(QueueUrl=url, WaitTimeSeconds=20))["Messages"]
        await client.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        empty = await client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        assert "Messages" not in empty
        with pytest.raises(client.exceptions.QueueDoesNotExist):
            await client.get_queue_url(QueueName="missing")
        return url, [m["Body"] for m in messages]


def test_aiobotocore_client_is_served() -> None:
    with mock_sqs(freeze="2026-01-01T00:00:00Z") as fake:
        url, bodies = asyncio.run(_round_trip())
        assert url == "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"
        assert bodies == ["hello"]
        # The second long poll found nothing and jumped the clock by its whole wait.
        assert fake.time == pytest.approx(1767225600.0 + 20)


@mock_sqs
async def _decorated() -> str:
    session = get_session()
    async with session.create_client("sqs", region_name="us-east-1") as client:
        return (await client.create_queue(QueueName="decorated"))["QueueUrl"]


def test_mock_sqs_decorates_a_coroutine_function() -> None:
    assert asyncio.run(_decorated()).endswith("/decorated")
