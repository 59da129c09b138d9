"""The five scenarios each implementation runs, in order, on its own emulator."""

from __future__ import annotations

from dataclasses import dataclass

from inventory import CERTIFICATE_VALIDITY_DAYS, RENEWAL_MARGIN_DAYS

DAY_SECONDS = 86400


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    # Which names the inventory carries: 0 the original ones, 1 after the rename.
    name_generation: int
    state: str = "present"
    # Moved on the emulator's clock before the run, so that every CA is due for renewal.
    clock_advance_seconds: float = 0.0
    expect_no_change: bool = False
    expect_new_certificates: bool = False


# Into the renewal margin but short of expiry: the CAs are still ACTIVE, and due.
RENEWAL_CLOCK_ADVANCE_SECONDS = (CERTIFICATE_VALIDITY_DAYS - RENEWAL_MARGIN_DAYS + 5) * DAY_SECONDS

SCENARIOS = (
    Scenario("first_rollout", "first rollout", name_generation=0),
    Scenario("no_change", "no-change re-run", name_generation=0, expect_no_change=True),
    Scenario("rename", "rename every CA", name_generation=1),
    Scenario(
        "renewal",
        "renew every CA",
        name_generation=1,
        clock_advance_seconds=RENEWAL_CLOCK_ADVANCE_SECONDS,
        expect_new_certificates=True,
    ),
    Scenario("removal", "remove every CA", name_generation=1, state="absent"),
)
