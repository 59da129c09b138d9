# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retrying failed calls: exponential back-off with jitter, Retry-After, a bounded total wait."""

from __future__ import annotations

import random
import time
from typing import Callable, Optional, TypeVar

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspApiError

Result = TypeVar("Result")

# An operation's recovery hook looks at a retryable failure and may return the
# result the failed attempt would have produced (a create that did happen).
Recover = Callable[[AspApiError], Optional[Result]]


class RetryPolicy:
    """How often and how long to retry; ``retries`` counts tries after the first."""

    def __init__(
        self,
        *,
        retries: int = 5,
        base_delay: float = 1.0,
        max_delay: float = 20.0,
        max_total_wait: float = 120.0,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be 0 or more")
        self.retries = retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_total_wait = max_total_wait

    def delay(
        self,
        retry_number: int,
        *,
        retry_after: float | None = None,
        min_gap: float = 0.0,
        rng: Callable[[], float] = random.random,
    ) -> float:
        """Seconds to wait before retry ``retry_number`` (1 for the first retry).

        Half the back-off is fixed and half is random, so parallel hosts that
        failed together do not retry together. A server's Retry-After and the
        operation's minimum gap only ever lengthen the wait.
        """
        backoff = min(self.max_delay, self.base_delay * 2 ** (retry_number - 1))
        wait = backoff / 2 + rng() * backoff / 2
        if retry_after is not None:
            wait = max(wait, retry_after)
        return max(wait, min_gap)


class Retrier:
    """Runs one attempt function until it succeeds, fails for good, or the policy runs out."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.policy = policy
        self.sleep = sleep
        self.rng = rng
        self.log = log or (lambda message: None)

    def run(
        self,
        attempt: Callable[[], Result],
        *,
        min_gap: float = 0.0,
        recover: Recover | None = None,
    ) -> Result:
        attempts = 0
        waited = 0.0
        while True:
            attempts += 1
            try:
                return attempt()
            except AspApiError as error:
                if not error.retryable:
                    raise
                delay = self.policy.delay(
                    attempts, retry_after=error.retry_after, min_gap=min_gap, rng=self.rng
                )
                if attempts > self.policy.retries:
                    give_up = True
                elif waited + delay > self.policy.max_total_wait:
                    self.log(
                        f"{error}; not retrying: waiting {delay:.1f} s more would exceed "
                        f"the {self.policy.max_total_wait:g} s retry budget"
                    )
                    give_up = True
                else:
                    self.log(f"{error}; retry {attempts} of {self.policy.retries} in {delay:.1f} s")
                    self.sleep(delay)
                    waited += delay
                    give_up = False
                # A failed attempt can still take effect on the service after the
                # client gave up on it, so look for its effect only after the wait,
                # just before repeating it (or before reporting the failure).
                recovered = recover(error) if recover is not None else None
                if recovered is not None:
                    return recovered
                if give_up:
                    raise error.with_attempts(attempts) from None
