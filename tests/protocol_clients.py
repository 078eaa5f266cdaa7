"""SQS clients of either wire protocol, on whatever botocore is installed.

SQS spoke the query protocol (form requests, XML answers) until botocore 1.31.81 and JSON since.
A user on an old botocore, or on a tool that builds its client from an old model (LocalStack's
own tests do), gets query-protocol answers: ``Error`` without ``QueryErrorCode``, exception
classes picked by the legacy code. ``query_client()`` builds such a client on the installed
botocore from the query model botocore 1.29.165 shipped (the package vendors it for its
server), so the main test environment checks both protocols; CI's matrix adds a real 1.29.
"""

from __future__ import annotations

import functools
import gzip
import tempfile
from pathlib import Path
from typing import Any

import boto3
import botocore.session

from pytest_fakesqs._server._models import QUERY_MODEL_FILE


def installed_protocol() -> str:
    """The protocol of the installed botocore's own SQS model: "json" or "query"."""
    return str(_installed_model().protocol)


@functools.lru_cache(maxsize=1)
def _installed_model() -> Any:
    return botocore.session.get_session().get_service_model("sqs")


@functools.lru_cache(maxsize=1)
def _query_model_root() -> str:
    """A data directory holding only sqs/2012-11-05/service-2.json: the query model."""
    root = Path(tempfile.mkdtemp(prefix="fakesqs-query-model-"))
    folder = root / "sqs" / "2012-11-05"
    folder.mkdir(parents=True)
    (folder / "service-2.json").write_bytes(gzip.decompress(QUERY_MODEL_FILE.read_bytes()))
    return str(root)


@functools.lru_cache(maxsize=1)
def query_session() -> Any:
    """A botocore session whose SQS model is the query-protocol one (everything else, the
    endpoint rules included, from the installed botocore)."""
    session = botocore.session.get_session()
    session.get_component("data_loader").search_paths.insert(0, _query_model_root())
    return session


def query_client(region: str = "us-east-1", **kwargs: Any) -> Any:
    """A botocore SQS client speaking the query protocol."""
    client = query_session().create_client("sqs", region_name=region, **kwargs)
    assert client.meta.service_model.protocol == "query"
    return client


def client_of(protocol: str, region: str = "us-east-1", **kwargs: Any) -> Any:
    """A client of ``protocol``: "installed" (boto3's, whatever its protocol) or "query"."""
    if protocol == "query":
        return query_client(region, **kwargs)
    return boto3.client("sqs", region_name=region, **kwargs)


#: The protocols a test can run on here: the installed one, and query if that is not it.
PROTOCOLS = ["installed"] + (["query"] if installed_protocol() != "query" else [])
