# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

try:
    from ansible.module_utils import _internal as _ansible_internal
except ImportError:  # ansible-core before 2.19 does not tell the controller apart
    _ansible_internal = None

from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    ModuleHarness,
)


@pytest.fixture
def harness(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> ModuleHarness:
    """The API modules' HTTP layer, sleeping and clock replaced by the in-memory ASP."""
    return ModuleHarness(monkeypatch, capsys)


@pytest.fixture(autouse=True)
def module_side_of_ansible(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run modules as on a target, whatever ran before in this process.

    Importing controller code (the action plugin tests do) marks the process as the
    controller, and from then on a module's warnings go to the display instead of
    into its result, where these tests look for them.
    """
    if _ansible_internal is not None:
        monkeypatch.setattr(_ansible_internal, "is_controller", False, raising=False)
