# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.asp.enterprise_wifi.plugins.modules import asp_certificate_authority
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.module_utils.asp_fakes import (
    CA_PATH,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    answer,
    assert_no_secret,
    dropped_create,
    lost_create,
)
from ansible_collections.asp.enterprise_wifi.tests.unit.plugins.modules.asp_module_harness import (
    TOKEN_ONLY,
)

SIX = {"value": 6}


def run(harness, check_mode=False, diff=False, **args):
    return harness.run(asp_certificate_authority, args, check_mode=check_mode, diff=diff)


class TestPresent:
    def test_creates_a_missing_ca_and_reports_the_diff(self, harness):
        result = run(harness, name="Lobby", rotation_period=SIX, diff=True)
        assert result["changed"] is True
        assert result["diff"] == {
            "before": {},
            "after": {"name": "Lobby", "rotation_period": {"value": 6, "interval": "MONTHS"}},
        }
        created = result["certificate_authority"]
        assert created["name"] == "Lobby" and created["status"] == "PENDING_CERTIFICATE"
        assert created["id"] in harness.service.certificate_authorities
        assert created["csr"].startswith("-----BEGIN CERTIFICATE REQUEST-----\n")
        assert len(harness.calls("POST", CA_PATH)) == 1
        assert len(harness.calls("POST")) == 2  # the token exchange, then the create

    def test_check_mode_predicts_the_ca_and_creates_nothing(self, harness):
        result = run(harness, name="Lobby", rotation_period=SIX, check_mode=True)
        assert result["changed"] is True
        assert result["certificate_authority"]["id"] is None
        assert result["certificate_authority"]["name"] == "Lobby"
        assert harness.service.certificate_authorities == {}
        assert [request.method for request in harness.calls("POST", CA_PATH)] == []

    def test_an_existing_ca_with_the_same_fields_is_ok_after_one_list(self, harness):
        harness.service.add("Lobby")
        result = run(harness, name="Lobby", rotation_period=SIX)
        assert result["changed"] is False
        assert result["diff"] == {"before": {}, "after": {}}
        service_calls = [r for r in harness.transport.requests if r.path.startswith(CA_PATH)]
        assert [request.method for request in service_calls] == ["GET"]

    def test_updates_only_the_field_that_differs(self, harness):
        ca_id = harness.service.add("Lobby")
        result = run(harness, name="Lobby", rotation_period={"value": 12}, diff=True)
        assert result["changed"] is True
        assert result["diff"] == {
            "before": {"rotation_period": {"value": 6, "interval": "MONTHS"}},
            "after": {"rotation_period": {"value": 12, "interval": "MONTHS"}},
        }
        (put,) = harness.calls("PUT")
        assert put.json_body == {"rotationPeriod": {"value": 12, "interval": "MONTHS"}}
        assert result["certificate_authority"]["rotation_period"]["value"] == 12
        assert harness.service.certificate_authorities[ca_id]["rotationPeriod"]["value"] == 12

    def test_id_and_a_new_name_rename_with_one_get_and_one_put(self, harness):
        ca_id = harness.service.add("Lobby")
        result = run(harness, id=ca_id, name="Hall", diff=True)
        assert result["changed"] is True
        assert result["diff"] == {"before": {"name": "Lobby"}, "after": {"name": "Hall"}}
        methods = [r.method for r in harness.transport.requests if r.path.startswith(CA_PATH)]
        assert methods == ["GET", "PUT", "GET"]
        assert harness.calls("GET", CA_PATH)[0].path.endswith(ca_id)
        assert result["certificate_authority"]["name"] == "Hall"

    def test_check_mode_update_changes_nothing(self, harness):
        ca_id = harness.service.add("Lobby")
        result = run(harness, id=ca_id, name="Hall", check_mode=True)
        assert result["changed"] is True
        assert result["certificate_authority"]["name"] == "Hall"
        assert harness.calls("PUT") == []
        assert harness.service.certificate_authorities[ca_id]["friendlyName"]["value"]["text"] == (
            "Lobby"
        )

    def test_a_shared_name_fails_listing_the_ids(self, harness):
        first, second = harness.service.add("Twin"), harness.service.add("Twin")
        result = run(harness, name="Twin", rotation_period=SIX)
        assert result["failed"] is True
        assert first in result["msg"] and second in result["msg"] and "set id" in result["msg"]
        assert harness.calls("PUT") == [] and len(harness.service.certificate_authorities) == 2

    def test_a_shared_name_is_fine_with_an_id(self, harness):
        ca_id = harness.service.add("Twin")
        harness.service.add("Twin")
        assert run(harness, id=ca_id, name="Twin")["changed"] is False

    def test_an_unknown_id_fails(self, harness):
        result = run(harness, id="amzn1.unknown", name="Lobby", rotation_period=SIX)
        assert result["failed"] is True
        assert result["msg"].startswith("No certificate authority has the id amzn1.unknown")

    def test_creating_needs_a_rotation_period(self, harness):
        result = run(harness, name="Lobby")
        assert result["failed"] is True and "rotation_period is required" in result["msg"]
        assert harness.calls("POST", CA_PATH) == []

    def test_waits_until_the_ca_leaves_creating(self, harness):
        harness.service.creation_status = "CREATING"
        gets = []
        original = harness.transport.handler

        def becomes_pending(request):
            if request.method == "GET" and request.path != CA_PATH:
                gets.append(1)
                if len(gets) == 3:
                    for raw in harness.service.certificate_authorities.values():
                        raw["status"] = "PENDING_CERTIFICATE"
                        raw["csr"] = harness.service.csr_pem
            return original(request)

        harness.transport.handler = becomes_pending
        result = run(harness, name="Lobby", rotation_period=SIX)
        assert result["certificate_authority"]["status"] == "PENDING_CERTIFICATE"
        assert len(gets) == 3 and len(harness.clock.sleeps) == 2

    def test_without_wait_returns_the_creating_ca(self, harness):
        harness.service.creation_status = "CREATING"
        result = run(harness, name="Lobby", rotation_period=SIX, wait=False)
        assert result["changed"] is True
        assert result["certificate_authority"]["status"] == "CREATING"
        assert harness.clock.sleeps == []

    def test_a_wait_that_times_out_fails_with_the_status(self, harness):
        harness.service.creation_status = "CREATING"
        result = run(harness, name="Lobby", rotation_period=SIX, wait_timeout=20)
        assert result["failed"] is True
        assert "Timed out after 20 s" in result["msg"] and "still CREATING" in result["msg"]
        assert result["certificate_authority"]["status"] == "CREATING"

    def test_a_ca_that_ends_failed_fails_the_task_with_its_id(self, harness):
        harness.service.creation_status = "FAILED"
        result = run(harness, name="Lobby", rotation_period=SIX)
        ca_id = next(iter(harness.service.certificate_authorities))
        assert result["failed"] is True and result["changed"] is True
        assert ca_id in result["msg"] and "FAILED" in result["msg"]

    def test_an_unchanged_ca_that_fails_while_waited_for_fails_unchanged(self, harness):
        ca_id = harness.service.add("Lobby", status="CREATING")
        original = harness.transport.handler

        def fails(request):
            if request.path.endswith(ca_id):
                harness.service.certificate_authorities[ca_id]["status"] = "FAILED"
            return original(request)

        harness.transport.handler = fails
        result = run(harness, name="Lobby")
        assert result["failed"] is True and result["changed"] is False
        assert "ended in status FAILED" in result["msg"] and ca_id in result["msg"]

    def test_an_existing_failed_ca_fails_instead_of_being_updated(self, harness):
        ca_id = harness.service.add("Lobby", status="FAILED")
        result = run(harness, name="Lobby", rotation_period={"value": 12})
        assert result["failed"] is True and ca_id in result["msg"]
        assert harness.calls("PUT") == []

    def test_a_lost_create_is_adopted_not_repeated(self, harness):
        harness.service.faults["create"] = [lost_create]
        result = run(harness, name="Lobby", rotation_period=SIX)
        assert result["changed"] is True
        assert len(harness.service.certificate_authorities) == 1
        assert len(harness.calls("POST", CA_PATH)) == 1
        assert any("adopted" in line for line in harness.logged)

    def test_a_service_error_is_reported_with_status_type_and_request_id(self, harness):
        refusal = answer(
            400, {"type": "BAD_REQUEST", "message": "bad name"}, {"x-amzn-RequestId": "rq-7"}
        )
        harness.service.faults["create"] = [refusal]
        result = run(harness, name="Lobby", rotation_period=SIX)
        assert result["failed"] is True
        assert result["msg"] == (
            "Failed to create certificate authority 'Lobby': HTTP 400 BAD_REQUEST: bad name "
            "[request id rq-7]"
        )
        assert (result["status"], result["error_type"], result["request_id"]) == (
            400,
            "BAD_REQUEST",
            "rq-7",
        )


