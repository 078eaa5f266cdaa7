"""Running Python in a fresh interpreter, for the stories a test process must not play itself
(botocore imported before the plugin, a fork, no pytest at all)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_python(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python *args`` with this interpreter; its output captured, two minutes at most."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
