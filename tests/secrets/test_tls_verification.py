"""TLS is verified by default: an emulator with a certificate nobody trusts is refused."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from asp_emulator.testing import EmulatorProcess, running_emulator

from rollout_harness.pki import certificate_pem, issue, key_pem, new_key
from rollout_harness.playbook import TRACEBACK
from rollout_harness.rejection import assert_refused, run_tasks

INFO = "asp.enterprise_wifi.asp_ca_info"


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed server certificate for 127.0.0.1, as a lab's own HTTPS service has."""
    directory = tmp_path_factory.mktemp("tls")
    key = new_key()
    certificate = issue(
        "asp-emulator on 127.0.0.1",
        key.public_key(),
        None,
        signing_key=key,
        is_ca=False,
        san_ips=["127.0.0.1"],
    )
    certificate_path = directory / "server.pem"
    key_path = directory / "server.key"
    certificate_path.write_text(certificate_pem(certificate))
    key_path.write_text(key_pem(key))
    return certificate_path, key_path


@pytest.fixture(scope="module")
def https_emulator(tls_files) -> Iterator[EmulatorProcess]:
    certificate_path, key_path = tls_files
    with running_emulator(
        creation_delay=0, tls_cert=str(certificate_path), tls_key=str(key_path)
    ) as emulator:
        assert emulator.url.startswith("https://127.0.0.1:")
        yield emulator


def _info_task(**options) -> list[dict]:
    return [{"name": "Read the CAs over HTTPS", INFO: {"retries": 0, "timeout": 10, **options}}]


def _env(emulator: EmulatorProcess, **extra: str) -> dict[str, str]:
    return {"ASP_API_URL": emulator.url, "ASP_ACCESS_TOKEN": emulator.mint_token(), **extra}


def test_untrusted_certificate_is_refused(workdir, https_emulator):
    run = run_tasks(workdir, _info_task(), env=_env(https_emulator))
    assert_refused(
        run, ("certificate", "tls", "ssl"), ("verif", "trust", "self-signed", "self signed")
    )


def test_untrusted_token_endpoint_is_refused(workdir, https_emulator):
    """The refresh credentials must not be sent to an endpoint whose identity is unproven."""
    env = {**https_emulator.connection_env()}
    https_emulator.reset_stats()
    run = run_tasks(workdir, _info_task(), env=env)
    assert_refused(
        run, ("certificate", "tls", "ssl"), ("verif", "trust", "self-signed", "self signed")
    )
    assert https_emulator.stats()["token_requests"] == 0


def test_ca_path_makes_it_trusted(workdir, https_emulator, tls_files):
    certificate_path = tls_files[0]
    run = run_tasks(workdir, _info_task(ca_path=str(certificate_path)), env=_env(https_emulator))
    assert run.returncode == 0, run.describe()
    warnings = [line for line in run.output.splitlines() if "[WARNING]" in line]
    assert not any("validate_certs" in line for line in warnings), warnings


def test_ca_path_from_the_environment(workdir, https_emulator, tls_files):
    certificate_path = tls_files[0]
    env = {**https_emulator.connection_env(), "ASP_CA_PATH": str(certificate_path)}
    run = run_tasks(workdir, _info_task(), env=env)
    assert run.returncode == 0, run.describe()


@pytest.mark.parametrize("where", ["option", "environment"])
def test_validate_certs_false_works_with_a_warning(where, workdir, https_emulator):
    if where == "option":
        run = run_tasks(workdir, _info_task(validate_certs=False), env=_env(https_emulator))
    else:
        env = _env(https_emulator, ASP_VALIDATE_CERTS="false")
        run = run_tasks(workdir, _info_task(), env=env)
    assert run.returncode == 0, run.describe()
    assert TRACEBACK not in run.output
    warnings = [line for line in run.output.splitlines() if "[WARNING]" in line]
    assert any("validate_certs" in line for line in warnings), run.describe()
