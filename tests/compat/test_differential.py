"""The in-process answer equals botocore's own parse of the bytes the server sends.

The fake answers a client at botocore's ``before-call`` with a parsed dict built by hand
(``pytest_fakesqs._protocols``); the localhost server encodes the same engine answer onto the
wire with model-driven codecs (``pytest_fakesqs._server._exchange``). Here one scenario runs
twice, on two fakes with the same seed and frozen clock:

- fast: a client served at ``before-call``, as users' clients are;
- wire: a client whose ``before-call`` answer is unhooked and whose ``before-send`` returns the
  server's bytes for the request botocore built, so botocore serializes, parses (its own
  response parser for the client's protocol), adds modelled error members, runs its after-call
  handlers and picks the exception class exactly as against AWS.

Every call's outcome must be the same: response, or exception class, ``error.response`` and
``str(error)``. Only these fields may legitimately differ, and are left out:

- ``ResponseMetadata.HTTPHeaders`` ``date`` and ``connection``: the fast path adds them to look
  like AWS; the wire answer here is built without an HTTP layer (the server's own HTTP layer
  adds a real ``Date`` and ``Content-Length``);
- ``ResponseMetadata.RetryAttempts`` and ``MaxAttemptsReached``: the fast path answers before
  botocore's retry layer (docs/fault-injection.md); the wire client is made with a single
  attempt so botocore does not retry the 5xx and throttling answers the scenario provokes, and
  then marks them ``MaxAttemptsReached`` (and ``str(error)`` says "reached max retries: 0").

CI runs this file on every botocore of the version matrix (query protocol on 1.29).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import botocore
import pytest
from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.config import Config
from protocol_clients import PROTOCOLS, client_of
from scenario import (
    FREEZE,
    REGION,
    SEED,
    Transcript,
    model_has_newer_members,
    play_core,
    play_newer,
    url,
)

from pytest_fakesqs import FakeSQS, _errors, _hooks, mock_sqs
from pytest_fakesqs._server import _exchange

BOTOCORE = tuple(int(part) for part in botocore.__version__.split(".")[:2])
#: Headers only the fast path has (see the module docstring).
FAST_PATH_ONLY_HEADERS = {"date", "connection"}
#: Metadata only a client that stopped retrying has (see the module docstring).
RETRY_METADATA = {"RetryAttempts", "MaxAttemptsReached"}
SINGLE_ATTEMPT = Config(retries={"total_max_attempts": 1})


class _Body:
    """The raw body botocore's AWSResponse reads."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def _answer_from_the_wire(request: Any, **_: Any) -> AWSResponse:
    """before-send: the bytes the localhost server would send for this request."""
    split = urlsplit(request.url)
    body = request.body or b""
    # A prepared request's header values are bytes; on the wire they are text.
    headers = HTTPHeaders.from_dict(
        {
            name: value.decode() if isinstance(value, bytes) else value
            for name, value in request.headers.items()
        }
    )
    reply = _exchange.answer(
        _hooks.active(),
        path=split.path + (f"?{split.query}" if split.query else ""),
        headers=headers,
        body=body.encode() if isinstance(body, str) else body,
        default_region=REGION,
        endpoint=_hooks.endpoint_of(request.url),
    )
    return AWSResponse(request.url, reply.status, reply.headers, _Body(reply.body))


def wire_client(protocol: str) -> Any:
    client = client_of(protocol, region=REGION, config=SINGLE_ATTEMPT)
    client.meta.events.unregister("before-call", _hooks.answer_call)
    client.meta.events.register("before-send.sqs", _answer_from_the_wire)
    return client


def comparable(entry: dict[str, Any]) -> dict[str, Any]:
    """A transcript entry without the fields that may differ (see the module docstring)."""
    key = "error_response" if "error_response" in entry else "response"
    response = dict(entry[key])
    metadata = {
        name: value
        for name, value in response["ResponseMetadata"].items()
        if name not in RETRY_METADATA
    }
    metadata["HTTPHeaders"] = {
        name: value
        for name, value in metadata["HTTPHeaders"].items()
        if name not in FAST_PATH_ONLY_HEADERS
    }
    response["ResponseMetadata"] = metadata
    entry = {**entry, key: response}
    if "str" in entry:
        entry["str"] = entry["str"].replace(" (reached max retries: 0)", "")
    return entry


def play_both(protocol: str, play: Callable[[FakeSQS, Transcript], None]) -> list[tuple[Any, Any]]:
    outcomes = []
    for make_client in (lambda: client_of(protocol, region=REGION), lambda: wire_client(protocol)):
        with mock_sqs(seed=SEED, freeze=FREEZE) as fake:
            transcript = Transcript(make_client())
            play(fake, transcript)
            outcomes.append([comparable(entry) for entry in transcript.entries])
    fast, wire = outcomes
    assert len(fast) == len(wire)
    return list(zip(fast, wire, strict=True))


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_operation_answers_alike_in_process_and_on_the_wire(protocol: str) -> None:
    pairs = play_both(protocol, play_core)
    assert len(pairs) > 100
    for index, (fast, wire) in enumerate(pairs):
        assert fast == wire, f"call {index}: {fast['operation']}"


def test_newer_parameters_answer_alike() -> None:
    protocols = [p for p in PROTOCOLS if model_has_newer_members(client_of(p))]
    # Only models older than botocore 1.34 lack them (the query model, and the first JSON
    # ones); test_transcript checks that botocore itself refuses them there.
    assert protocols or BOTOCORE < (1, 34)
    for protocol in protocols:
        for index, (fast, wire) in enumerate(play_both(protocol, play_newer)):
            assert fast == wire, f"{protocol} call {index}: {fast['operation']}"


def _every_error_kind(fake: FakeSQS, t: Transcript) -> None:
    t.call("CreateQueue", QueueName="jobs")
    for name, kind in sorted(_errors.ERROR_KINDS.items()):
        if name != kind.query_code:  # each kind once, by its modelled name
            continue
        fake.fail_next("GetQueueUrl", name)
        t.call("GetQueueUrl", QueueName="jobs")
        fake.fail_next("SendMessage", name, message=f"a message of the test's own for {name}")
        t.call("SendMessage", QueueUrl=url("jobs"), MessageBody="x")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_error_kind_answers_alike(protocol: str) -> None:
    pairs = play_both(protocol, _every_error_kind)
    kinds = {kind.query_code for kind in _errors.ERROR_KINDS.values()}
    assert len(pairs) == 1 + 2 * len(kinds)
    for index, (fast, wire) in enumerate(pairs):
        assert fast == wire, f"call {index}: {fast['operation']}"
        if index:
            assert "exception" in fast
