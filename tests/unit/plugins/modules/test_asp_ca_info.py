# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.asp.enterprise_wifi.plugins.modules import asp_ca_info
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    CA_PATH,
    answer,
)
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    TOKEN_ONLY,
)


def run(harness, check_mode=False, **args):
    return harness.run(asp_ca_info, args, check_mode=check_mode, connection=TOKEN_ONLY)


def test_returns_every_ca_from_every_page(harness):
    for number in range(25):
        harness.service.add(f"CA {number}")
    result = run(harness)
    assert result["changed"] is False
    assert [ca["name"] for ca in result["certificate_authorities"]] == [
        f"CA {number}" for number in range(25)
    ]
    assert len(harness.calls("GET", CA_PATH)) == 3
    assert all("csr" in ca for ca in result["certificate_authorities"])


def test_results_array_of_asp_cli_is_read_too(harness):
    harness.service.page_array = "results"
    harness.service.add("Lobby")
    assert len(run(harness)["certificate_authorities"]) == 1


def test_one_ca_by_id_is_one_get(harness):
    ca_id = harness.service.add("Lobby")
    harness.service.add("Hall")
    result = run(harness, id=ca_id)
    assert [ca["id"] for ca in result["certificate_authorities"]] == [ca_id]
    assert [request.path for request in harness.transport.requests] == [f"{CA_PATH}/{ca_id}"]


def test_an_unknown_id_is_an_empty_list(harness):
    assert run(harness, id="amzn1.unknown")["certificate_authorities"] == []


def test_by_name_returns_every_ca_with_the_name(harness):
    harness.service.add("Twin")
    harness.service.add("Hall")
    harness.service.add("Twin")
    names = [ca["name"] for ca in run(harness, name="Twin")["certificate_authorities"]]
    assert names == ["Twin", "Twin"]


def test_expand_none_leaves_out_csr_and_certificate(harness):
    harness.service.add("Lobby")
    result = run(harness, expand="none")
    assert "csr" not in result["certificate_authorities"][0]
    assert "expand" not in harness.transport.requests[0].params


def test_runs_in_check_mode(harness):
    harness.service.add("Lobby")
    result = run(harness, check_mode=True)
    assert result["changed"] is False and len(result["certificate_authorities"]) == 1


def test_id_and_name_are_exclusive(harness):
    result = run(harness, id="a", name="b")
    assert result["failed"] is True and "mutually exclusive" in result["msg"]
    assert harness.transport.requests == []


def test_an_html_error_page_is_readable(harness):
    page = "<html><head><title>503 Service Temporarily Unavailable</title></head></html>"
    harness.service.faults["list"] = [answer(503, page, {"Content-Type": "text/html"})] * 6
    result = run(harness)
    assert result["failed"] is True
    assert result["msg"] == (
        "Failed to list certificate authorities: gave up after 6 attempts; HTTP 503 "
        f"(text/html body of {len(page)} bytes: 503 Service Temporarily Unavailable)"
    )
