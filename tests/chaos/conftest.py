"""The chaos suite: whole rollouts against an emulator that fails, crashes and gets crashed."""

from __future__ import annotations

from rollout_harness.fixtures import collection_copy, workdir

__all__ = ["collection_copy", "workdir"]
