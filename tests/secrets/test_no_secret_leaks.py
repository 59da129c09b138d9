"""Nothing a -vvvv rollout prints, registers or logs holds a credential or private-key material."""

from __future__ import annotations

import pytest

from rollout_harness.playbook import TRACEBACK

# Long enough that a match is the key, short enough that a key split across lines still matches.
KEY_FRAGMENT = 24


def _key_fragments(key_pem: str) -> list[str]:
    body = "".join(line for line in key_pem.splitlines() if not line.startswith("-----"))
    return [body[start : start + KEY_FRAGMENT] for start in range(0, len(body) - KEY_FRAGMENT, 16)]


def _places(secret_rollout) -> dict[str, str]:
    places = {
        "emulator request log": secret_rollout.emulator_log,
        "ansible log file": secret_rollout.ansible_log,
        "registered task results": secret_rollout.registered_results,
    }
    for number, run in enumerate(secret_rollout.runs, start=1):
        places[f"run {number} stdout"] = run.stdout
        places[f"run {number} stderr"] = run.stderr
    return places


def test_the_rollouts_succeeded(secret_rollout):
    """Guards the scan: a rollout that failed early would print too little to leak anything."""
    for run in secret_rollout.runs:
        assert run.returncode == 0, run.describe()
        assert TRACEBACK not in run.output
    assert secret_rollout.runs[0].total("changed") > 0
    assert secret_rollout.runs[1].total("changed") > 0


def test_results_were_recorded(secret_rollout):
    """Guards the scan of the task results: they must hold the role's own results."""
    assert "asp_ca_csr_sign" in secret_rollout.registered_results or (
        "certificate_chain" in secret_rollout.registered_results
    ), secret_rollout.registered_results[:2000]


def test_access_tokens_were_issued(secret_rollout):
    """One exchange per play; without any recorded token the scan below would prove nothing."""
    tokens = [name for name in secret_rollout.secrets if name.startswith("access token")]
    assert len(tokens) == len(secret_rollout.runs), secret_rollout.secrets.keys()


@pytest.mark.parametrize(
    "secret_name",
    [
        "client secret",
        "refresh token",
        "RADIUS CA key passphrase",
        "access token 1",
        "access token 2",
    ],
)
def test_credential_appears_nowhere(secret_name, secret_rollout):
    secret = secret_rollout.secrets[secret_name]
    leaks = [place for place, text in _places(secret_rollout).items() if secret in text]
    assert not leaks, f"the {secret_name} appears in: {', '.join(leaks)}"


def test_no_private_key_appears(secret_rollout):
    leaks = [place for place, text in _places(secret_rollout).items() if "PRIVATE KEY" in text]
    assert not leaks, f"private-key PEM appears in: {', '.join(leaks)}"


def test_radius_ca_key_body_appears_nowhere(secret_rollout):
    fragments = _key_fragments(secret_rollout.radius_ca.key_path.read_text())
    assert fragments
    leaks = {
        place
        for place, text in _places(secret_rollout).items()
        for fragment in fragments
        if fragment in text
    }
    assert not leaks, f"the RADIUS CA key's body appears in: {', '.join(sorted(leaks))}"


def test_files_on_the_radius_host_hold_no_key(secret_rollout):
    layout = secret_rollout.layout
    written = [path for path in layout.radius_dir.rglob("*") if path.is_file()]
    assert written, "the rollout wrote nothing on the RADIUS host"
    holding_keys = [str(path) for path in written if "PRIVATE KEY" in path.read_text()]
    assert not holding_keys, f"files the role wrote hold a private key: {holding_keys}"
