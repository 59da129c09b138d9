# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from ansible.plugins.action import ActionBase

from ansible_collections.asp.enterprise_wifi.plugins.action.asp_access_token import ActionModule


def run_action(monkeypatch, task_args: dict, module_result: dict) -> tuple[dict, dict]:
    calls: dict = {}

    def execute_module(self, module_name=None, module_args=None, task_vars=None, **kwargs):
        calls.update(module_name=module_name, module_args=module_args)
        return dict(module_result)

    monkeypatch.setattr(ActionBase, "run", lambda self, tmp=None, task_vars=None: {})
    monkeypatch.setattr(ActionBase, "_execute_module", execute_module)
    task = MagicMock()
    task.args = task_args
    task.async_val = 0
    action = ActionModule(task, MagicMock(), MagicMock(), MagicMock(), MagicMock(), MagicMock())
    return action.run(task_vars={}), calls


def test_a_successful_result_is_hidden_and_keeps_the_token(monkeypatch):
    result, calls = run_action(
        monkeypatch,
        {"client_id": "id"},
        {"changed": False, "access_token": "Atza|fresh", "expires_at": "2030-01-01T00:00:00Z"},
    )
    assert calls["module_name"] == "asp.enterprise_wifi.asp_access_token"
    assert calls["module_args"] == {"client_id": "id"}
    assert result["_ansible_no_log"] is True
    assert result["access_token"] == "Atza|fresh"


def test_a_given_token_comes_back_when_there_was_nothing_to_exchange(monkeypatch):
    result, _calls = run_action(
        monkeypatch, {"access_token": "Atza|given"}, {"changed": False, "access_token": None}
    )
    assert result["access_token"] == "Atza|given"
    assert result["_ansible_no_log"] is True


@pytest.mark.parametrize("given", [None, ""])
def test_without_a_given_token_the_result_stays_null(monkeypatch, given):
    result, _calls = run_action(
        monkeypatch, {"access_token": given}, {"changed": False, "access_token": None}
    )
    assert result["access_token"] is None


def test_a_failure_stays_visible(monkeypatch):
    result, _calls = run_action(
        monkeypatch,
        {"client_id": "id"},
        {"failed": True, "msg": "Failed to get an access token from Login with Amazon: HTTP 401"},
    )
    assert "_ansible_no_log" not in result
    assert result["msg"].startswith("Failed to get an access token")
