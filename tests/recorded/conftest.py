"""Clients for the recorded-AWS tests: one per protocol the recordings were made with.

``[sqs]`` recordings came from a JSON-protocol botocore client, ``[sqs_query]`` ones from a
botocore client built from SQS's query-protocol model. ``json_client`` is a boto3 client of the
installed botocore; ``query_client`` is a botocore client of the same botocore, loaded with the
query-protocol model botocore 1.29.165 shipped (the package vendors it for its HTTP server).
Tests that exist for both protocols take ``client``, parametrized by ``protocol``.
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from protocol_clients import query_client as make_query_client

from pytest_fakesqs import FakeSQS

# Before the helpers are first imported: their asserts then explain themselves.
pytest.register_assert_rewrite("recording_helpers")
from recording_helpers import REGION  # noqa: E402


@pytest.fixture
def json_client(fake_sqs: FakeSQS) -> Any:
    """A boto3 client of the installed botocore (JSON protocol), served by ``fake_sqs``."""
    client = boto3.client("sqs", region_name=REGION)
    assert client.meta.service_model.protocol == "json"
    return client


@pytest.fixture
def query_client(fake_sqs: FakeSQS) -> Any:
    """A botocore client built from the query-protocol model, served by ``fake_sqs``."""
    return make_query_client(REGION)


@pytest.fixture
def client(protocol: str, request: pytest.FixtureRequest) -> Any:
    """The client of the recording's protocol: ``sqs`` (JSON) or ``sqs_query``."""
    name = {"sqs": "json_client", "sqs_query": "query_client"}[protocol]
    return request.getfixturevalue(name)
