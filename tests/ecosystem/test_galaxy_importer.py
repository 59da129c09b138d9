"""galaxy-importer, the code Galaxy runs on every upload, accepts the tarball without a remark."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ecosystem_tools import tool_environment

IMPORTER_CONFIG = Path(__file__).with_name("galaxy-importer.cfg")


def test_galaxy_importer_accepts_the_tarball_with_no_warning(
    importer_python: Path, collection_tarball: Path, tmp_path: Path
) -> None:
    # The importer calls ansible-doc and ansible-lint by name: the ones of its own venv.
    environment = tool_environment(
        {
            "PATH": f"{importer_python.parent}:{tool_environment()['PATH']}",
            "GALAXY_IMPORTER_CONFIG": str(IMPORTER_CONFIG),
            "GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP": str(tmp_path / "ansible-tmp"),
            "HOME": str(tmp_path),
        }
    )

    completed = subprocess.run(
        [str(importer_python), "-m", "galaxy_importer.main", str(collection_tarball)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    output = completed.stdout + completed.stderr
    remarks = [line for line in output.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert completed.returncode == 0 and not remarks, "\n".join(
        [f"galaxy-importer exited {completed.returncode}", *remarks, "--- full output", output]
    )
    assert "Importing with galaxy-importer" in output
    assert "Linting collection via ansible-lint" in output, "the importer skipped ansible-lint"
