"""Put offline-get-pip.py where ansible-test looks for its cached get-pip script.

ansible-test bootstraps pip in every virtual environment it makes by running a
get-pip script for one pinned pip version, downloaded once into a cache.
Without internet the download fails, so the cache entry is filled with our own
bootstrap first. The pinned version is read from the installed ansible-test,
so upgrading ansible-core needs no change here.

Run it with the Python that has ansible-test installed:
``python hack/install-pip-bootstrap.py [PYTHON_VERSION]``.
"""

from __future__ import annotations

import pathlib
import sys
from types import SimpleNamespace

BOOTSTRAP = pathlib.Path(__file__).with_name("offline-get-pip.py")
CACHE = pathlib.Path("~/.ansible/test/cache").expanduser()


def pinned_pip_version(python_version: str) -> str:
    """The pip version ansible-test installs into a new virtual environment of that Python."""
    # Limitation: get_venv_packages is internal to ansible-test; only its
    # version attribute is read, which has been stable across releases.
    from ansible_test._internal.python_requirements import get_venv_packages

    return get_venv_packages(SimpleNamespace(version=python_version))["pip"]


def main(arguments: list[str]) -> None:
    python_version = arguments[0] if arguments else f"{sys.version_info[0]}.{sys.version_info[1]}"
    pip_version = pinned_pip_version(python_version)
    # The name ansible-test's requirements.py bootstrap() looks for.
    target = CACHE / f"get_pip_{pip_version.replace('.', '_')}.py"

    content = BOOTSTRAP.read_bytes()
    if target.exists() and target.read_bytes() == content:
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(content)
    partial.replace(target)
    print(f"offline pip {pip_version} bootstrap installed at {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
