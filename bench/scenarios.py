"""The five scenarios each implementation runs, in order, on its own emulator."""

from __future__ import annotations

from dataclasses import dataclass

from inventory import VALIDITY_DAYS

DAY_SECONDS = 86400


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    # Which names the inventory carries: 0 the original ones, 1 after the rename.
    name_generation: int
    # From the rename on, the inventory names each property's CA by id, as a user would
    # once the first rollout made them; renaming needs it.
    with_ids: bool = False
    state: str = "present"
    validity_days: int = VALIDITY_DAYS
    # Moved on the emulator's clock before the run.
    clock_advance_seconds: float = 0.0
    expect_no_change: bool = False
    expect_new_certificates: bool = False


# Both implementations judge "within the renewal margin" by the controller's clock, which
# the benchmark cannot move; the emulator's clock moved past the certificates' expiry makes
# every CA EXPIRED, which both renew. The new certificates must then outlast the moved
# clock, hence the longer validity of that run.
RENEWAL = Scenario(
    "renewal",
    "renew every CA",
    name_generation=1,
    with_ids=True,
    validity_days=2 * VALIDITY_DAYS,
    clock_advance_seconds=(VALIDITY_DAYS + 1) * DAY_SECONDS,
    expect_new_certificates=True,
)

SCENARIOS = (
    Scenario("first_rollout", "first rollout", name_generation=0),
    Scenario("no_change", "no-change re-run", name_generation=0, expect_no_change=True),
    Scenario("rename", "rename every CA", name_generation=1, with_ids=True),
    RENEWAL,
    Scenario(
        "removal",
        "remove every CA",
        name_generation=1,
        with_ids=True,
        state="absent",
        validity_days=2 * VALIDITY_DAYS,
    ),
)
