"""List pages: at most 10, default 10, stable order, opaque tokens it can tell are its own."""

from __future__ import annotations

import pytest

from conftest import SERVICE, ServiceClient, assert_error


def _all_pages(api: ServiceClient, **params: object) -> list[dict]:
    pages = []
    next_token = None
    while True:
        query = dict(params)
        if next_token:
            query["nextToken"] = next_token
        response = api.request("GET", SERVICE, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        pages.append(page)
        next_token = page.get("paginationContext", {}).get("nextToken")
        if not next_token:
            return pages


def test_pages_walk_every_ca_once_in_creation_order(api: ServiceClient) -> None:
    created = [api.create(f"Paged {number}") for number in range(13)]

    pages = _all_pages(api, maxResults=4)

    listed = [ca["id"] for page in pages for ca in page["certificateAuthorities"]]
    assert len(listed) == len(set(listed))
    assert [ca_id for ca_id in listed if ca_id in created] == created
    assert all(len(page["certificateAuthorities"]) <= 4 for page in pages)
    assert all(len(page["certificateAuthorities"]) == 4 for page in pages[:-1])
    assert "paginationContext" not in pages[-1]


def test_the_default_page_holds_ten(api: ServiceClient) -> None:
    for number in range(11):
        api.create(f"Default page {number}")

    page = api.request("GET", SERVICE).json()

    assert len(page["certificateAuthorities"]) == 10
    assert page["paginationContext"]["nextToken"]


def test_expand_all_adds_the_csr_to_listed_cas(api: ServiceClient) -> None:
    certificate_authority_id = api.create_ready("Listed with CSR")

    expanded = [
        ca for page in _all_pages(api, expand="all") for ca in page["certificateAuthorities"]
    ]
    plain = [ca for page in _all_pages(api) for ca in page["certificateAuthorities"]]

    mine = next(ca for ca in expanded if ca["id"] == certificate_authority_id)
    assert mine["csr"].startswith("-----BEGIN CERTIFICATE REQUEST-----")
    assert all("csr" not in ca for ca in plain)


def test_a_deleted_ca_does_not_break_the_next_page(api: ServiceClient) -> None:
    first, second, third = (api.create(f"Shifting {number}") for number in range(3))
    pages = _all_pages(api, maxResults=1)
    page = next(page for page in pages if page["certificateAuthorities"][0]["id"] == first)

    api.request("DELETE", f"{SERVICE}/{second}")
    following = api.request(
        "GET",
        SERVICE,
        params={"maxResults": 1, "nextToken": page["paginationContext"]["nextToken"]},
    ).json()

    assert [ca["id"] for ca in following["certificateAuthorities"]] == [third]


@pytest.mark.parametrize("max_results", ["0", "11", "-1", "ten", "1.5", ""])
def test_max_results_outside_one_to_ten_is_400(api: ServiceClient, max_results: str) -> None:
    response = api.request("GET", f"{SERVICE}?maxResults={max_results}")

    assert_error(response, 400, "BAD_REQUEST", "maxResults", "1 to 10")


@pytest.mark.parametrize("next_token", ["someToken.1", "MTA.forged", "%%%", "MQ"])
def test_a_next_token_it_never_issued_is_400(api: ServiceClient, next_token: str) -> None:
    response = api.request("GET", SERVICE, params={"nextToken": next_token})

    assert_error(response, 400, "BAD_REQUEST", "nextToken")


def test_list_rejects_an_unknown_expand_value(api: ServiceClient) -> None:
    response = api.request("GET", SERVICE, params={"expand": "none"})

    assert_error(response, 400, "BAD_REQUEST", "expand")
