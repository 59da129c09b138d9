"""What AWX puts into a job's environment for a credential of our credential type.

AWX renders every `injectors.env` template in a sandboxed Jinja environment
whose namespace holds the credential's inputs; an input the credential does
not hold is undefined and renders as an empty string, and the variable is set
all the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ecosystem_tools import REPO_ROOT

CREDENTIAL_TYPE_PATH = REPO_ROOT / "extensions" / "awx" / "credential_type.yml"


def load_credential_type(path: Path = CREDENTIAL_TYPE_PATH) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def injected_environment(credential_inputs: dict[str, str]) -> dict[str, str]:
    """The environment variables a job gets from a credential holding `credential_inputs`."""
    credential_type = load_credential_type()
    known_inputs = {field["id"] for field in credential_type["inputs"]["fields"]}
    unknown = set(credential_inputs) - known_inputs
    if unknown:
        raise ValueError(f"the credential type has no inputs named {sorted(unknown)}")
    sandbox = ImmutableSandboxedEnvironment()
    return {
        variable: sandbox.from_string(template).render(**credential_inputs)
        for variable, template in credential_type["injectors"]["env"].items()
    }
