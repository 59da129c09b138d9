"""asp_emulator.testing, the helper other suites start the emulator with."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from asp_emulator.testing import running_emulator
from conftest import SERVICE


def test_connection_env_holds_what_a_playbook_needs_to_log_in() -> None:
    with running_emulator(client_secret="other-secret") as emulator:
        env = emulator.connection_env()
        token = httpx.post(
            env["ASP_LWA_TOKEN_URL"],
            data={
                "grant_type": "refresh_token",
                "client_id": env["ASP_CLIENT_ID"],
                "client_secret": env["ASP_CLIENT_SECRET"],
                "refresh_token": env["ASP_REFRESH_TOKEN"],
            },
        )
        listed = httpx.get(
            f"{env['ASP_API_URL']}{SERVICE}",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
        )

    assert env["ASP_CLIENT_SECRET"] == "other-secret"
    assert token.status_code == 200 and listed.status_code == 200


def test_the_block_ends_with_the_process_stopped_and_its_files_gone() -> None:
    with running_emulator() as emulator:
        workdir = Path(emulator.db_path).parent
        assert Path(emulator.db_path).exists()
        process = emulator.process

    assert process is not None and process.poll() is not None
    assert not workdir.exists()


def test_a_caller_supplied_db_is_kept_and_reused(tmp_path: Path) -> None:
    db_path = str(tmp_path / "kept.db")
    with running_emulator(db=db_path) as emulator:
        emulator.advance_clock(1000)
        moved = emulator.now()
    with running_emulator(db=db_path) as emulator:
        again = emulator.now()

    assert os.path.exists(db_path)
    assert again >= moved


def test_restart_after_stop_keeps_the_port() -> None:
    with running_emulator() as emulator:
        url = emulator.url
        emulator.stop()
        emulator.restart()

        assert emulator.url == url
        assert emulator.request("GET", "/_emulator/health")[0] == 200