def list_requests(harness) -> list:
    return [r for r in harness.calls("GET", CA_PATH) if r.path.rstrip("/") == CA_PATH]


class TestKnownMissing:
    """A caller that has just listed the CAs vouches that the name is free."""

    def test_creates_without_listing(self, harness):
        for index in range(25):
            harness.service.add(f"Room {index}")
        result = run(harness, name="Lobby", rotation_period=SIX, known_missing=True)
        assert result["changed"] is True
        assert result["certificate_authority"]["name"] == "Lobby"
        assert result["certificate_authority"]["status"] == "PENDING_CERTIFICATE"
        assert list_requests(harness) == []
        service_calls = [r for r in harness.transport.requests if r.path.startswith(CA_PATH)]
        assert [request.method for request in service_calls] == ["POST", "GET"]

    def test_a_lost_create_is_still_looked_up_and_adopted(self, harness):
        harness.service.faults["create"] = [lost_create]
        result = run(harness, name="Lobby", rotation_period=SIX, known_missing=True)
        assert result["changed"] is True
        (created,) = harness.service.certificate_authorities
        assert result["certificate_authority"]["id"] == created
        assert len(harness.calls("POST", CA_PATH)) == 1
        assert len(list_requests(harness)) == 1
        assert any("adopted" in line for line in harness.logged)

    def test_a_dropped_create_is_adopted_too(self, harness):
        harness.service.faults["create"] = [dropped_create]
        result = run(harness, name="Lobby", rotation_period=SIX, known_missing=True)
        assert result["changed"] is True
        assert len(harness.service.certificate_authorities) == 1
        assert len(harness.calls("POST", CA_PATH)) == 1

    def test_check_mode_makes_no_request_to_the_service(self, harness):
        result = run(
            harness, name="Lobby", rotation_period=SIX, known_missing=True, check_mode=True
        )
        assert result["changed"] is True and result["certificate_authority"]["id"] is None
        assert [r for r in harness.transport.requests if r.path.startswith(CA_PATH)] == []

    def test_false_looks_the_name_up_as_usual(self, harness):
        ca_id = harness.service.add("Lobby")
        result = run(harness, name="Lobby", rotation_period=SIX, known_missing=False)
        assert result["changed"] is False
        assert result["certificate_authority"]["id"] == ca_id
        assert len(list_requests(harness)) == 1

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            ({"id": "amzn1.any", "name": "Lobby"}, "cannot be used with id"),
            ({"id": "amzn1.any"}, "cannot be used with id"),
            ({"name": "Lobby", "state": "absent"}, "state=present only"),
        ],
    )
    def test_is_refused_where_it_vouches_for_nothing(self, harness, args, words):
        result = run(harness, rotation_period=SIX, known_missing=True, **args)
        assert result["failed"] is True and words in result["msg"]
        assert harness.transport.requests == []


