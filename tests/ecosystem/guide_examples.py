"""The YAML examples of the guides under docs/docsite/rst, as their readers see them."""

from __future__ import annotations

import textwrap
from typing import Any

from ecosystem_tools import REPO_ROOT

GUIDES_DIR = REPO_ROOT / "docs" / "docsite" / "rst"
# Collections whose modules ansible-lint can resolve in the suite.
RESOLVABLE = ("asp.enterprise_wifi.", "ansible.builtin.")


def yaml_examples() -> list[tuple[str, str]]:
    """(guide:line, text) of every `.. code-block:: yaml` in the guides."""
    examples = []
    for guide in sorted(GUIDES_DIR.glob("*.rst")):
        lines = guide.read_text().splitlines()
        for number, line in enumerate(lines):
            if line.strip() != ".. code-block:: yaml":
                continue
            indent = len(line) - len(line.lstrip()) + 1
            body = []
            for following in lines[number + 1 :]:
                if following.strip() and len(following) - len(following.lstrip()) < indent:
                    break
                body.append(following)
            examples.append((f"{guide.stem}:{number + 1}", textwrap.dedent("\n".join(body))))
    return examples


def as_plays(example: Any, where: str) -> list[dict] | None:
    """The example as a playbook if it is tasks or plays of resolvable modules, else None."""
    if not isinstance(example, list) or not all(isinstance(entry, dict) for entry in example):
        return None
    if all("hosts" in entry for entry in example):
        plays = example
    elif all("name" in entry for entry in example):
        play = {"name": f"Guide example {where}", "hosts": "localhost", "gather_facts": False}
        plays = [{**play, "tasks": example}]
    else:
        return None
    modules = {
        key for play in plays for task in play.get("tasks", []) for key in task if "." in key
    }
    if not modules or not all(module.startswith(RESOLVABLE) for module in modules):
        return None
    return plays
