"""Makes the example application (``examples/orders``) importable, whichever directory pytest
is started from and whatever its import mode."""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES = str(Path(__file__).parent)
if EXAMPLES not in sys.path:
    sys.path.insert(0, EXAMPLES)
