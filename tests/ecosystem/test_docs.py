"""The docs: antsibull-docs' linter on the installed collection, and the site it builds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ecosystem_tools import REPO_ROOT, run_tool
from guide_examples import yaml_examples

DOCSITE = REPO_ROOT / "docs" / "docsite"


def guide_names() -> list[str]:
    sections = yaml.safe_load((DOCSITE / "extra-docs.yml").read_text())["sections"]
    return [guide for section in sections for guide in section["toctree"]]


@pytest.mark.parametrize(
    ("where", "text"), [pytest.param(where, text, id=where) for where, text in yaml_examples()]
)
def test_every_yaml_example_in_the_guides_parses(where: str, text: str) -> None:
    assert text.strip(), f"{where}: an empty code block"
    assert yaml.safe_load(text) is not None, where


def test_every_guide_is_in_the_table_of_contents() -> None:
    on_disk = sorted(path.stem for path in (DOCSITE / "rst").glob("*.rst"))

    assert sorted(guide_names()) == on_disk


def test_antsibull_docs_lint_passes(installed_collection: Path, collections_path: Path) -> None:
    completed = run_tool(
        [
            "antsibull-docs",
            "lint-collection-docs",
            "--plugin-docs",
            "--check-extra-docs-refs",
            "--validate-collection-refs",
            "dependent",
            ".",
        ],
        cwd=installed_collection,
        env={"ANSIBLE_COLLECTIONS_PATH": str(collections_path)},
        check=False,
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip() == ""


def test_the_site_builds_offline_with_every_guide(collections_path: Path, tmp_path: Path) -> None:
    site = tmp_path / "docs"

    run_tool(
        [str(REPO_ROOT / "hack" / "build-docs"), str(site)],
        env={"ANSIBLE_COLLECTIONS_PATH": str(collections_path)},
    )

    html = site / "build" / "html"
    index = (html / "index.html").read_text()
    for guide in guide_names():
        assert f'href="docsite/{guide}.html"' in index, f"the index does not link {guide}"
        assert (html / "docsite" / f"{guide}.html").exists()
    # Links into Ansible's own docs resolve from the local inventory, not from a fetch.
    module_page = (html / "asp_ca_info_module.html").read_text()
    assert "docs.ansible.com/projects/ansible/devel/reference_appendices/common_return_values" in (
        module_page
    )
