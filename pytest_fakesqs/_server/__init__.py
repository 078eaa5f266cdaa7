"""A localhost HTTP endpoint on a FakeSQS, for clients outside the process (or outside
botocore): JSON and query protocols, driven by botocore's service models.

Layers: ``_models`` (the service models), ``_json_codec`` and ``_query_codec`` (wire <-> params
and parsed responses), ``_wire_errors`` (errors of requests SQS could not read), ``_http``
(the server). The engine below is the same one the in-process hooks call.
"""

from __future__ import annotations

from ._http import FakeSQSServer

__all__ = ["FakeSQSServer"]
