"""A kill -9 and a restart with the same --db lose no CA, no import, no token, no time."""

from __future__ import annotations

import httpx

from asp_emulator.testing import running_emulator
from conftest import SERVICE, ServiceClient, emulator_now
from pki import certificate_pem, root_ca, sign_csr


def test_kill_9_and_restart_keep_every_ca_and_import() -> None:
    with running_emulator(creation_delay=30) as emulator:
        api = ServiceClient(emulator, emulator.mint_token(lifetime=10**6))
        imported = api.create("Imported before the crash")
        creating = api.create("Still creating at the crash")
        emulator.advance_clock(30)
        creating_later = api.create("Created after the clock moved")
        now = emulator_now(emulator)
        root = root_ca(now)
        certificate = sign_csr(api.get(imported)["csr"], root, now)
        assert (
            api.import_certificate(imported, certificate_pem(certificate), root.pem).status_code
            == 204
        )
        before = {ca_id: api.get(ca_id) for ca_id in (imported, creating, creating_later)}
        old_port = emulator.url.rsplit(":", 1)[1]
        api.close()

        emulator.kill()
        assert emulator.process is not None and emulator.process.returncode == -9
        emulator.restart()

        api = ServiceClient(emulator, "unused")
        api.http.headers.pop("Authorization")
        token = httpx.post(
            f"{emulator.url}/auth/o2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": emulator.client_id,
                "client_secret": emulator.client_secret,
                "refresh_token": emulator.refresh_token,
            },
        ).json()["access_token"]
        api.http.headers["Authorization"] = f"Bearer {token}"
        after = {ca_id: api.get(ca_id) for ca_id in before}
        listed = api.request("GET", SERVICE).json()["certificateAuthorities"]
        api.close()

    assert emulator.url.rsplit(":", 1)[1] == old_port
    assert after[imported] == before[imported]
    assert after[imported]["status"] == "ACTIVE"
    assert after[creating]["status"] == "PENDING_CERTIFICATE"
    assert after[creating_later]["status"] == "CREATING"
    assert [ca["id"] for ca in listed] == [imported, creating, creating_later]


def test_tokens_and_the_clock_survive_a_kill_9() -> None:
    with running_emulator() as emulator:
        access_token = emulator.mint_token(lifetime=7200)
        emulator.advance_clock(3600)
        moved = emulator_now(emulator)

        emulator.kill()
        emulator.restart()

        headers = {"Authorization": f"Bearer {access_token}"}
        status, _ = emulator.request("GET", SERVICE, headers=headers)
        assert status == 200
        assert (emulator_now(emulator) - moved).total_seconds() >= 0
        emulator.advance_clock(3600)
        status, _ = emulator.request("GET", SERVICE, headers=headers)
        assert status == 401


def test_without_db_the_state_lives_in_memory_only(tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys

    url_file = tmp_path / "url"
    process = subprocess.Popen(
        [sys.executable, "-m", "asp_emulator", "--port", "0", "--url-file", str(url_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
    )
    try:
        url = process.stdout.readline().strip() if process.stdout else ""
        health = httpx.get(f"{url}/_emulator/health")
    finally:
        process.kill()
        process.wait()

    assert health.status_code == 200
    assert list(tmp_path.iterdir()) == [url_file]
