# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every API module does the same way: diffs of changed keys only, and failing cleanly."""

from __future__ import annotations

from typing import Any, NoReturn

from ansible.module_utils.basic import AnsibleModule, _load_params

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspApiError,
    AspError,
    AspStateError,
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


def error_result(error: AspError) -> dict:
    """The failed result for an error: its message, its status, type and request id if it has
    them, and the CA as last seen."""
    result: dict[str, Any] = {"failed": True, "msg": str(error)}
    if isinstance(error, AspApiError):
        result.update(error.to_result())
    if isinstance(error, AspStateError):
        result["changed"] = error.changed
        if error.certificate_authority:
            result["certificate_authority"] = error.certificate_authority
    return result


def fail_from_error(module: AnsibleModule, error: AspError, **result: Any) -> NoReturn:
    """fail_json with the error's message, and its status, type and request id if it has them."""
    failure = error_result(error)
    del failure["failed"]
    module.fail_json(**{**failure, **result})


def reject_collections(module: AnsibleModule, *options: str, within: str | None = None) -> None:
    """Fail for a string option given a list or mapping, which type str would turn into text.

    A CA named "['a', 'b']" by a YAML slip would be created, billed and hard to find. With
    ``within``, the same options of each item of that list option are checked too.
    """
    given = _load_params()
    sources = [("", given)]
    if within is not None and isinstance(given.get(within), list):
        labels = item_labels(module, within)
        sources += list(zip(labels, given[within]))
    for label, source in sources:
        if not isinstance(source, dict):
            continue
        for option in options:
            value = source.get(option)
            if isinstance(value, (list, dict)):
                kind = "list" if isinstance(value, list) else "mapping"
                module.fail_json(msg=f"{label}{option} must be a string, not a {kind}")


def item_labels(module: AnsibleModule, list_option: str) -> list[str]:
    """What starts a message about each item of a list option, such as "cas[2] (lobby): ";
    a single empty label when the module was given no such list."""
    items = module.params.get(list_option)
    if items is None:
        return [""]
    labels = []
    for index, item in enumerate(items):
        key = item.get("key") if isinstance(item, dict) else None
        labels.append(f"{list_option}[{index}]" + (f" ({key})" if key else "") + ": ")
    return labels
