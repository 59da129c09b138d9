# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import (
    AspAmbiguousNameError,
    AspApiError,
    AspError,
    AspServiceDataError,
    AspWaitTimeoutError,
)
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._http import TransportError
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    CA_PATH,
    GIVEN_ACCESS_TOKEN,
    FakeAsp,
    answer,
    assert_no_secret,
    dropped_create,
    lost_create,
    make_client,
)

SIX_MONTHS = {"value": 6, "interval": "MONTHS"}


def service_with(count: int, **options) -> FakeAsp:
    service = FakeAsp(**options)
    for number in range(count):
        service.add(f"CA {number}")
    return service


class TestList:
    @pytest.mark.parametrize("array_name", ["certificateAuthorities", "results"])
    def test_reads_every_page_of_either_array_name(self, array_name):
        client, transport, _clock, _log = make_client(service_with(23, page_array=array_name))
        names = [ca["name"] for ca in client.list_certificate_authorities()]
        assert names == [f"CA {number}" for number in range(23)]
        lists = transport.calls("GET", CA_PATH)
        assert [request.params.get("nextToken") for request in lists] == [None, "10", "20"]
        assert all(request.params["maxResults"] == 10 for request in lists)
        assert all(request.params["expand"] == "all" for request in lists)

    def test_without_expand_leaves_out_the_parameter(self):
        client, transport, _clock, _log = make_client(service_with(1))
        client.list_certificate_authorities(expand=False)
        assert "expand" not in transport.requests[0].params

    def test_an_empty_account_is_an_empty_list(self):
        client, _transport, _clock, _log = make_client(FakeAsp())
        assert client.list_certificate_authorities() == []

    def test_a_repeated_page_token_stops_the_loop(self):
        page = {"certificateAuthorities": [], "paginationContext": {"nextToken": "same"}}
        client, transport, _clock, _log = make_client(lambda request: answer(200, page))
        with pytest.raises(AspServiceDataError, match="repeated a pagination token"):
            client.list_certificate_authorities()
        assert len(transport.requests) == 2

    def test_a_page_without_its_array_is_an_error(self):
        client, _transport, _clock, _log = make_client(lambda request: answer(200, {"x": 1}))
        with pytest.raises(AspServiceDataError, match="no list field .certificateAuthorities or"):
            client.list_certificate_authorities()

    def test_a_page_that_is_not_json_is_an_error(self):
        client, _transport, _clock, _log = make_client(lambda request: answer(200, "<html></html>"))
        with pytest.raises(AspServiceDataError, match="instead of a JSON object"):
            client.list_certificate_authorities()

    def test_a_throttled_page_is_retried_and_the_list_goes_on(self):
        service = service_with(12)
        client, transport, clock, _log = make_client(service)
        transport.script = [answer(429, {"type": "TOO_MANY_REQUESTS"}, {"Retry-After": "1"})]
        assert len(client.list_certificate_authorities()) == 12
        assert clock.sleeps == [1.0]


class TestGetAndFind:
    def test_get_returns_the_snake_case_ca(self):
        service = FakeAsp()
        ca_id = service.add("Lobby")
        client, transport, _clock, _log = make_client(service)
        found = client.get_certificate_authority(ca_id)
        assert found["id"] == ca_id and found["name"] == "Lobby"
        assert found["csr"].startswith("-----BEGIN CERTIFICATE REQUEST-----\n")
        assert transport.requests[0].params == {"expand": "all"}

    def test_get_of_an_unknown_id_is_none(self):
        client, _transport, _clock, _log = make_client(FakeAsp())
        assert client.get_certificate_authority("amzn1.nothing") is None

    def test_the_id_is_escaped_in_the_path(self):
        client, transport, _clock, _log = make_client(FakeAsp())
        client.get_certificate_authority("a/b?c")
        assert transport.requests[0].url.endswith("/certificateAuthorities/a%2Fb%3Fc")

    def test_find_by_id_makes_one_get(self):
        service = service_with(3)
        client, transport, _clock, _log = make_client(service)
        client.find_certificate_authority(
            certificate_authority_id=next(iter(service.certificate_authorities))
        )
        assert [request.method for request in transport.requests] == ["GET"]
        assert transport.requests[0].path != CA_PATH

    def test_find_by_name_matches_exactly(self):
        service = service_with(3)
        client, _transport, _clock, _log = make_client(service)
        assert client.find_certificate_authority(name="CA 1")["name"] == "CA 1"
        assert client.find_certificate_authority(name="CA") is None

    def test_a_shared_name_fails_listing_every_id(self):
        service = FakeAsp()
        first, second = service.add("Twin"), service.add("Twin")
        client, _transport, _clock, _log = make_client(service)
        assert len(client.find_by_name("Twin")) == 2
        with pytest.raises(AspAmbiguousNameError) as caught:
            client.find_certificate_authority(name="Twin")
        assert first in str(caught.value) and second in str(caught.value)
        assert "set id" in str(caught.value)


