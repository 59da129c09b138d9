"""Refresh the copy of the collection that ansible-test runs in.

ansible-test only works from a directory laid out as
``ansible_collections/<namespace>/<name>``, and it resolves symlinks, so the
repository is copied there with rsync, which only rewrites what changed.
The copy holds what Galaxy would ship (``galaxy.yml``'s ``build_ignore`` is
left out) plus ``tests/``, so sanity tests judge the collection, not the
emulator, the benchmarks or these scripts.

Usage: ``python hack/sync-collection.py DESTINATION``.
"""

from __future__ import annotations

import pathlib
import subprocess
import sys

import yaml

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
# Needed by ansible-test although Galaxy leaves them out.
KEPT_FOR_ANSIBLE_TEST = {"tests"}
# Never part of the collection: version control, the copy itself, the
# virtual environment, ansible-test's own results,
# the settings with-emulator writes into the copy, bytecode and tool caches.
ALWAYS_LEFT_OUT = [
    "/.git",
    "/.build",
    "/.venv",
    "/tests/output",
    "/tests/integration/integration_config.yml",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".hypothesis",
    ".schemathesis",
    ".mypy_cache",
    ".ruff_cache",
]

GIT_EXCLUDE = "/tests/output/\n__pycache__/\n*.pyc\n.pytest_cache/\n"


def left_out_patterns() -> list[str]:
    """rsync exclude patterns, anchored at the repository root."""
    galaxy = yaml.safe_load((REPOSITORY / "galaxy.yml").read_text(encoding="utf-8"))
    build_ignore = [str(entry).strip("/") for entry in galaxy.get("build_ignore") or []]
    patterns = [f"/{entry}" for entry in build_ignore if entry not in KEPT_FOR_ANSIBLE_TEST]
    return patterns + ALWAYS_LEFT_OUT


def main(arguments: list[str]) -> None:
    if len(arguments) != 1:
        sys.exit("usage: sync-collection.py DESTINATION")
    destination = pathlib.Path(arguments[0])
    if destination.parts[-3:-2] != ("ansible_collections",):
        sys.exit(f"sync-collection: {destination} is not ansible_collections/<namespace>/<name>")
    destination.mkdir(parents=True, exist_ok=True)

    command = ["rsync", "--archive", "--delete"]
    command += [f"--exclude={pattern}" for pattern in left_out_patterns()]
    command += [f"{REPOSITORY}/", f"{destination}/"]
    copied = subprocess.run(command, check=False)
    if copied.returncode != 0:
        sys.exit(copied.returncode)

    # ansible-test lists content with git from the nearest .git upwards; that
    # would be the repository, which ignores this copy and so shows no files.
    # A repository of its own makes every file in the copy an untracked file.
    if not (destination / ".git").exists():
        subprocess.run(["git", "init", "--quiet", str(destination)], check=True)
    # The repository's .gitignore is not shipped, so the copy keeps its own
    # list of what is not content: ansible-test's results and bytecode.
    exclude = destination / ".git" / "info" / "exclude"
    exclude.parent.mkdir(parents=True, exist_ok=True)
    exclude.write_text(GIT_EXCLUDE, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
