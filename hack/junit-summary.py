"""Count the test cases in JUnit XML reports and fail when none ran.

ansible-test reports success when it finds no unit test or no integration
target, and pytest's "no tests collected" (status 5) is swallowed on the way,
so the reports it writes are the only reliable record of what really ran.

Usage: ``python hack/junit-summary.py LABEL REPORT_OR_DIRECTORY...``; prints one
line such as ``units: 12 passed, 0 failed, 1 skipped`` and exits non-zero when
nothing ran or something failed.
"""

from __future__ import annotations

import pathlib
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0
    skipped: int = 0

    def add_report(self, report: pathlib.Path) -> None:
        for test_case in ElementTree.parse(report).getroot().iter("testcase"):
            outcomes = {child.tag for child in test_case}
            if outcomes & {"failure", "error"}:
                self.failed += 1
            elif "skipped" in outcomes:
                self.skipped += 1
            else:
                self.passed += 1

    @property
    def ran(self) -> int:
        return self.passed + self.failed


def reports_in(locations: list[str]) -> list[pathlib.Path]:
    reports: list[pathlib.Path] = []
    for location in map(pathlib.Path, locations):
        reports += sorted(location.rglob("*.xml")) if location.is_dir() else [location]
    return [report for report in reports if report.is_file()]


def main(arguments: list[str]) -> int:
    if len(arguments) < 2:
        sys.exit("usage: junit-summary.py LABEL REPORT_OR_DIRECTORY...")
    label, locations = arguments[0], arguments[1:]

    tally = Tally()
    reports = reports_in(locations)
    for report in reports:
        tally.add_report(report)

    print(f"{label}: {tally.passed} passed, {tally.failed} failed, {tally.skipped} skipped")
    if not reports:
        print(f"{label}: no JUnit report was written, so no test ran", file=sys.stderr)
        return 5
    if tally.ran == 0:
        print(
            f"{label}: the reports hold no test that ran; a suite with no tests fails",
            file=sys.stderr,
        )
        return 5
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
