"""One deterministic scenario through boto3, compared call by call with a golden transcript.

Every call's whole parsed response (ResponseMetadata included, RetryAttempts left out) or, for
an error, its exception class, ``error.response`` and ``str(error)`` is recorded and compared
with tests/compat/transcript.json. CI (.ci/matrix) runs this file under every supported
botocore, so one file proves the shapes, codes and exceptions are the same everywhere a protocol
is spoken. Query-protocol answers differ from JSON ones where AWS's do (errors: no
QueryErrorCode, an empty Detail, query-era texts): they have sections of their own
("core-query"), recorded here with a client of the vendored query model and checked on a real
query-protocol botocore (1.29) in the matrix.

The core section calls every operation in the oldest supported botocore's model (1.29.165).
The newer section uses parameters that only later models have; it runs where the client's
service model has them, and elsewhere checks that botocore itself rejects them.

One JSON difference is legitimate: newer models give some error codes an exception class of
their own (InvalidAttributeValue, InvalidAddress, RequestThrottled, Kms*...). The golden file
holds what the newest model gives; on a model without that error shape the expected class is
botocore's plain ClientError, with the same code and message and without the shape's members
(``message``) that botocore adds to the response only for a modelled error.

To regenerate the golden file after a deliberate change, on the newest botocore (the project's
own environment):

    FAKESQS_UPDATE_TRANSCRIPT=1 pytest tests/compat/test_transcript.py -p no:xdist

then review the diff of transcript.json like any other change.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ParamValidationError
from protocol_clients import PROTOCOLS, client_of
from scenario import (
    FREEZE,
    NEWER_MEMBERS,
    OLDEST_OPERATIONS,
    REGION,
    SEED,
    Transcript,
    model_has_newer_members,
    play_core,
    play_newer,
)

from pytest_fakesqs import FakeSQS, mock_sqs

GOLDEN = Path(__file__).with_name("transcript.json")
UPDATE = os.environ.get("FAKESQS_UPDATE_TRANSCRIPT") == "1"


@pytest.fixture(params=PROTOCOLS)
def scenario(request: pytest.FixtureRequest) -> Iterator[tuple[FakeSQS, Transcript]]:
    with mock_sqs(seed=SEED, freeze=FREEZE) as fake:
        yield fake, Transcript(client_of(request.param, region=REGION))


def expected_error(wanted: dict[str, Any], client: Any) -> dict[str, Any]:
    """The entry a JSON client of an older model records for an error the newest model
    raised as ``wanted``: without the error's shape, botocore raises a plain ClientError and
    adds no modelled members (``message``) to the response."""
    modelled = {shape.name for shape in client.meta.service_model.error_shapes}
    if wanted["exception"] in modelled:
        return wanted
    response = {k: v for k, v in wanted["error_response"].items() if k != "message"}
    return {**wanted, "exception": "ClientError", "error_response": response}


def section_name(section: str, client: Any) -> str:
    """The golden section of a client: query-protocol answers have a section of their own."""
    return f"{section}-query" if client.meta.service_model.protocol == "query" else section


def load_golden() -> dict[str, Any]:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


def compare(section: str, transcript: Transcript) -> None:
    section = section_name(section, transcript.client)
    if UPDATE:
        assert model_has_newer_members(client_of("installed")), (
            f"regenerate the transcript with the newest botocore: this model lacks {NEWER_MEMBERS}"
        )
        golden = load_golden() if GOLDEN.exists() else {}
        golden[section] = transcript.entries
        GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    expected = load_golden()[section]
    for index, (actual, wanted) in enumerate(zip(transcript.entries, expected, strict=False)):
        if "exception" in wanted:
            wanted = expected_error(wanted, transcript.client)
        assert actual == wanted, f"{section} call {index}: {wanted['operation']}"
    assert len(transcript.entries) == len(expected)


def test_core_section_covers_every_operation_of_the_oldest_model(scenario) -> None:
    fake, transcript = scenario
    play_core(fake, transcript)
    called = {entry["operation"] for entry in transcript.entries}
    assert called == OLDEST_OPERATIONS
    assert set(transcript.client.meta.service_model.operation_names) >= OLDEST_OPERATIONS


def test_core_section_matches_the_golden_transcript(scenario) -> None:
    fake, transcript = scenario
    play_core(fake, transcript)
    compare("core", transcript)


def test_newer_section_matches_the_golden_transcript_where_modelled(scenario) -> None:
    fake, transcript = scenario
    if model_has_newer_members(transcript.client):
        play_newer(fake, transcript)
        compare("newer", transcript)
    else:
        # An older model: botocore refuses the parameter before the fake sees the call.
        with pytest.raises(
            ParamValidationError, match='Unknown parameter in input: "MessageSystemAttributeNames"'
        ):
            play_newer(fake, transcript)
        assert [entry["operation"] for entry in transcript.entries] == [
            "CreateQueue",
            "SendMessage",
        ]
