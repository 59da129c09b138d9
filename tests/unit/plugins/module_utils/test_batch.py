# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import threading

import pytest

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._batch import (
    batch_diff,
    failure_summary,
    run_for_each,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspStateError


def test_results_keep_the_items_order_and_each_thread_keeps_one_client():
    clients = []

    def make_client():
        client = object()
        clients.append(client)
        return client

    seen = {}

    def operation(client, item):
        seen.setdefault(threading.get_ident(), set()).add(id(client))
        return {"changed": item["n"] % 2 == 0, "n": item["n"]}

    items = [{"key": f"k{n}", "n": n} for n in range(20)]
    results = run_for_each(items, operation, make_client=make_client, concurrency=3)
    assert [result["n"] for result in results] == list(range(20))
    assert [result["key"] for result in results] == [f"k{n}" for n in range(20)]
    assert 1 <= len(clients) <= 3
    assert all(len(client_ids) == 1 for client_ids in seen.values())


def test_an_error_becomes_that_items_failed_result():
    def operation(client, item):
        if item["key"] == "bad":
            raise AspStateError("Certificate authority x is FAILED", {"id": "x"}, changed=True)
        return {"changed": False}

    results = run_for_each(
        [{"key": "good"}, {"key": "bad"}], operation, make_client=object, concurrency=1
    )
    assert results[0] == {"key": "good", "changed": False}
    assert results[1] == {
        "key": "bad",
        "failed": True,
        "msg": "Certificate authority x is FAILED",
        "changed": True,
        "certificate_authority": {"id": "x"},
    }


def test_the_summary_quotes_three_failures_by_key_or_position_and_counts_the_rest():
    results = [{"key": "ok", "changed": True}] + [
        {"key": None if n == 0 else f"k{n}", "failed": True, "msg": f"m{n}"} for n in range(5)
    ]
    assert failure_summary(results, thing="CAs") == (
        "Failed for 5 of 6 CAs: item 1: m0; k1: m1; k2: m2; and 2 more (see results)"
    )
    assert failure_summary(results[:1], thing="CAs") is None


def test_the_diff_holds_the_changed_items_headed_by_key():
    change = {"before": {"name": "a"}, "after": {"name": "b"}}
    results = [
        {"key": "one", "diff": change},
        {"key": "two", "diff": {"before": {}, "after": {}}},
        {"key": "three", "failed": True, "msg": "no"},
    ]
    assert batch_diff(results) == [{**change, "before_header": "one", "after_header": "one"}]


def test_an_unexpected_error_is_not_swallowed():
    def operation(client, item):
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        run_for_each([{"key": "a"}, {"key": "b"}], operation, make_client=object, concurrency=2)
