"""Regenerate pytest_fakesqs/_server/sqs-query-2012-11-05.json.gz: SQS's query-protocol model.

botocore since 1.31 models SQS with the JSON protocol only, and its model has lost the query
protocol's XML and form names (``locationName``, ``flattened``, ``resultWrapper``). The fake's
HTTP server still speaks the query protocol (boto 2, old SDKs, hand-written requests), so it
keeps the last query model botocore shipped, from botocore 1.29.165 (Apache License 2.0,
Copyright Amazon.com, Inc. or its affiliates), without its documentation strings.

    python scripts/vendor_query_model.py            # download botocore 1.29.165 and rewrite
    python scripts/vendor_query_model.py WHEEL      # from a wheel already downloaded
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "pytest_fakesqs" / "_server" / "sqs-query-2012-11-05.json.gz"
VERSION = "1.29.165"
PIP_DOWNLOAD = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
MEMBER = "botocore/data/sqs/2012-11-05/service-2.json"


def _without_documentation(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_documentation(v) for k, v in node.items() if k != "documentation"}
    if isinstance(node, list):
        return [_without_documentation(item) for item in node]
    return node


def main(argv: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        if argv:
            wheel = Path(argv[0])
        else:
            subprocess.run(
                [*PIP_DOWNLOAD, f"botocore=={VERSION}", "--dest", scratch],
                check=True,
            )
            wheel = next(Path(scratch).glob("botocore-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            model = json.loads(archive.read(MEMBER))
    assert model["metadata"]["protocol"] == "query", model["metadata"]
    # Key order kept: XML elements come out in the order the model lists the members.
    text = json.dumps(_without_documentation(model), separators=(",", ":"))
    # mtime=0: the same model always gives the same bytes.
    TARGET.write_bytes(gzip.compress(text.encode(), mtime=0))
    print(f"wrote {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main(sys.argv[1:])