class TestAbsent:
    def test_deletes_the_ca(self, harness):
        ca_id = harness.service.add("Lobby")
        result = run(harness, id=ca_id, state="absent", diff=True)
        assert result["changed"] is True
        assert result["diff"]["after"] == {} and result["diff"]["before"]["name"] == "Lobby"
        assert harness.service.certificate_authorities == {}
        assert result["certificate_authority"]["id"] == ca_id

    def test_a_missing_ca_is_ok(self, harness):
        result = run(harness, name="Lobby", state="absent")
        assert result["changed"] is False and result["certificate_authority"] == {}
        assert harness.calls("DELETE") == []

    def test_check_mode_deletes_nothing(self, harness):
        harness.service.add("Lobby")
        result = run(harness, name="Lobby", state="absent", check_mode=True)
        assert result["changed"] is True
        assert harness.calls("DELETE") == [] and len(harness.service.certificate_authorities) == 1


class TestSeveralCas:
    """certificate_authorities: many CAs in one module run."""

    def test_creates_renames_and_leaves_alone_in_one_run_in_order(self, harness):
        hall_id = harness.service.add("Hall")
        kept_id = harness.service.add("Kept")
        result = run(
            harness,
            diff=True,
            certificate_authorities=[
                {"key": "lobby", "name": "Lobby", "rotation_period": SIX, "known_missing": True},
                {"key": "hall", "id": hall_id, "name": "Great Hall"},
                {"key": "kept", "id": kept_id, "name": "Kept", "rotation_period": SIX},
            ],
        )
        assert result["changed"] is True
        assert [item["key"] for item in result["results"]] == ["lobby", "hall", "kept"]
        assert [item["changed"] for item in result["results"]] == [True, True, False]
        lobby = result["results"][0]["certificate_authority"]
        assert lobby["status"] == "PENDING_CERTIFICATE" and lobby["csr"]
        assert (
            harness.service.certificate_authorities[hall_id]["friendlyName"]["value"]["text"]
            == "Great Hall"
        )
        assert [diff["before_header"] for diff in result["diff"]] == ["lobby", "hall"]
        assert harness.service.token_counter == 1

    def test_many_at_once_share_one_token_and_keep_their_order(self, harness):
        cas = [
            {"key": f"room-{n}", "name": f"Room {n}", "rotation_period": SIX, "known_missing": True}
            for n in range(12)
        ]
        result = run(harness, certificate_authorities=cas, concurrency=4)
        assert [item["certificate_authority"]["name"] for item in result["results"]] == [
            f"Room {n}" for n in range(12)
        ]
        assert len(harness.service.certificate_authorities) == 12
        assert harness.service.token_counter == 1

    def test_one_failure_fails_the_task_naming_it_and_spares_the_others(self, harness):
        failed_id = harness.service.add("Broken", status="FAILED")
        result = run(
            harness,
            certificate_authorities=[
                {"key": "broken", "id": failed_id, "name": "Broken", "rotation_period": SIX},
                {"key": "lobby", "name": "Lobby", "rotation_period": SIX},
            ],
        )
        assert result["failed"] is True and result["changed"] is True
        assert result["msg"].startswith("Failed for 1 of 2 certificate authorities: broken: ")
        assert failed_id in result["msg"]
        broken, lobby = result["results"]
        assert broken["failed"] is True and broken["changed"] is False
        assert lobby["changed"] is True and lobby["certificate_authority"]["name"] == "Lobby"

    def test_check_mode_predicts_each_and_changes_nothing(self, harness):
        hall_id = harness.service.add("Hall")
        result = run(
            harness,
            check_mode=True,
            certificate_authorities=[
                {"key": "lobby", "name": "Lobby", "rotation_period": SIX, "known_missing": True},
                {"key": "hall", "id": hall_id, "name": "Great Hall"},
            ],
        )
        assert [item["changed"] for item in result["results"]] == [True, True]
        assert result["results"][0]["certificate_authority"]["id"] is None
        assert harness.calls("POST", CA_PATH) == [] and harness.calls("PUT") == []

    def test_deletes_each_with_state_absent(self, harness):
        ids = [harness.service.add(name) for name in ("Lobby", "Hall")]
        result = run(
            harness, state="absent", certificate_authorities=[{"id": ca_id} for ca_id in ids]
        )
        assert [item["changed"] for item in result["results"]] == [True, True]
        assert harness.service.certificate_authorities == {}

    def test_an_empty_list_changes_nothing(self, harness):
        result = run(harness, certificate_authorities=[])
        assert result["changed"] is False and result["results"] == []

    @pytest.mark.parametrize(
        ("cas", "words"),
        [
            (
                [{"key": "ok", "name": "Lobby"}, {"key": "long", "name": "x" * 129}],
                "certificate_authorities[1] (long): ",
            ),
            ([{"name": "Lobby", "id": "amzn1.x", "known_missing": True}], "cannot be used with id"),
            ([{"key": "lobby"}], "one of the following is required: id, name"),
            (
                [{"name": ["Lobby"]}],
                "certificate_authorities[0]: name must be a string, not a list",
            ),
        ],
    )
    def test_every_ca_is_checked_before_any_request(self, harness, cas, words):
        result = run(harness, certificate_authorities=cas)
        assert result["failed"] is True and words in result["msg"]
        assert harness.transport.requests == []

    @pytest.mark.parametrize(
        "args", [{"name": "Lobby"}, {"id": "amzn1.x"}, {"known_missing": True}]
    )
    def test_a_single_ca_option_beside_the_list_is_refused(self, harness, args):
        result = run(harness, certificate_authorities=[{"name": "Hall"}], **args)
        assert result["failed"] is True and "mutually exclusive" in result["msg"]

    def test_concurrency_below_one_is_refused(self, harness):
        result = run(harness, certificate_authorities=[{"name": "Hall"}], concurrency=0)
        assert result["failed"] is True and "concurrency must be 1 or more" in result["msg"]


