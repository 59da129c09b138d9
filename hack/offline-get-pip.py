"""Install pip into an empty virtual environment without downloading get-pip.

ansible-test runs this file in place of the get-pip script it would download,
passing it the arguments get-pip takes: pip install arguments (such as
``pip==24.2``) plus get-pip's own ``--no-setuptools`` and ``--no-wheel``.
The interpreter's bundled ``ensurepip`` provides a first pip with no network,
and that pip then installs what was asked for from whichever package index
pip is configured to use.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import subprocess
import sys

GET_PIP_ONLY_FLAGS = {"--no-setuptools": "setuptools", "--no-wheel": "wheel"}


def installed_distributions() -> set[str]:
    """Names of the distributions importable by this interpreter right now."""
    importlib.invalidate_caches()
    return {(dist.metadata["Name"] or "").lower() for dist in importlib.metadata.distributions()}


def requested_names(pip_arguments: list[str]) -> set[str]:
    """Rough project names of the requirement arguments, enough to spot setuptools or wheel."""
    names = set()
    for argument in pip_arguments:
        if argument.startswith("-"):
            continue
        for separator in "=<>!~[; ":
            argument = argument.split(separator, 1)[0]
        names.add(argument.lower())
    return names


def run(command: list[str]) -> None:
    """Run a command with this interpreter and stop with its status if it fails."""
    completed = subprocess.run([sys.executable, *command], check=False)
    if completed.returncode != 0:
        print(
            f"offline-get-pip: '{' '.join(command)}' failed with status {completed.returncode}",
            file=sys.stderr,
        )
        sys.exit(completed.returncode)


def main(arguments: list[str]) -> None:
    unwanted = {name for flag, name in GET_PIP_ONLY_FLAGS.items() if flag in arguments}
    pip_arguments = [argument for argument in arguments if argument not in GET_PIP_ONLY_FLAGS]
    if not requested_names(pip_arguments):
        pip_arguments.append("pip")

    before = installed_distributions()
    # A subprocess, because ensurepip clears the PIP_* environment and pip's
    # configuration for the rest of the process it runs in.
    run(["-m", "ensurepip", "--upgrade"])
    brought_by_ensurepip = installed_distributions() - before

    run(["-m", "pip", "install", "--upgrade", *pip_arguments])

    # Older ensurepip wheels bring setuptools along; get-pip would not have.
    leftovers = sorted((unwanted & brought_by_ensurepip) - requested_names(pip_arguments))
    if leftovers:
        run(["-m", "pip", "uninstall", "--yes", "--quiet", *leftovers])


if __name__ == "__main__":
    main(sys.argv[1:])