class TestCreate:
    def test_posts_the_documented_body_and_returns_the_id(self):
        service = FakeAsp()
        client, transport, _clock, _log = make_client(service)
        ca_id = client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert ca_id in service.certificate_authorities
        (post,) = transport.calls("POST", CA_PATH)
        assert post.json_body == {
            "friendlyName": {"type": "PLAIN", "value": {"text": "Lobby"}},
            "rotationPeriod": {"value": 6, "interval": "MONTHS"},
        }
        assert post.headers["Authorization"] == f"Bearer {GIVEN_ACCESS_TOKEN}"

    def test_lists_the_name_first_when_known_ids_are_not_given(self):
        client, transport, _clock, _log = make_client(FakeAsp())
        client.create_certificate_authority("Lobby", SIX_MONTHS)
        assert [request.method for request in transport.requests] == ["GET", "POST"]

    def test_throttled_create_is_repeated_at_least_two_seconds_apart(self):
        throttle = answer(429, {"type": "TOO_MANY_REQUESTS", "message": "slow down"})
        service = FakeAsp(faults={"create": [throttle, throttle]})
        client, transport, clock, _log = make_client(service)
        client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert len(transport.calls("POST")) == 3
        assert clock.sleeps == [2.0, 2.0]
        # A 429 means the service refused the request, so no lookup is needed.
        assert transport.calls("GET") == []
        assert len(service.certificate_authorities) == 1

    def test_lost_answer_adopts_the_stored_ca_without_a_second_post(self):
        service = FakeAsp(faults={"create": [lost_create]})
        client, transport, clock, log = make_client(service)
        ca_id = client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert list(service.certificate_authorities) == [ca_id]
        assert len(transport.calls("POST")) == 1
        # The lookup waits the create gap first: a create can land after its answer was lost.
        assert clock.sleeps == [2.0]
        assert any("adopted instead of repeated" in line for line in log)

    def test_dropped_connection_adopts_the_stored_ca(self):
        service = FakeAsp(faults={"create": [dropped_create]})
        client, transport, _clock, _log = make_client(service)
        ca_id = client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert list(service.certificate_authorities) == [ca_id]
        assert len(transport.calls("POST")) == 1

    def test_a_timeout_that_created_nothing_is_posted_again_after_the_lookup(self):
        timeout = TransportError("no answer from asp.test within the 30 s timeout", maybe_sent=True)
        service = FakeAsp(faults={"create": [timeout]})
        client, transport, clock, _log = make_client(service)
        client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert [request.method for request in transport.requests] == ["POST", "GET", "POST"]
        assert clock.sleeps == [2.0]
        assert len(service.certificate_authorities) == 1

    def test_a_ca_that_already_had_the_name_is_not_adopted(self):
        service = FakeAsp()
        older = service.add("Lobby")
        service.faults["create"] = [answer(503, {"type": "SERVICE_UNAVAILABLE"})]
        client, transport, _clock, _log = make_client(service)
        ca_id = client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[older])
        assert ca_id != older
        assert len(transport.calls("POST")) == 2

    def test_a_refused_connection_is_retried_without_a_lookup(self):
        refused = TransportError("could not connect to asp.test", maybe_sent=False)
        service = FakeAsp(faults={"create": [refused]})
        client, transport, _clock, _log = make_client(service)
        client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert [request.method for request in transport.requests] == ["POST", "POST"]

    def test_a_failed_lookup_stops_instead_of_posting_blindly(self):
        service = FakeAsp(faults={"create": [lost_create]})
        service.faults["list"] = [answer(503, b"")] * 3
        client, transport, _clock, _log = make_client(service, retries=2)
        with pytest.raises(AspApiError, match="Failed to list certificate authorities: gave up"):
            client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert len(transport.calls("POST")) == 1

    def test_a_bad_request_is_not_retried_and_is_readable(self):
        bad = answer(
            400,
            {"type": "BAD_REQUEST", "message": "rotationPeriod is invalid"},
            {"x-amzn-RequestId": "req-42"},
        )
        client, transport, _clock, _log = make_client(FakeAsp(faults={"create": [bad]}))
        with pytest.raises(AspApiError) as caught:
            client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        error = caught.value
        assert (error.status, error.error_type, error.request_id) == (400, "BAD_REQUEST", "req-42")
        assert str(error) == (
            "Failed to create certificate authority 'Lobby': HTTP 400 BAD_REQUEST: "
            "rotationPeriod is invalid [request id req-42]"
        )
        assert len(transport.requests) == 1

    def test_gives_up_after_the_retries_and_says_how_many(self):
        proxy = answer(
            502, "<html><title>502 Bad Gateway</title></html>", {"Content-Type": "text/html"}
        )
        service = FakeAsp(faults={"create": [proxy] * 10})
        client, transport, clock, _log = make_client(service, retries=3)
        with pytest.raises(AspApiError) as caught:
            client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])
        assert "gave up after 4 attempts" in str(caught.value)
        assert "HTTP 502 (text/html body of" in str(caught.value)
        assert "502 Bad Gateway" in str(caught.value)
        assert len(transport.calls("POST")) == 4
        assert all(pause >= 2.0 for pause in clock.sleeps)

    def test_an_answer_without_id_is_an_error(self):
        client, _transport, _clock, _log = make_client(
            FakeAsp(faults={"create": [answer(201, {})]})
        )
        with pytest.raises(AspServiceDataError, match="without the new CA's id"):
            client.create_certificate_authority("Lobby", SIX_MONTHS, known_ids=[])


