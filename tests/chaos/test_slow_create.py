"""A create the service carries out after its client timed out must not leave a duplicate.

The proxy holds the first create for longer than the client's timeout, then passes it on:
the client's timeout ends the first attempt, its look-up by name finds nothing yet, and the
held create lands before the client's next attempt. Only a look-up just before re-posting
(or a check for extras afterwards) can tell that the CA exists by then.
"""

from __future__ import annotations

from asp_emulator.testing import running_emulator

from rollout_harness.local_http import SlowCreateProxy
from rollout_harness.rejection import run_tasks
from rollout_harness.service import certificate_authorities, friendly_name

CLIENT_TIMEOUT = 3.0
# Past the timeout and the look-up that follows it, before the 2 s gap a create retry waits.
CREATE_HOLD = CLIENT_TIMEOUT + 1.0


def test_create_carried_out_after_the_client_timed_out(workdir):
    name = "created after its client gave up"
    with running_emulator(creation_delay=0) as emulator, SlowCreateProxy(
        emulator.url, CREATE_HOLD
    ) as proxy:
        task = {
            "name": "Create a CA through a slow service",
            "asp.enterprise_wifi.asp_certificate_authority": {
                "name": name,
                "rotation_period": {"value": 6},
                "timeout": CLIENT_TIMEOUT,
                "retries": 3,
            },
        }
        env = {"ASP_API_URL": proxy.url, "ASP_ACCESS_TOKEN": emulator.mint_token()}
        run = run_tasks(workdir, [task], env=env, verbosity=0)
        assert run.returncode == 0, run.describe()
        assert proxy.served.held_creates == 1, "the proxy never held a create"
        named = [ca["id"] for ca in certificate_authorities(emulator) if friendly_name(ca) == name]
        assert len(named) == 1, f"one create became {len(named)} CAs: {named}"