class TestValidation:
    @pytest.mark.parametrize(
        ("args", "words"),
        [
            ({"name": "x" * 129, "rotation_period": SIX}, "1 to 128 characters"),
            ({"name": "", "rotation_period": SIX}, "non-empty"),
            ({"name": "Lobby", "rotation_period": {"value": 13}}, "from 1 to 12 MONTHS, not 13"),
            ({"name": "Lobby", "rotation_period": {"value": 0}}, "not 0"),
            ({"name": "Lobby", "wait_timeout": -1}, "wait_timeout must be 0 or more"),
            ({"name": "Lobby", "timeout": 0}, "timeout must be more than 0"),
            ({"name": "Lobby", "retries": -2}, "retries must be 0 or more"),
            ({"name": "Lobby", "api_url": "asp.test"}, "api_url must be an http"),
            ({"rotation_period": SIX}, "one of the following is required: id, name"),
        ],
    )
    def test_bad_options_fail_before_any_request(self, harness, args, words):
        result = run(harness, **args)
        assert result["failed"] is True and words in result["msg"]
        assert harness.transport.requests == []

    @pytest.mark.parametrize(
        ("value", "kind"), [(["Lobby", "Hall"], "list"), ({"text": "Lobby"}, "mapping")]
    )
    def test_a_name_that_is_not_a_string_is_refused(self, harness, value, kind):
        result = run(harness, name=value, rotation_period=SIX)
        assert result["failed"] is True
        assert result["msg"] == f"name must be a string, not a {kind}"
        assert harness.transport.requests == []

    def test_missing_credentials_are_named(self, harness):
        result = harness.run(
            asp_certificate_authority, {"name": "Lobby"}, connection={"api_url": "https://a.test"}
        )
        assert result["failed"] is True and "No credentials for the ASP API" in result["msg"]


