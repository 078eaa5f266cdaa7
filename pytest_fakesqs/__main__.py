"""``python -m pytest_fakesqs serve``: a standalone fake SQS over HTTP.

For local development, docker-compose set-ups and test suites in other languages: the state
lives as long as the process. It prints one line, ``pytest-fakesqs serving on
http://HOST:PORT``, once it is listening, and stops cleanly on SIGINT (Ctrl-C) or SIGTERM.
The control plane on the same port (``/_fakesqs/...``) moves its clock, resets it and shows
its state. A bad option or config file is one line on stderr and exit status 2; a port that
cannot be listened on, exit status 1.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

PROG = "python -m pytest_fakesqs"
DEFAULT_PORT = 9324
DEFAULT_REGION = "us-east-1"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: it is what a compose log or CI shows.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _freeze(text: str) -> float:
    """ISO 8601 (a naive one is UTC) or seconds since the epoch."""
    from ._fake import _to_timestamp

    try:
        value: str | float = float(text)
    except ValueError:
        value = text
    try:
        timestamp = _to_timestamp(value)
        # A moment a datetime can show: the fake prints its time in every answer.
        datetime.fromtimestamp(timestamp, tz=timezone.utc)
        return timestamp
    except (ValueError, OverflowError, OSError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither an ISO 8601 date and time (2024-05-01T12:00:00Z) nor "
            "seconds since the epoch"
        ) from None


def _version() -> str:
    from . import __version__

    return f"pytest-fakesqs {__version__}"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="pytest-fakesqs: a fake Amazon SQS.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve a fake SQS over HTTP until interrupted",
        description="Serve a fake SQS over HTTP (SQS's JSON and query protocols) until "
        "interrupted, with a control plane on the same port: POST /_fakesqs/advance "
        '{"seconds": N}, POST /_fakesqs/reset, GET /_fakesqs/state, GET /_fakesqs/health.',
    )
    serve.add_argument("--version", action="version", version=_version())
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to listen on; 0 for any free port (default: %(default)s)",
    )
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help="region of requests whose signature names none, and of the --queue and "
        "--config queues that name none (default: %(default)s)",
    )
    serve.add_argument(
        "--account-id", default=None, help="account of the queues (default: 123456789012)"
    )
    serve.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help="seed of the ids the fake makes (message ids, receipt handles...): the same "
        "calls get the same ids on every run (default: a random seed)",
    )
    serve.add_argument(
        "--freeze",
        type=_freeze,
        default=None,
        metavar="ISO8601|EPOCH",
        help="start the clock at this moment and move it only when told (POST "
        "/_fakesqs/advance); a long poll that runs out its wait leaves it (default: the "
        "clock runs, from now)",
    )
    serve.add_argument(
        "--queue",
        action="append",
        default=[],
        metavar="NAME",
        help="create this queue at start and after each reset; repeatable; a name ending "
        "in .fifo makes a FIFO queue (default: none)",
    )
    serve.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="queues with attributes and tags, in a JSON (.json) or TOML (.toml) file: "
        '{"queues": [{"name": ..., "attributes": {...}, "tags": {...}}]}; created before '
        "the --queue ones (default: none)",
    )
    serve.add_argument(
        "--log-requests",
        action="store_true",
        help="write one line per request to stderr: the fake's time, the operation, the "
        "queue, the HTTP status and the outcome (default: off)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    serve_parser = f"{PROG} serve"
    from ._server._config import ConfigError, load_queues

    queues: list[Any] = []
    if options.config is not None:
        try:
            queues += load_queues(options.config, options.region)
        except ConfigError as error:
            return _fail(serve_parser, f"--config: {error}", 2)
    queues += [{"name": name, "region": options.region} for name in options.queue]

    from ._fake import FakeSQS

    fake_options: dict[str, Any] = {
        "seed": options.seed,
        "freeze": options.freeze,
        "queues": queues,
    }
    if options.account_id is not None:
        fake_options["account_id"] = options.account_id
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    fake = FakeSQS(**fake_options)
    try:
        fake.start()
    except Exception as error:  # botocore's ClientError: a queue SQS would not create
        if type(error).__name__ != "ClientError":
            raise
        return _fail(serve_parser, _queue_error(fake_options, queues, error), 2)
    if options.freeze is not None:
        # Frozen: the clock moves only when the control plane moves it, long polls included.
        fake.engine.polls.keep_frozen_clock = True
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            server = fake.serve(
                options.host,
                options.port,
                region=options.region,
                request_log=sys.stderr if options.log_requests else None,
            )
        except OSError as error:
            where = f"{options.host}:{options.port}"
            return _fail(serve_parser, f"cannot listen on {where}: {error.strerror or error}", 1)
        with server:
            print(f"pytest-fakesqs serving on {server.endpoint_url}", flush=True)
            _run_until(stopping)
    finally:
        fake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _run_until(stopping: threading.Event) -> None:
    # A wait with a timeout, so the signal handler gets to run on every platform.
    while not stopping.wait(1.0):
        pass


def _fail(prog: str, message: str, status: int) -> int:
    print(f"{prog}: error: {message}", file=sys.stderr, flush=True)
    return status


def _queue_error(fake_options: dict[str, Any], queues: list[Any], error: Exception) -> str:
    """Which preset queue SQS refused, and why: the first prefix of the list that fails."""
    from ._fake import FakeSQS

    response: dict[str, Any] = getattr(error, "response", {})
    reason = response.get("Error", {})
    why = f"{reason.get('QueryErrorCode') or reason.get('Code')}: {reason.get('Message')}"
    for count in range(1, len(queues) + 1):
        try:
            FakeSQS(**{**fake_options, "queues": queues[:count]}).start().stop()
        except Exception:
            return f"cannot create the queue {queues[count - 1]['name']!r}: {why}"
    return f"cannot create the queues: {why}"


if __name__ == "__main__":
    sys.exit(main())
