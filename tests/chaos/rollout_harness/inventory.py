"""A rollout's inventory: N properties, one RADIUS host, every file under one work directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from rollout_harness.pki import RadiusCaFiles

ROLE = "asp.enterprise_wifi.ca_rollout"
PLAYBOOK = """\
- name: Roll out one ASP CA per property and make the RADIUS server trust it
  hosts: properties
  gather_facts: false
  roles:
    - role: {role}
"""


@dataclass
class RolloutLayout:
    """Where the role is told to keep things on the (local) RADIUS host."""

    workdir: Path

    @property
    def radius_dir(self) -> Path:
        return self.workdir / "radius"

    @property
    def trust_store_dir(self) -> Path:
        return self.radius_dir / "asp-trust.d"

    @property
    def trust_store(self) -> Path:
        return self.radius_dir / "asp-trust.pem"

    @property
    def reload_log(self) -> Path:
        return self.workdir / "radius-reloads.log"

    @property
    def inventory(self) -> Path:
        return self.workdir / "inventory.yml"

    @property
    def playbook(self) -> Path:
        return self.workdir / "rollout.yml"

    def reloads(self) -> int:
        """How often the role restarted the (pretend) RADIUS server."""
        if not self.reload_log.exists():
            return 0
        return len(self.reload_log.read_text().splitlines())


def property_name(index: int, prefix: str = "property") -> str:
    return f"{prefix}-{index:03d}"


def write_rollout(
    layout: RolloutLayout,
    radius_ca: RadiusCaFiles,
    property_names: list[str],
    *,
    state: str = "present",
    connection: dict[str, object] | None = None,
    property_vars: dict[str, object] | None = None,
    host_vars: dict[str, object] | None = None,
) -> None:
    """Write the inventory and playbook; each property's CA is named after its host.

    host_vars go on every property host, where they override its own CA name.
    """
    layout.radius_dir.mkdir(parents=True, exist_ok=True)
    radius_vars: dict[str, object] = {
        "ca_rollout_radius_host": "radius",
        "ca_rollout_radius_ca_certificate_path": str(radius_ca.certificate_path),
        "ca_rollout_radius_ca_private_key_path": str(radius_ca.key_path),
        "ca_rollout_trust_store_dir": str(layout.trust_store_dir),
        "ca_rollout_trust_store": str(layout.trust_store),
        # The command module runs no shell, so the append goes through one explicitly.
        "ca_rollout_reload_command": f"/bin/sh -c 'date >> {layout.reload_log}'",
        "ca_rollout_state": state,
        "ca_rollout_wait_timeout": 120,
    }
    if radius_ca.passphrase is not None:
        radius_vars["ca_rollout_radius_ca_private_key_passphrase"] = radius_ca.passphrase
    radius_vars.update(connection or {})
    radius_vars.update(property_vars or {})
    inventory = {
        "all": {
            "vars": {"ansible_connection": "local"},
            "children": {
                "properties": {
                    "hosts": {
                        name: {"ca_rollout_ca_name": name, **(host_vars or {})}
                        for name in property_names
                    },
                    "vars": radius_vars,
                },
                "radius_servers": {"hosts": {"radius": {}}},
            },
        }
    }
    layout.inventory.write_text(yaml.safe_dump(inventory, sort_keys=False))
    layout.playbook.write_text(PLAYBOOK.format(role=ROLE))
