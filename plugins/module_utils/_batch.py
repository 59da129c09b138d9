# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Many CAs in one module run: the same operation for each, a bounded number at a time.

One module run for a hundred CAs saves the controller a hundred module start-ups; the
bound keeps the rate-limited API from seeing more requests at once than a play's forks
would send.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._module_support import (
    error_result,
)

CONCURRENCY_OPTION = {"type": "int", "default": 5}
# A failure message quotes this many CAs' own messages, then counts the rest.
_QUOTED_FAILURES = 3

Operation = Callable[[AspClient, dict], dict]


def run_for_each(
    items: Sequence[dict],
    operation: Operation,
    *,
    make_client: Callable[[], AspClient],
    concurrency: int,
) -> list[dict]:
    """One result per item, in order; an AspError becomes that item's failed result.

    Each thread keeps one client, and so one HTTP session, for all the items it runs.
    """
    local = threading.local()

    def run(item: dict) -> dict:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = make_client()
        try:
            result = operation(client, item)
        except AspError as error:
            result = error_result(error)
        return {"key": item.get("key"), **result}

    workers = max(1, min(concurrency, len(items)))
    if workers == 1:
        return [run(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, items))


def check_concurrency(module: AnsibleModule) -> None:
    if module.params["concurrency"] < 1:
        module.fail_json(msg="concurrency must be 1 or more")


def exit_with_results(
    module: AnsibleModule, results: Sequence[dict], *, batch: bool, thing: str
) -> None:
    """Exit with the one result as the module's own, or with every result under results.

    A batch in which any item failed fails, naming the failed items; the results of the
    others are still returned, so that a caller can go on with them.
    """
    if not batch:
        result = {name: value for name, value in results[0].items() if name != "key"}
        if result.pop("failed", False):
            module.fail_json(**result)
        module.exit_json(**result)
    changed = any(result.get("changed") for result in results)
    summary = failure_summary(results, thing=thing)
    if summary:
        module.fail_json(msg=summary, changed=changed, results=list(results))
    module.exit_json(changed=changed, results=list(results), diff=batch_diff(results))


def failure_summary(results: Sequence[dict], *, thing: str) -> str | None:
    """One message naming the failed items by key (or position), or None when none failed."""
    failed = [
        (result["key"] if result["key"] is not None else f"item {index}", result["msg"])
        for index, result in enumerate(results)
        if result.get("failed")
    ]
    if not failed:
        return None
    quoted = "; ".join(f"{label}: {message}" for label, message in failed[:_QUOTED_FAILURES])
    more = len(failed) - _QUOTED_FAILURES
    rest = f"; and {more} more (see results)" if more > 0 else ""
    return f"Failed for {len(failed)} of {len(results)} {thing}: {quoted}{rest}"


def batch_diff(results: Sequence[dict]) -> list[dict]:
    """The diff of each item that changed something, headed by its key."""
    diffs: list[dict[str, Any]] = []
    for result in results:
        diff = result.get("diff")
        if diff and diff["before"] != diff["after"]:
            header = str(result["key"]) if result["key"] is not None else ""
            diffs.append({**diff, "before_header": header, "after_header": header})
    return diffs
