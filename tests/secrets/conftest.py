"""The secrets and trust suite: leaks in what ansible prints, TLS checks, file modes."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chaos"))

# pylint: disable=wrong-import-position
from rollout_harness.fixtures import collection_copy, workdir  # noqa: E402
from scanned_rollout import secret_rollout  # noqa: E402

__all__ = ["collection_copy", "secret_rollout", "workdir"]
