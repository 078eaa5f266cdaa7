"""The standalone server's ``--config`` file: the queues to create at start, and again after
each reset, in JSON (``.json``) or TOML (``.toml``)::

    {"queues": [{"name": "orders-dlq"},
                {"name": "orders", "attributes": {"VisibilityTimeout": 45}, "tags": {"team": "a"}}]}

Each queue is a ``name`` with optional ``attributes`` (CreateQueue's; numbers, booleans and,
for policies, tables are turned into SQS's strings), ``tags`` and ``region`` (default: the
server's ``--region``), as the ``queues=`` option of ``mock_sqs`` takes them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .. import _setup


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the problem."""


def load_queues(path: Path, default_region: str) -> list[dict[str, Any]]:
    """The queues of a config file, each a dict for ``mock_sqs(queues=...)``."""
    data = _parse(path)
    if not isinstance(data, dict) or not isinstance(data.get("queues"), list):
        raise ConfigError(f'{path}: the file holds a table with a "queues" list')
    unknown = sorted(set(data) - {"queues"})
    if unknown:
        raise ConfigError(f'{path}: unknown keys {unknown}; the only key is "queues"')
    queues = [
        {"region": default_region, **entry} if isinstance(entry, dict) else entry
        for entry in data["queues"]
    ]
    try:
        _setup.queue_specs(queues)
    except ValueError as error:
        raise ConfigError(f"{path}: {error}") from None
    return queues


def _parse(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ConfigError(f"{path}: a config file is JSON (.json) or TOML (.toml)")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path} is not UTF-8 text: {error}") from None
    if suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as error:
            raise ConfigError(f"{path} is not valid JSON: {error}") from None
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}") from None
    raise ConfigError(
        f"{path}: TOML config files need Python 3.11 or later (tomllib); on Python 3.10, "
        "write the same content as JSON"
    )