class TestTokenRenewal:
    def test_a_401_renews_the_token_once_and_repeats_the_request(self):
        service = FakeAsp(accepted_tokens=set())
        service.add("Lobby")
        client, transport, _clock, log = make_client(service)
        assert len(client.list_certificate_authorities()) == 1
        methods = [
            (request.method, request.path.rsplit("/", 1)[-1]) for request in transport.requests
        ]
        assert methods == [
            ("GET", "certificateAuthorities"),
            ("POST", "token"),
            ("GET", "certificateAuthorities"),
        ]
        assert transport.requests[-1].headers["Authorization"] == "Bearer Atza|unit-fresh-1"
        assert any("getting a new one" in line for line in log)

    def test_a_second_401_fails_without_another_renewal(self):
        service = FakeAsp(accepted_tokens=set())
        service.faults["list"] = [answer(401, {"type": "UNAUTHORIZED"})] * 2
        client, transport, _clock, _log = make_client(service)
        with pytest.raises(AspApiError) as caught:
            client.list_certificate_authorities()
        assert caught.value.status == 401
        assert len(transport.calls("POST")) == 1
        assert_no_secret(str(caught.value))

    def test_renewal_happens_once_per_operation_even_across_retries(self):
        unauthorized = answer(401, {"type": "UNAUTHORIZED"})
        service = FakeAsp()
        service.faults["list"] = [unauthorized, answer(503, b""), unauthorized]
        client, transport, _clock, _log = make_client(service)
        with pytest.raises(AspApiError) as caught:
            client.list_certificate_authorities()
        assert caught.value.status == 401
        assert len(transport.calls("POST")) == 1
        assert len(transport.calls("GET")) == 3

    def test_without_refresh_credentials_a_401_fails_at_once(self):
        service = FakeAsp(accepted_tokens=set())
        client, transport, _clock, _log = make_client(service, refresh=False)
        with pytest.raises(AspApiError, match="HTTP 401 UNAUTHORIZED"):
            client.list_certificate_authorities()
        assert len(transport.requests) == 1

    def test_only_refresh_credentials_get_a_token_before_the_first_call(self):
        service = FakeAsp()
        client, transport, _clock, _log = make_client(service, access_token=None)
        client.list_certificate_authorities()
        client.list_certificate_authorities()
        assert [request.method for request in transport.requests] == ["POST", "GET", "GET"]


