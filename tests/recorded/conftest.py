"""Clients for the recorded-AWS tests: one per protocol the recordings were made with.

``[sqs]`` recordings came from a JSON-protocol botocore client, ``[sqs_query]`` ones from a
botocore client built from SQS's query-protocol model. ``json_client`` is a boto3 client of the
installed botocore; ``query_client`` is a botocore client of the same botocore, loaded with the
query-protocol model botocore 1.29.165 shipped (the package vendors it for its HTTP server).
Tests that exist for both protocols take ``client``, parametrized by ``protocol``.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest

from pytest_fakesqs import FakeSQS

# Before the helpers are first imported: their asserts then explain themselves.
pytest.register_assert_rewrite("recording_helpers")
from recording_helpers import REGION  # noqa: E402

QUERY_MODEL = (
    Path(__file__).parents[2] / "pytest_fakesqs" / "_server" / "sqs-query-2012-11-05.json.gz"
)


@pytest.fixture(scope="session")
def query_session(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A botocore session whose data loader finds the query-protocol SQS model first."""
    data = tmp_path_factory.mktemp("query-model")
    model_dir = data / "sqs" / "2012-11-05"
    model_dir.mkdir(parents=True)
    (model_dir / "service-2.json").write_bytes(gzip.decompress(QUERY_MODEL.read_bytes()))
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, str(data))
    return session


@pytest.fixture
def json_client(fake_sqs: FakeSQS) -> Any:
    """A boto3 client of the installed botocore (JSON protocol), served by ``fake_sqs``."""
    client = boto3.client("sqs", region_name=REGION)
    assert client.meta.service_model.protocol == "json"
    return client


@pytest.fixture
def query_client(fake_sqs: FakeSQS, query_session: Any) -> Any:
    """A botocore client built from the query-protocol model, served by ``fake_sqs``."""
    client = query_session.create_client("sqs", region_name=REGION)
    assert client.meta.service_model.protocol == "query"
    return client


@pytest.fixture
def client(protocol: str, request: pytest.FixtureRequest) -> Any:
    """The client of the recording's protocol: ``sqs`` (JSON) or ``sqs_query``."""
    name = {"sqs": "json_client", "sqs_query": "query_client"}[protocol]
    return request.getfixturevalue(name)
