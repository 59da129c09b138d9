# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    ModuleHarness,
)


@pytest.fixture
def harness(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> ModuleHarness:
    """The API modules' HTTP layer, sleeping and clock replaced by the in-memory ASP."""
    return ModuleHarness(monkeypatch, capsys)
