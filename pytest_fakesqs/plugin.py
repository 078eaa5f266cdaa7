"""pytest glue: the ``fake_sqs`` and ``sqs_client`` fixtures and the ``fake_sqs`` marker.

Loaded through the ``pytest11`` entry point named ``fakesqs`` (so ``-p no:fakesqs`` turns it
off). Importing it must stay cheap: botocore is not imported until a test needs the fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import _hooks
from ._fake import FakeSQS

# Hook botocore as soon as pytest loads us, before application modules (and their import-time
# clients) are imported by test collection.
_hooks.install()

#: Marker options and what they mean; anything else is a usage error.
MARKER_OPTIONS = {
    "seed": "int: make every id the fake produces reproducible",
    "account_id": "str: the account queues are created in (default 123456789012)",
    "freeze": "datetime | ISO 8601 str: start the fake's clock there, moving only when moved",
    "sender_id": "str: the SenderId attribute of sent messages",
    "region": "str: the region of the sqs_client fixture (default us-east-1)",
}
_FAKE_OPTIONS = ("seed", "account_id", "freeze", "sender_id")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fake_sqs(seed=None, account_id=..., freeze=None, sender_id=..., region='us-east-1'): "
        "serve every SQS client from pytest-fakesqs in this test, with these options. "
        "See https://github.com/pytest-fakesqs/pytest-fakesqs#readme",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker alone is enough to switch the fake on.
    for item in items:
        if item.get_closest_marker("fake_sqs") is not None:
            fixturenames = getattr(item, "fixturenames", None)
            if fixturenames is not None and "fake_sqs" not in fixturenames:
                fixturenames.insert(0, "fake_sqs")


def marker_options(node: pytest.Item) -> dict[str, Any]:
    """Options from every fake_sqs marker on the test (module, class, function); closest wins."""
    options: dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers("fake_sqs"))):
        if marker.args:
            raise pytest.UsageError(
                f"{node.nodeid}: @pytest.mark.fake_sqs takes keyword options only, got "
                f"{marker.args!r}"
            )
        for name in marker.kwargs:
            if name not in MARKER_OPTIONS:
                known = ", ".join(MARKER_OPTIONS)
                raise pytest.UsageError(
                    f"{node.nodeid}: unknown @pytest.mark.fake_sqs option {name!r}; "
                    f"known options: {known}"
                )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def fake_sqs(request: pytest.FixtureRequest) -> Iterator[FakeSQS]:
    """An active fake SQS with fresh state, serving every SQS client in the process."""
    options = marker_options(request.node)
    fake = FakeSQS(**{name: options[name] for name in _FAKE_OPTIONS if name in options})
    with fake:
        yield fake


_session: Any = None


def _botocore_session() -> Any:
    """One botocore session for all tests: a new one reloads the service model (~0.1 s)."""
    global _session
    if _session is None:
        import botocore.session

        _session = botocore.session.get_session()
    return _session


@pytest.fixture
def sqs_client(fake_sqs: FakeSQS, request: pytest.FixtureRequest) -> Any:
    """A fresh botocore SQS client served by ``fake_sqs`` (boto3 is not required)."""
    region = marker_options(request.node).get("region", "us-east-1")
    return _botocore_session().create_client("sqs", region_name=region)
