"""No silent escapes to real AWS.

In a pytest run with the plugin, an SQS call that no fake answers would go to AWS. When the
test plainly meant a fake for it, the call is refused instead (``_refusals``):

- it comes from a thread that was started while a fake was active and outlived it (a worker
  the test did not join);
- it comes from a client a fake has served (a module-level client used by a test that forgot
  the fixture, or after the fake stopped);
- it is made in ``setUpClass``/``tearDownClass`` of a ``TestCase`` decorated with ``mock_sqs``,
  which gives each test a fake but not the class set-up.

Only calls to AWS's own endpoints are refused: a client with an ``endpoint_url`` of its own
(LocalStack, a fake_sqs_server) reaches it as before, and so does anything moto's ``mock_aws()``
answers. The pytest plugin arms the guard; ``fakesqs_allow_real_aws = true`` in the ini file
leaves it off, for suites that do call AWS. Outside pytest it is off.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from . import _refusals

if TYPE_CHECKING:
    from collections.abc import Callable

#: Set by the pytest plugin for its run, unless the ini file opts out.
armed = False

#: The clients a fake has served, by the id of their request signer (one per client): a
#: weak reference each, whose callback forgets the id when the client is gone.
_served: dict[int, weakref.ref[object]] = {}
#: Threads started while a fake was active and still alive when it stopped.
_outlived: weakref.WeakKeyDictionary[threading.Thread, None] = weakref.WeakKeyDictionary()
#: Set while a mock_sqs-decorated TestCase runs setUpClass or tearDownClass: where it is.
_class_fixture: ContextVar[str | None] = ContextVar("pytest_fakesqs_class_fixture", default=None)

_OPT_OUT = (
    "or, if this test suite means to call real AWS, set fakesqs_allow_real_aws = true in its "
    "pytest configuration (or run pytest -o fakesqs_allow_real_aws=true)"
)


def note_served(request_signer: object) -> None:
    """Remember that a fake served this client (on every served call: kept cheap)."""
    key = id(request_signer)
    if key not in _served:
        _served[key] = weakref.ref(request_signer, _forgetter(key))


def _forgetter(key: int) -> Callable[[object], None]:
    def forget(_: object) -> None:
        _served.pop(key, None)

    return forget


def threads_now() -> set[threading.Thread] | None:
    """The live threads, when a fake starts (None when the guard is off)."""
    return set(threading.enumerate()) if armed else None


def fake_stopped(threads_at_start: set[threading.Thread] | None) -> None:
    """Remember the threads started while the fake was active that outlive it."""
    if threads_at_start is None:
        return
    me = threading.current_thread()
    for thread in threading.enumerate():
        if thread not in threads_at_start and thread is not me:
            _outlived[thread] = None


@contextmanager
def class_fixture(where: str) -> Iterator[None]:
    """Around a decorated TestCase's setUpClass or tearDownClass: ``where`` names it."""
    token = _class_fixture.set(where)
    try:
        yield
    finally:
        _class_fixture.reset(token)


def check(operation: str, request_signer: object, aws_endpoint: bool) -> None:
    """With no fake active: refuse the call (botocore's ClientError) if it would reach AWS
    although the test meant a fake for it. Called only while the guard is armed."""
    if not aws_endpoint:
        return
    reason = _reason()
    if reason is None:
        signer = _served.get(id(request_signer))
        if signer is None or signer() is not request_signer:
            return
        reason = (
            "this client was served by a fake SQS earlier in this test run, and no fake is "
            "active now. Use it while a fake is active: ask for the fake_sqs fixture (or add "
            "@pytest.mark.fake_sqs) in this test too"
        )
    if _moto_answers():
        return  # moto's mock_aws() answers it before the network: nothing escapes
    _refusals.refuse(
        operation,
        _refusals.REAL_AWS_REFUSED,
        f"pytest-fakesqs refused {operation}, which would have gone to real AWS: {reason}; "
        f"{_OPT_OUT}.",
    )


def _reason() -> str | None:
    """Why the calling thread or code plainly meant a fake, if it did."""
    where = _class_fixture.get()
    if where is not None:
        return (
            f"it was made in {where}, which @mock_sqs does not cover (each test gets a fresh "
            "fake, active from its setUp to its tearDown). Create queues and messages in setUp"
        )
    thread = threading.current_thread()
    if thread in _outlived:
        return (
            f"this thread ({thread.name}) was started while a fake SQS was active, and it "
            "still calls SQS after that fake stopped. Stop and join worker threads before the "
            "test ends, for example: stop.set(); fake_sqs.end_long_polls(); worker.join()"
        )
    return None


def _moto_answers() -> bool:
    """Whether moto's mock_aws() is active: its before-send handler then answers every AWS
    call, SQS included, in the process."""
    models = sys.modules.get("moto.core.models")
    stubber = getattr(models, "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))
