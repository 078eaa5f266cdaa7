"""pytest glue: the ``fake_sqs`` and ``sqs_client`` fixtures and the ``fake_sqs`` marker.

Loaded through the ``pytest11`` entry point named ``fakesqs`` (so ``-p no:fakesqs`` turns it
off). Importing it must stay cheap: botocore is not imported until a test needs the fake.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from . import _escapes, _hooks, _ids

if TYPE_CHECKING:
    from ._fake import FakeSQS
    from ._server import FakeSQSServer

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
    "queues": "list of names or dicts (name, attributes, tags, region): created before the test",
    "realism": "True | dict | Realism: seeded duplicates, reordering, sampled short polls",
    "keep_history": "bool: False keeps no call journal and no record of gone messages",
    "event_sources": "list of dicts (queue, handler, options): Lambda event source mappings",
    "long_polls": "'virtual' | 'real': jump the clock when nothing else can act, or wait",
    "freeze_process": "bool: freeze the whole process on the fake's clock (freezegun)",
    "history_limit": "int | None: calls, and gone messages per queue, kept (default 10000)",
}
_FAKE_OPTIONS = (
    "seed",
    "account_id",
    "freeze",
    "sender_id",
    "queues",
    "realism",
    "keep_history",
    "event_sources",
    "long_polls",
    "freeze_process",
    "history_limit",
)
_SEED_OPTION = "--fakesqs-seed"
_OUTER_SEED_OVERRIDE = pytest.StashKey[int | str | None]()
_LONG_POLLS_INI = "fakesqs_long_polls"
#: The ini file's long_polls mode, checked at configure.
_LONG_POLLS = pytest.StashKey[str]()
_HISTORY_LIMIT_INI = "fakesqs_history_limit"
_ALLOW_REAL_AWS_INI = "fakesqs_allow_real_aws"
_OUTER_ARMED = pytest.StashKey[bool]()
#: The ini file's history limit, when it sets one: None there means "keep everything".
_HISTORY_LIMIT = pytest.StashKey[tuple[int | None] | None]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakesqs", "pytest-fakesqs")
    group.addoption(
        _SEED_OPTION,
        default=None,
        metavar="N|random",
        help="seed of every fake SQS whose test gives none: an int, or 'random' for a new seed "
        "each run (default: each test's seed comes from its node id, so ids repeat)",
    )
    parser.addini(
        _LONG_POLLS_INI,
        "how the fixtures' fakes serve long polls: 'virtual' (default: jump the clock when "
        "nothing else in the test can act) or 'real' (wait in real time, as SQS does); the "
        "marker's long_polls= wins",
        default="virtual",
    )
    parser.addini(
        _HISTORY_LIMIT_INI,
        "how many calls the fixtures' fakes journal, and gone messages each of their queues "
        "keeps: a positive int, or 'none' to keep everything (default: 10000; the marker's "
        "history_limit= wins)",
        default=None,
    )
    parser.addini(
        _ALLOW_REAL_AWS_INI,
        "let SQS calls that no fake answers go to real AWS even when the test meant a fake "
        "for them (a thread started while a fake was active, a client a fake served, a "
        "mock_sqs TestCase's setUpClass); default false: they are refused",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    # Checked here, so a bad --fakesqs-seed stops the run before any test; kept in _ids for
    # mock_sqs() fakes made inside tests.
    config.stash[_OUTER_SEED_OVERRIDE] = _ids.seed_override
    _ids.seed_override = _seed_option(config)
    long_polls = str(config.getini(_LONG_POLLS_INI)).strip()
    if long_polls not in ("virtual", "real"):
        raise pytest.UsageError(f"{_LONG_POLLS_INI} takes 'virtual' or 'real', got {long_polls!r}")
    config.stash[_LONG_POLLS] = long_polls
    config.stash[_HISTORY_LIMIT] = _history_limit_ini(config)
    config.stash[_OUTER_ARMED] = _escapes.armed
    _escapes.armed = not config.getini(_ALLOW_REAL_AWS_INI)
    config.addinivalue_line(
        "markers",
        "fake_sqs(seed=None, account_id=..., freeze=None, sender_id=..., region='us-east-1', "
        "queues=(), realism=None, keep_history=True, history_limit=10000, event_sources=(), "
        "long_polls='virtual', freeze_process=False): "
        "serve every SQS client from pytest-fakesqs in this test, with these options. "
        "See https://github.com/pytest-fakesqs/pytest-fakesqs#readme",
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    # Back to the enclosing session's (a pytester run inside a test run has its own).
    _ids.seed_override = config.stash.get(_OUTER_SEED_OVERRIDE, None)
    _escapes.armed = config.stash.get(_OUTER_ARMED, False)


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


def _marker_region(request: pytest.FixtureRequest) -> str:
    """The markers' `region=`, for the sqs_client and server fixtures (default us-east-1)."""
    region: str = marker_options(request.node).get("region", "us-east-1")
    return region


def _seed_option(config: pytest.Config) -> int | str | None:
    chosen = config.getoption(_SEED_OPTION)
    if chosen is None or chosen == "random":
        return chosen  # type: ignore[no-any-return]
    try:
        return int(chosen)
    except ValueError:
        message = f"{_SEED_OPTION} takes an int or 'random', got {chosen!r}"
        raise pytest.UsageError(message) from None


