"""Shared fixtures for the API tests: real boto3/botocore clients served by the fake."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from sqs_helpers import REGION

from pytest_fakesqs import FakeSQS


@pytest.fixture
def client(fake_sqs: FakeSQS) -> Any:
    """A boto3 SQS client in us-east-1, served by ``fake_sqs``."""
    return boto3.client("sqs", region_name=REGION)


@pytest.fixture
def queue_url(client: Any) -> str:
    """The URL of a fresh standard queue named ``test-queue``."""
    url: str = client.create_queue(QueueName="test-queue")["QueueUrl"]
    return url
