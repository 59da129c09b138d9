# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module's main() against the in-memory ASP and returns the JSON it printed."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.testing import patch_module_args

from ansible_collections.asp.enterprise_wifi.plugins.module_utils import _connection
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import Retrier
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    API_URL,
    CLIENT_ID,
    CLIENT_SECRET,
    GIVEN_ACCESS_TOKEN,
    REFRESH_TOKEN,
    TOKEN_URL,
    Clock,
    FakeAsp,
    RecordingTransport,
)

CONNECTION = {
    "api_url": API_URL,
    "lwa_token_url": TOKEN_URL,
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "refresh_token": REFRESH_TOKEN,
}
TOKEN_ONLY = {"api_url": API_URL, "access_token": GIVEN_ACCESS_TOKEN}


class ModuleHarness:
    """Wires the modules' transport, sleeping and clock to fakes for the test's duration."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
        self.capsys = capsys
        self.service = FakeAsp()
        self.transport = RecordingTransport(self.service)
        self.clock = Clock()
        self.transport_options: dict[str, Any] = {}
        self.logged: list[str] = []

        def make_transport(**options: Any) -> RecordingTransport:
            self.transport_options = options
            return self.transport

        def make_retrier(policy, log=None) -> Retrier:
            return Retrier(policy, sleep=self.clock.sleep, rng=lambda: 0.5, log=log)

        def record_log(module, message, log_args=None) -> None:
            self.logged.append(message)

        monkeypatch.setattr(AnsibleModule, "log", record_log)
        monkeypatch.setattr(_connection, "HttpTransport", make_transport)
        monkeypatch.setattr(_connection, "Retrier", make_retrier)
        monkeypatch.setattr(
            _connection,
            "AspClient",
            functools.partial(AspClient, sleep=self.clock.sleep, clock=self.clock),
        )

    def run(
        self,
        module,
        args: dict,
        *,
        check_mode: bool = False,
        diff: bool = False,
        connection: dict | None = None,
    ) -> dict:
        module_args = dict(connection if connection is not None else CONNECTION)
        module_args.update(args)
        module_args.update(_ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(module_args), pytest.raises(SystemExit):
            module.main()
        output = self.capsys.readouterr().out
        return json.loads(output)

    def calls(self, method: str, path_prefix: str = "") -> list:
        return self.transport.calls(method, path_prefix)
