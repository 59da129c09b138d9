# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every API module does the same way: diffs of changed keys only, and failing cleanly."""

from __future__ import annotations

from typing import Any, NoReturn

from ansible.module_utils.basic import AnsibleModule, _load_params

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspApiError,
    AspError,
    AspWaitTimeoutError,
)


def changed_keys_diff(current: dict, desired: dict) -> dict:
    """``{"before": ..., "after": ...}`` holding only the keys whose values differ.

    A desired value of None means "not managed" and is never a change.
    """
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, wanted in desired.items():
        if wanted is None or current.get(key) == wanted:
            continue
        before[key] = current.get(key)
        after[key] = wanted
    return {"before": before, "after": after}


def fail_from_error(module: AnsibleModule, error: AspError, **result: Any) -> NoReturn:
    """fail_json with the error's message, and its status, type and request id if it has them."""
    details: dict[str, Any] = {}
    if isinstance(error, AspApiError):
        details.update(error.to_result())
    if isinstance(error, AspWaitTimeoutError) and error.certificate_authority:
        result.setdefault("certificate_authority", error.certificate_authority)
    module.fail_json(msg=str(error), **details, **result)


def reject_collections(module: AnsibleModule, *options: str) -> None:
    """Fail for a string option given a list or mapping, which type str would turn into text.

    A CA named "['a', 'b']" by a YAML slip would be created, billed and hard to find.
    """
    given = _load_params()
    for option in options:
        value = given.get(option)
        if isinstance(value, (list, dict)):
            kind = "list" if isinstance(value, list) else "mapping"
            module.fail_json(msg=f"{option} must be a string, not a {kind}")
