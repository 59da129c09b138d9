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
        # A module cannot mark a returned value as no_log, and the token is in no option
        # Ansible could mask; a failure carries no token, so its message stays readable.
        if not result.get("failed"):
            result["_ansible_no_log"] = True
        return result
