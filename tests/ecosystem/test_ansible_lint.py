"""ansible-lint's production profile, no skips, on the role, the playbooks and the examples."""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from ecosystem_tools import REPO_ROOT, run_tool
from guide_examples import as_plays, yaml_examples

LINTED_PATHS = ("roles", "playbooks", "extensions", "meta")


class IndentedListDumper(yaml.SafeDumper):
    """Indents lists under their key, as yamllint's default configuration wants."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def module_examples() -> dict[str, list[dict]]:
    """Each module's EXAMPLES, parsed from its source without importing it."""
    examples = {}
    for module in sorted((REPO_ROOT / "plugins" / "modules").glob("*.py")):
        for node in ast.parse(module.read_text()).body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(target, "id", None) for target in node.targets] == ["EXAMPLES"]
                and isinstance(node.value, ast.Constant)
            ):
                examples[module.stem] = yaml.safe_load(node.value.value)
    return examples


def guide_playbooks() -> dict[str, list[dict]]:
    """The guides' examples that are tasks or plays of modules the suite can resolve."""
    playbooks = {}
    for where, text in yaml_examples():
        plays = as_plays(yaml.safe_load(text), where)
        if plays:
            playbooks[where.replace(":", "_line")] = plays
    return playbooks


def write_playbook(path: Path, plays: list[dict]) -> Path:
    path.write_text("---\n" + yaml.dump(plays, Dumper=IndentedListDumper, sort_keys=False))
    return path


def write_examples_as_playbooks(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    playbooks = [
        write_playbook(directory / f"{where}.yml", plays)
        for where, plays in guide_playbooks().items()
    ]
    for module, examples in module_examples().items():
        # EXAMPLES hold tasks, or whole plays when a module only makes sense in one.
        if not all("hosts" in entry for entry in examples):
            examples = [
                {
                    "name": f"Examples of {module}",
                    "hosts": "localhost",
                    "gather_facts": False,
                    "tasks": examples,
                }
            ]
        playbooks.append(write_playbook(directory / f"{module}_examples.yml", examples))
    return playbooks


def test_every_module_has_examples() -> None:
    modules = {module.stem for module in (REPO_ROOT / "plugins" / "modules").glob("*.py")}

    examples = module_examples()

    assert modules and set(examples) == modules
    assert all(tasks for tasks in examples.values()), "a module has an empty EXAMPLES"


def test_the_guides_have_examples_ansible_lint_can_check() -> None:
    assert len(guide_playbooks()) >= 4


def test_ansible_lint_production_profile_passes(collections_path: Path) -> None:
    # The generated example playbooks live in the project, where ansible-lint's
    # project-relative rules apply to them as to any playbook of ours.
    examples_dir = REPO_ROOT / ".build" / "lint-examples"
    examples = write_examples_as_playbooks(examples_dir)

    completed = run_tool(
        [
            "ansible-lint",
            "--profile",
            "production",
            "--strict",
            "--offline",
            "--format",
            "pep8",
            "--nocolor",
            *LINTED_PATHS,
            *(str(playbook.relative_to(REPO_ROOT)) for playbook in examples),
        ],
        cwd=REPO_ROOT,
        env={"ANSIBLE_COLLECTIONS_PATH": str(collections_path)},
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
