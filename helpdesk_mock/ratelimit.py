"""The mock's rate-limit bucket: a fixed window on an injected clock.

``MockSettings.ratelimit`` requests are allowed per ``ratelimit_window`` seconds;
the window starts with the first request after the previous one ran out, and its
end is the reset time the vendors announce (Intercom's ``X-RateLimit-Reset`` is
that instant as a Unix time). A fixed window, not a leaky bucket, because it is
what the headers of both vendors describe and what a test can reason about: with
an injected clock a test empties the bucket, moves the clock past the window and
sees it full again, without sleeping. Changing the limit on a running app starts
a fresh window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Bucket", "Take"]


@dataclass(frozen=True)
class Take:
    """The outcome of one request: allowed or not, and what the headers should say."""

    allowed: bool
    limit: int
    remaining: int
    reset_at: float
    now: float


class Bucket:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._limit: int | None = None
        self._window = 0.0
        self._start = 0.0
        self._used = 0

    def refill(self) -> None:
        with self._lock:
            self._limit = None

    def take(self, limit: int, window: float) -> Take:
        """Use one request of the window (if any is left)."""
        return self._take(limit, window, 1)

    def peek(self, limit: int, window: float) -> Take:
        """The current state, using nothing (for answers that never reach an operation)."""
        return self._take(limit, window, 0)

    def _take(self, limit: int, window: float, cost: int) -> Take:
        now = self._clock()
        with self._lock:
            if self._limit != limit or self._window != window or now >= self._start + self._window:
                self._limit, self._window, self._start, self._used = limit, window, now, 0
            allowed = self._used + cost <= limit
            if allowed:
                self._used += cost
            return Take(allowed, limit, max(0, limit - self._used), self._start + window, now)
