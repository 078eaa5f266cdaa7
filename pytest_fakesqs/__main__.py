"""``python -m pytest_fakesqs serve``: a standalone fake SQS over HTTP, on a running clock.

For local development and for tools that cannot run inside a test: the state lives as long as
the process. It prints one line, ``pytest-fakesqs serving on http://HOST:PORT``, once it is
listening, and stops cleanly on SIGINT (Ctrl-C) or SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pytest_fakesqs")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a fake SQS over HTTP until interrupted")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=9324, help="port (0: any free port)")
    serve.add_argument(
        "--region", default="us-east-1", help="region of requests whose signature names none"
    )
    serve.add_argument("--account-id", default=None, help="account of the queues")
    serve.add_argument("--seed", type=int, default=None, help="seed of the fake's ids")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    from ._fake import FakeSQS

    fake_options: dict[str, object] = {"seed": options.seed}
    if options.account_id is not None:
        fake_options["account_id"] = options.account_id
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with (
            FakeSQS(**fake_options) as fake,  # type: ignore[arg-type]
            fake.serve(options.host, options.port, region=options.region) as server,
        ):
            print(f"pytest-fakesqs serving on {server.endpoint_url}", flush=True)
            while not stopping.wait(1.0):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
