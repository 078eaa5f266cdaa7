"""Shared by every test of the project.

The package imports its modules on first use (to keep pytest's start-up cheap). Tests that run
pytest in-process (pytester) restore ``sys.modules`` afterwards, dropping modules first imported
inside the inner run; a later import would then make second copies of classes (``Realism``)
and module state (``_ids.seed_override``). Importing everything here, before any inner run,
keeps one copy.
"""

import pytest_fakesqs._fake  # noqa: F401
