"""The two SQS service models the wire codecs are driven by.

JSON requests and responses follow the installed botocore's model (JSON protocol). Query
requests and XML responses follow the query model botocore 1.29.165 shipped (vendored here,
see NOTICE): today's model has lost the query names. An operation or member that model lacks
falls back to the installed model's shape, with botocore's default query naming.
"""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

from botocore.model import OperationModel, ServiceModel

QUERY_MODEL_FILE = Path(__file__).with_name("sqs-query-2012-11-05.json.gz")
XML_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/"
API_VERSION = "2012-11-05"


@functools.lru_cache(maxsize=1)
def json_model() -> ServiceModel:
    """The installed botocore's SQS model."""
    import botocore.session

    return botocore.session.get_session().get_service_model("sqs")


@functools.lru_cache(maxsize=1)
def query_model() -> ServiceModel:
    """The query-protocol model, from the vendored botocore 1.29.165 model."""
    raw: dict[str, Any] = json.loads(gzip.decompress(QUERY_MODEL_FILE.read_bytes()))
    return ServiceModel(raw, "sqs")


def json_operation(name: str) -> OperationModel | None:
    model = json_model()
    return model.operation_model(name) if name in model.operation_names else None


def query_operation(name: str) -> OperationModel | None:
    """The operation in the query model, else (a newer operation) in the installed one."""
    model = query_model()
    if name in model.operation_names:
        return model.operation_model(name)
    return json_operation(name)