def _history_limit_ini(config: pytest.Config) -> tuple[int | None] | None:
    """The ini file's ``fakesqs_history_limit``, checked: (limit,), or None when unset."""
    value = config.getini(_HISTORY_LIMIT_INI)
    if value is None or value == "":
        return None
    text = str(value).strip()
    if text.lower() == "none":
        return (None,)
    if text.isdigit() and int(text) > 0:
        return (int(text),)
    raise pytest.UsageError(f"{_HISTORY_LIMIT_INI} takes a positive int or 'none', got {value!r}")


def _seed(scope_id: str) -> int:
    """The seed of a fake whose test names none: --fakesqs-seed, else one from the id."""
    chosen = _ids.seed_override  # --fakesqs-seed, checked by pytest_configure
    if chosen is None:
        return _ids.seed_for(scope_id)
    if chosen == "random":
        return int.from_bytes(os.urandom(8), "big")
    assert isinstance(chosen, int)
    return chosen


@contextmanager
def _active_fake(
    request: pytest.FixtureRequest, options: dict[str, Any], scope_id: str
) -> Iterator[FakeSQS]:
    """A started fake for a fixture; a bad option is a usage error naming the test."""
    chosen = {name: options[name] for name in _FAKE_OPTIONS if name in options}
    chosen.setdefault("long_polls", request.config.stash.get(_LONG_POLLS, "virtual"))
    from_ini = request.config.stash.get(_HISTORY_LIMIT, None)
    if from_ini is not None and "history_limit" not in chosen:
        chosen["history_limit"] = from_ini[0]
    if chosen.get("seed") is None:
        chosen["seed"] = _seed(scope_id)
    from ._fake import FakeSQS  # here, not at import: most runs never need it

    try:
        fake = FakeSQS(**chosen).start()
    except (TypeError, ValueError) as error:
        raise pytest.UsageError(f"{scope_id}: @pytest.mark.fake_sqs: {error}") from None
    except Exception as error:  # botocore's ClientError: a queues= entry SQS rejects
        if type(error).__name__ != "ClientError":
            raise
        raise pytest.UsageError(f"{scope_id}: @pytest.mark.fake_sqs(queues=...): {error}") from None
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def fake_sqs(request: pytest.FixtureRequest) -> Iterator[FakeSQS]:
    """The active `FakeSQS` for the test, with fresh state,
    serving every SQS client in the process from before the test's other function-scoped
    fixtures until after it. Its options come from the `@pytest.mark.fake_sqs(...)` markers
    on the test, its class and its module (the closest wins, option by option); without a
    `seed`, it is seeded from `--fakesqs-seed` or else the test's node id."""
    with _active_fake(request, marker_options(request.node), request.node.nodeid) as fake:
        yield fake


@pytest.fixture(scope="module")
def fake_sqs_module(request: pytest.FixtureRequest) -> Iterator[FakeSQS]:
    """One `FakeSQS` shared by the tests of a module that ask for
    it, from the first of them to the end of the module: state carries over between them.
    Markers do not apply; it is seeded from `--fakesqs-seed` or else the module's node id."""
    with _active_fake(request, {}, request.node.nodeid) as fake:
        yield fake


@pytest.fixture(scope="session")
def fake_sqs_session(request: pytest.FixtureRequest) -> Iterator[FakeSQS]:
    """One `FakeSQS` for the whole session (per xdist worker),
    from the first test that asks for it to the end. Markers do not apply; it is seeded from
    `--fakesqs-seed` or else the string "session". A function-scoped `fake_sqs` in a test
    stacks on top of it, answering every call while that test runs."""
    with _active_fake(request, {}, "session") as fake:
        yield fake


@pytest.fixture
def fake_sqs_server(fake_sqs: FakeSQS, request: pytest.FixtureRequest) -> Iterator[FakeSQSServer]:
    """A `FakeSQSServer`: `fake_sqs` served over HTTP on a
    free localhost port, for subprocesses, the AWS CLI and other SDKs (`server.env()` points
    them at it). Its default region is the marker's `region=` (default `us-east-1`); it stops
    at the end of the test, before the fake."""
    region = _marker_region(request)
    with fake_sqs.serve(region=region) as server:
        yield server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, None]:
    """Under a failing test that used ``fake_sqs``, show each queue and the last calls."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    fakes = sys.modules.get("pytest_fakesqs._fake")
    if fakes is None:  # no fake was ever made in this run
        return
    funcargs: dict[str, Any] = getattr(item, "funcargs", {})
    for name in ("fake_sqs", "fake_sqs_module", "fake_sqs_session"):
        fake = funcargs.get(name)
        if isinstance(fake, fakes.FakeSQS) and fake.active:
            report.sections.append((f"fake SQS ({name})", fake.report()))
            return


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
    """A fresh botocore SQS client served by `fake_sqs` (so asking for it switches the fake
    on), in the marker's `region=` (default `us-east-1`). boto3 is not required."""
    region = _marker_region(request)
    return _botocore_session().create_client("sqs", region_name=region)
