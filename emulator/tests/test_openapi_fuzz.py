"""Property-based fuzzing with schemathesis against the emulator's own OpenAPI document.

The run is small by default so CI stays quick; set ASP_EMULATOR_FUZZ_EXAMPLES (examples
per operation, default 10) higher for a deeper run, e.g. `make test-emulator-fuzz`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from asp_emulator.testing import running_emulator

EXAMPLES = int(os.environ.get("ASP_EMULATOR_FUZZ_EXAMPLES", "10"))


def test_schemathesis_finds_no_server_error_no_crash_and_no_schema_mismatch(
    tmp_path: Path,
) -> None:
    schemathesis = Path(sys.executable).with_name("schemathesis")
    # EC keys keep the many creates of a fuzz run cheap; the API is the same.
    with running_emulator(creation_delay=0, key_type="ec", quiet=True) as emulator:
        access_token = emulator.mint_token(lifetime=10**9)
        result = subprocess.run(
            [
                str(schemathesis),
                "run",
                f"{emulator.url}/openapi.json",
                "--header",
                f"Authorization: Bearer {access_token}",
                "--max-examples",
                str(EXAMPLES),
                "--checks",
                "all",
                # Schema-valid is not enough for an import: the PEM must also be a
                # certificate signed for the CA's key, which no generator can guess.
                "--exclude-checks",
                "positive_data_acceptance",
                "--generation-database",
                "none",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=900,
        )
        still_serving = emulator.request("GET", "/_emulator/health")[0]
        emulator.stop()
        log = Path(emulator.log_path).read_text()

    report = result.stdout[-6000:].replace(access_token, "<token>")
    assert result.returncode == 0, report
    assert still_serving == 200
    assert "Traceback" not in log, log[-4000:]
