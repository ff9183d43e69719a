# Copied from generator/runtime by helpdesk-mcp for intercom.yaml. Do not edit; run `make generate`.
"""Rate-limit headers, normalised.

Vendors spell their rate-limit headers differently (Desk365 sends only
``X-Rate-Limit-Remaining``; Intercom ``X-RateLimit-Limit`` / ``-Remaining`` /
``-Reset`` with the reset as a Unix time). Callers get one shape, after the IETF
draft's field names: ``ratelimit-limit``, ``ratelimit-remaining`` and
``ratelimit-reset``, the reset always in seconds from now.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from .spec import RateLimitSpec

__all__ = ["RateLimit", "parse_ratelimit", "retry_after_seconds"]

_FALLBACK = {
    "limit": ("x-ratelimit-limit", "ratelimit-limit", "x-rate-limit-limit"),
    "remaining": ("x-ratelimit-remaining", "ratelimit-remaining", "x-rate-limit-remaining"),
    "reset": ("x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"),
}
_EPOCH_THRESHOLD = 1_000_000_000  # a "reset" this large is a Unix time, not a delay


@dataclass(frozen=True)
class RateLimit:
    """The normalised rate-limit state of the last response (``None`` = not sent)."""

    limit: int | None = None
    remaining: int | None = None
    reset: int | None = None

    def as_fields(self) -> dict[str, int]:
        """``{"ratelimit-limit": ..., ...}`` with the fields the upstream sent."""
        out: dict[str, int] = {}
        for key, value in (("limit", self.limit), ("remaining", self.remaining), ("reset", self.reset)):
            if value is not None:
                out[f"ratelimit-{key}"] = value
        return out

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.limit, self.remaining, self.reset))


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except ValueError:
        return None


def parse_ratelimit(headers: Mapping[str, str], spec: RateLimitSpec, now: float | None = None) -> RateLimit:
    """Read the vendor's headers (named by ``spec``, else the common spellings)."""
    lower = {k.lower(): v for k, v in headers.items()}
    found: dict[str, int | None] = {}
    for key in ("limit", "remaining", "reset"):
        names = [getattr(spec, key)] if getattr(spec, key) else []
        names += list(_FALLBACK[key])
        found[key] = next((v for v in (_int(lower.get(n.lower())) for n in names) if v is not None), None)
    reset = found["reset"]
    if reset is not None and (spec.reset_format == "unix" or reset >= _EPOCH_THRESHOLD):
        reset = max(0, int(reset - (time.time() if now is None else now)))
    if reset is None:
        reset = retry_after_seconds(lower)
    return RateLimit(found["limit"], found["remaining"], reset)


def retry_after_seconds(headers: Mapping[str, str]) -> int | None:
    """``Retry-After`` in seconds, when it is given as a number of seconds."""
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    seconds = _int(value)
    return max(0, seconds) if seconds is not None else None
