"""The outside clients the server tests drive, installed on first use from the registries.

So that the README's one test command runs every test on a fresh machine, the AWS CLI (in a
virtual environment of its own: it pins its own botocore) and the AWS SDK for JavaScript
(`npm ci` from the committed lock file) are installed by the first test that needs them, under
a file lock (xdist workers race for it), and reused afterwards.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
JS_DIR = Path(__file__).parent / "js"
SDK_DIR = JS_DIR / "node_modules" / "@aws-sdk" / "client-sqs"
#: Pinned: the tests assert its exit codes and stderr wording.
AWS_CLI_REQUIREMENT = "awscli==1.46.3"
AWS_CLI_VENV = REPO / ".venv-awscli"
#: Installs take seconds; a stuck registry must not hang the run for ever.
INSTALL_TIMEOUT = 600  # real-time: downloads from the package registries


@contextmanager
def _locked(name: str) -> Iterator[None]:
    with open(REPO / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
    )
    if done.returncode != 0:
        pytest.fail(f"installing {what} failed: {' '.join(command)}\n{done.stderr}", pytrace=False)


def aws_cli() -> str:
    """The `aws` executable: $FAKESQS_AWS_CLI, or AWS CLI v1 installed into .venv-awscli."""
    given = os.environ.get("FAKESQS_AWS_CLI")
    if given:
        if not os.access(given, os.X_OK):
            pytest.fail(f"FAKESQS_AWS_CLI={given!r} is not an executable file", pytrace=False)
        return given
    executable = AWS_CLI_VENV / "bin" / "aws"
    marker = AWS_CLI_VENV / f"installed-{AWS_CLI_REQUIREMENT}"
    with _locked("venv-awscli"):
        if not marker.exists():
            shutil.rmtree(AWS_CLI_VENV, ignore_errors=True)
            _run([sys.executable, "-m", "venv", str(AWS_CLI_VENV)], "a venv for the AWS CLI")
            pip = str(AWS_CLI_VENV / "bin" / "pip")
            _run([pip, "install", "--quiet", AWS_CLI_REQUIREMENT], AWS_CLI_REQUIREMENT)
            marker.touch()
    return str(executable)


def node_and_sdk() -> str:
    """The node executable, with @aws-sdk/client-sqs installed in tests/server/js."""
    node = shutil.which("node")
    npm = shutil.which("npm")
    if node is None or npm is None:
        pytest.fail(
            "node and npm must be on PATH: these tests run the AWS SDK for JavaScript v3 with "
            "the machine's Node.js (20 or newer)",
            pytrace=False,
        )
    with _locked("npm-ci"):
        if not SDK_DIR.is_dir():
            _run([npm, "ci", "--prefix", str(JS_DIR), "--no-audit", "--no-fund"], "the JS SDK")
    return node
