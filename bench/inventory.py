"""The generated inventory both implementations run on: N properties and one RADIUS host."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

PROPERTIES_GROUP = "asp_properties"
RADIUS_GROUP = "radius_servers"
RADIUS_HOST = "radius"
ROTATION_PERIOD_MONTHS = 6
RENEWAL_MARGIN_DAYS = 30
VALIDITY_DAYS = 365


@dataclass(frozen=True)
class RadiusFiles:
    ca_certificate: Path
    ca_key: Path
    # Where the hand-written playbook keeps its openssl extension profile.
    openssl_dir: Path
    trust_store_dir: Path
    trust_store: Path


def property_host(index: int) -> str:
    return f"property-{index:04d}"


def ca_name(index: int, generation: int) -> str:
    """The CA's friendly name; a rename moves every property to the next generation."""
    suffix = "" if generation == 0 else f" (renamed {generation})"
    return f"Benchmark property {index:04d}{suffix}"


def write_inventory(
    path: Path,
    size: int,
    generation: int,
    radius: RadiusFiles,
    state: str,
    validity_days: int,
    ca_ids: dict[str, str],
) -> None:
    """Write the inventory as JSON (which the YAML inventory plugin reads).

    Every host runs on the controller. `ca_ids` maps inventory hosts to their CA's id, as
    a user keeps them once a rollout made them; without an id a CA is found by its name.
    """
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    properties = {}
    for index in range(1, size + 1):
        host = property_host(index)
        host_vars = {"ca_rollout_ca_name": ca_name(index, generation)}
        if host in ca_ids:
            host_vars["ca_rollout_ca_id"] = ca_ids[host]
        properties[host] = host_vars
    inventory = {
        "all": {
            "children": {
                PROPERTIES_GROUP: {
                    "hosts": properties,
                    "vars": {
                        **local,
                        "ca_rollout_state": state,
                        "ca_rollout_rotation_period": {
                            "value": ROTATION_PERIOD_MONTHS,
                            "interval": "MONTHS",
                        },
                        "ca_rollout_radius_host": RADIUS_HOST,
                        "ca_rollout_radius_ca_certificate_path": str(radius.ca_certificate),
                        "ca_rollout_radius_ca_private_key_path": str(radius.ca_key),
                        "handwritten_openssl_dir": str(radius.openssl_dir),
                        "ca_rollout_trust_store_dir": str(radius.trust_store_dir),
                        "ca_rollout_trust_store": str(radius.trust_store),
                        # The benchmark has no RADIUS server to restart; the command still runs.
                        "ca_rollout_reload_command": "true",
                        "ca_rollout_renewal_margin_days": RENEWAL_MARGIN_DAYS,
                        "ca_rollout_validity_days": validity_days,
                    },
                },
                RADIUS_GROUP: {"hosts": {RADIUS_HOST: dict(local)}},
            }
        }
    }
    path.write_text(json.dumps(inventory, indent=1))
