# Copyright: asp.enterprise_wifi contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.asp.enterprise_wifi.plugins.module_utils._errors import AspApiError
from ansible_collections.asp.enterprise_wifi.plugins.module_utils._retries import (
    Retrier,
    RetryPolicy,
)


def failing(*errors: Exception, result: str = "done"):
    """An attempt function that raises ``errors`` in turn, then returns ``result``."""
    queue = list(errors)
    calls = []

    def attempt() -> str:
        calls.append(1)
        if queue:
            raise queue.pop(0)
        return result

    attempt.calls = calls
    return attempt


def throttled(retry_after: float | None = None) -> AspApiError:
    return AspApiError(
        "list things", status=429, error_type="TOO_MANY_REQUESTS", retry_after=retry_after
    )


def unavailable() -> AspApiError:
    return AspApiError("list things", status=503, error_type="SERVICE_UNAVAILABLE")


def retrier(sleeps: list, *, retries: int = 5, max_total_wait: float = 120.0, rng=lambda: 0.0):
    log: list[str] = []
    return (
        Retrier(
            RetryPolicy(retries=retries, max_total_wait=max_total_wait),
            sleep=sleeps.append,
            rng=rng,
            log=log.append,
        ),
        log,
    )


class TestDelay:
    def test_backoff_doubles_and_jitter_spans_the_upper_half(self):
        policy = RetryPolicy(base_delay=1.0, max_delay=100.0)
        assert [policy.delay(n, rng=lambda: 0.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
        assert [policy.delay(n, rng=lambda: 1.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]

    def test_backoff_is_capped(self):
        policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
        assert policy.delay(10, rng=lambda: 1.0) == 5.0

    def test_retry_after_lengthens_but_never_shortens_the_wait(self):
        policy = RetryPolicy(base_delay=1.0)
        assert policy.delay(1, retry_after=7.0, rng=lambda: 0.0) == 7.0
        assert policy.delay(4, retry_after=0.1, rng=lambda: 1.0) == 8.0

    def test_minimum_gap_applies(self):
        policy = RetryPolicy(base_delay=0.1)
        assert policy.delay(1, min_gap=2.0, rng=lambda: 1.0) == 2.0

    def test_negative_retries_are_refused(self):
        with pytest.raises(ValueError):
            RetryPolicy(retries=-1)


class TestRetrier:
    def test_retries_until_success(self):
        sleeps: list[float] = []
        runner, log = retrier(sleeps)
        attempt = failing(throttled(), unavailable())
        assert runner.run(attempt) == "done"
        assert len(attempt.calls) == 3
        assert sleeps == [0.5, 1.0]
        assert len(log) == 2 and "retry 1 of 5" in log[0] and "HTTP 429" in log[0]

    def test_honours_retry_after(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps)
        runner.run(failing(throttled(retry_after=3.0)))
        assert sleeps == [3.0]

    def test_429_without_retry_after_uses_backoff(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps, rng=lambda: 1.0)
        runner.run(failing(throttled(), throttled(), throttled()))
        assert sleeps == [1.0, 2.0, 4.0]

    def test_gives_up_after_the_configured_retries_and_says_how_many_attempts(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps, retries=3)
        attempt = failing(*[unavailable() for _attempt in range(10)])
        with pytest.raises(AspApiError) as caught:
            runner.run(attempt)
        assert len(attempt.calls) == 4
        assert len(sleeps) == 3
        assert caught.value.attempts == 4
        assert str(caught.value).startswith("Failed to list things: gave up after 4 attempts;")
        assert "HTTP 503 SERVICE_UNAVAILABLE" in str(caught.value)

    def test_zero_retries_tries_once(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps, retries=0)
        attempt = failing(unavailable())
        with pytest.raises(AspApiError) as caught:
            runner.run(attempt)
        assert len(attempt.calls) == 1 and sleeps == []
        assert "gave up" not in str(caught.value)

    def test_does_not_retry_a_client_error(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps)
        error = AspApiError("create thing", status=400, error_type="BAD_REQUEST")
        attempt = failing(error)
        with pytest.raises(AspApiError) as caught:
            runner.run(attempt)
        assert caught.value is error
        assert len(attempt.calls) == 1 and sleeps == []

    def test_stops_when_the_total_wait_would_exceed_the_budget(self):
        sleeps: list[float] = []
        runner, log = retrier(sleeps, retries=10, max_total_wait=5.0)
        attempt = failing(*[throttled(retry_after=2.0) for _attempt in range(10)])
        with pytest.raises(AspApiError) as caught:
            runner.run(attempt)
        assert sleeps == [2.0, 2.0]
        assert caught.value.attempts == 3
        assert "retry budget" in log[-1]

    def test_a_retry_after_longer_than_the_budget_fails_at_once(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps, max_total_wait=10.0)
        with pytest.raises(AspApiError):
            runner.run(failing(throttled(retry_after=3600)))
        assert sleeps == []

    def test_recover_can_supply_the_result(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps)
        attempt = failing(unavailable(), unavailable())
        seen = []

        def recover(error):
            seen.append(error.status)
            return "recovered"

        assert runner.run(attempt, recover=recover, min_gap=2.0) == "recovered"
        assert seen == [503] and len(attempt.calls) == 1 and sleeps == [2.0]

    def test_recover_looks_only_after_the_wait_so_a_late_effect_is_seen(self):
        events: list[str] = []
        runner = Retrier(RetryPolicy(retries=3), sleep=lambda s: events.append("sleep"))

        def attempt():
            events.append("attempt")
            raise unavailable()

        def recover(error):
            events.append("look")
            return "adopted" if events.count("look") == 2 else None

        assert runner.run(attempt, recover=recover, min_gap=2.0) == "adopted"
        assert events == ["attempt", "sleep", "look", "attempt", "sleep", "look"]

    def test_recover_has_a_last_look_before_giving_up(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps, retries=0)
        assert runner.run(failing(unavailable()), recover=lambda error: "adopted") == "adopted"
        assert sleeps == []

    def test_recover_returning_none_lets_the_retry_go_ahead_with_the_gap(self):
        sleeps: list[float] = []
        runner, _log = retrier(sleeps)
        attempt = failing(unavailable())
        assert runner.run(attempt, recover=lambda error: None, min_gap=2.0) == "done"
        assert sleeps == [2.0]

    def test_an_exhausted_error_is_not_retried_again_by_an_outer_loop(self):
        sleeps: list[float] = []
        inner, _log = retrier(sleeps, retries=1)
        outer, _log = retrier(sleeps, retries=5)
        attempt = failing(*[unavailable() for _attempt in range(10)])
        with pytest.raises(AspApiError) as caught:
            outer.run(lambda: inner.run(attempt))
        assert len(attempt.calls) == 2
        assert caught.value.exhausted