class TestChanges:
    def test_update_sends_only_what_is_given(self):
        service = FakeAsp()
        ca_id = service.add("Lobby")
        client, transport, _clock, _log = make_client(service)
        client.update_certificate_authority(ca_id, name="Hall")
        client.update_certificate_authority(
            ca_id, rotation_period={"value": 12, "interval": "MONTHS"}
        )
        client.update_certificate_authority(ca_id)
        bodies = [request.json_body for request in transport.calls("PUT")]
        assert bodies == [
            {"friendlyName": {"type": "PLAIN", "value": {"text": "Hall"}}},
            {"rotationPeriod": {"value": 12, "interval": "MONTHS"}},
        ]

    def test_delete_says_whether_the_ca_was_there(self):
        service = FakeAsp()
        ca_id = service.add("Lobby")
        client, _transport, _clock, _log = make_client(service)
        assert client.delete_certificate_authority(ca_id) is True
        assert client.delete_certificate_authority(ca_id) is False

    def test_a_delete_whose_answer_was_lost_ends_well(self):
        service = FakeAsp()
        ca_id = service.add("Lobby")

        def lost_delete(fake, request):
            fake.delete(request)
            raise TransportError(
                "asp.test closed the connection without an answer", maybe_sent=True
            )

        service.faults["delete"] = [lost_delete]
        client, transport, _clock, _log = make_client(service)
        assert client.delete_certificate_authority(ca_id) is False
        assert len(transport.calls("DELETE")) == 2
        assert service.certificate_authorities == {}

    def test_import_posts_certificate_and_chain(self):
        service = FakeAsp()
        ca_id = service.add("Lobby")
        client, transport, _clock, _log = make_client(service)
        client.import_certificate(ca_id, "CERT", "CHAIN")
        (post,) = transport.calls("POST")
        assert post.path.endswith("/importCertificate")
        assert post.json_body == {"certificate": "CERT", "certificateChain": "CHAIN"}

    def test_an_invalid_state_is_reported_with_its_type(self):
        refusal = answer(400, {"type": "INVALID_STATE", "message": "CA is CREATING"})
        service = FakeAsp(faults={"import": [refusal]})
        ca_id = service.add("Lobby")
        client, _transport, _clock, _log = make_client(service)
        with pytest.raises(AspApiError) as caught:
            client.import_certificate(ca_id, "CERT", "CHAIN")
        assert caught.value.error_type == "INVALID_STATE"
        assert str(caught.value).startswith(
            f"Failed to import the certificate into certificate authority {ca_id}: HTTP 400"
        )

    def test_an_empty_error_body_is_readable(self):
        service = FakeAsp(faults={"delete": [answer(403, b"")]})
        ca_id = service.add("Lobby")
        client, _transport, _clock, _log = make_client(service)
        with pytest.raises(AspApiError) as caught:
            client.delete_certificate_authority(ca_id)
        assert str(caught.value) == (
            f"Failed to delete certificate authority {ca_id}: HTTP 403 (empty body)"
        )


class TestWait:
    def test_waits_until_the_status_changes(self):
        service = FakeAsp()
        ca_id = service.add("Lobby", status="CREATING")
        polls = []

        def handler(request):
            polls.append(1)
            if len(polls) == 3:
                service.certificate_authorities[ca_id]["status"] = "PENDING_CERTIFICATE"
            return service(request)

        client, _transport, clock, _log = make_client(handler)
        found = client.wait_until(ca_id, "PENDING_CERTIFICATE", timeout=60)
        assert found["status"] == "PENDING_CERTIFICATE"
        assert clock.sleeps == [1.0, 1.5]

    def test_accepts_a_predicate_and_returns_a_failed_ca_at_once(self):
        service = FakeAsp()
        ca_id = service.add("Lobby", status="FAILED")
        client, _transport, clock, _log = make_client(service)
        found = client.wait_until(ca_id, lambda ca: ca["status"] == "ACTIVE", timeout=60)
        assert found["status"] == "FAILED" and clock.sleeps == []

    def test_times_out_with_the_last_status(self):
        service = FakeAsp()
        ca_id = service.add("Lobby", status="CREATING")
        client, _transport, clock, _log = make_client(service)
        with pytest.raises(AspWaitTimeoutError) as caught:
            client.wait_until(ca_id, ("PENDING_CERTIFICATE", "ACTIVE"), timeout=30)
        assert "Timed out after 30 s" in str(caught.value) and "still CREATING" in str(caught.value)
        assert caught.value.certificate_authority["id"] == ca_id
        assert sum(clock.sleeps) == pytest.approx(30)
        assert max(clock.sleeps) <= 10

    def test_a_ca_that_disappears_fails_the_wait(self):
        client, _transport, _clock, _log = make_client(FakeAsp())
        with pytest.raises(AspError, match="disappeared while waiting"):
            client.wait_until("amzn1.gone", "ACTIVE", timeout=5)


def test_page_size_is_bounded_by_the_service_limit():
    from ansible_collections.asp.enterprise_wifi.plugins.module_utils._api_client import AspClient

    client, transport, _clock, _log = make_client(FakeAsp())
    with pytest.raises(ValueError):
        AspClient(
            api_url="https://asp.test",
            transport=transport,
            token_source=client.token_source,
            retrier=client.retrier,
            page_size=11,
        )
