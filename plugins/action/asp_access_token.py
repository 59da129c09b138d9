# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the asp_access_token module and hides its output, which holds a new secret."""

from __future__ import annotations

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(
            self._execute_module(
                module_name="asp.enterprise_wifi.asp_access_token",
                module_args=self._task.args,
                task_vars=task_vars,
            )
        )
        if result.get("failed"):
            # A failure carries no token, so its message stays readable.
            return result
        given = self._task.args.get("access_token")
        if result.get("access_token") is None and isinstance(given, str) and given:
            # The module cannot echo a no_log option: Ansible would mask it in the result.
            result["access_token"] = given
        # A module cannot mark a returned value as no_log, so the whole result is hidden.
        result["_ansible_no_log"] = True
        return result