class TestConnection:
    def test_validate_certs_false_warns_and_reaches_the_transport(self, harness):
        result = run(harness, name="Lobby", state="absent", validate_certs=False)
        assert "validate_certs is false" in str(result["warnings"])
        assert harness.transport_options["validate_certs"] is False

    def test_ca_path_and_timeout_reach_the_transport(self, harness):
        run(harness, name="Lobby", state="absent", ca_path="/etc/ssl/asp.pem", timeout=3.5)
        assert harness.transport_options == {
            "timeout": 3.5,
            "validate_certs": True,
            "ca_path": "/etc/ssl/asp.pem",
        }

    def test_environment_variables_are_the_fallback(self, harness, monkeypatch):
        monkeypatch.setenv("ASP_API_URL", "https://env.asp.test")
        monkeypatch.setenv("ASP_ACCESS_TOKEN", TOKEN_ONLY["access_token"])
        harness.run(asp_certificate_authority, {"name": "Lobby", "state": "absent"}, connection={})
        assert harness.transport.requests[0].url.startswith("https://env.asp.test/")
        assert (
            harness.transport.requests[0]
            .headers["Authorization"]
            .endswith(TOKEN_ONLY["access_token"])
        )

    def test_a_rejected_refresh_never_shows_a_secret(self, harness):
        harness.service.accepted_tokens.clear()
        harness.service.faults["token"] = [answer(400, {"error": "invalid_grant"})]
        result = run(harness, name="Lobby", state="absent")
        assert result["failed"] is True
        assert "Login with Amazon: HTTP 400 invalid_grant" in result["msg"]
        assert_no_secret(str(result))
        assert CLIENT_SECRET not in str(result) and REFRESH_TOKEN not in str(result)

    def test_retries_are_logged_and_counted(self, harness):
        busy = answer(503, {"type": "SERVICE_UNAVAILABLE"})
        harness.service.faults["list"] = [busy, busy]
        result = run(harness, name="Lobby", state="absent", retries=1)
        assert result["failed"] is True
        assert "gave up after 2 attempts" in result["msg"] and result["attempts"] == 2
        retries = [line for line in harness.logged if "retry" in line]
        assert retries == [
            "Failed to list certificate authorities: HTTP 503 SERVICE_UNAVAILABLE; "
            "retry 1 of 1 in 0.8 s"
        ]
        assert_no_secret(*harness.logged)
