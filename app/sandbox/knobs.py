"""Runtime-adjustable behaviour of the sandbox: latency, rate limit and injected faults.

Knobs apply to API requests only, never to the `/_sandbox/` admin endpoints, so tests
can always read the journal and turn faults off again.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from app.errors import InputError

_RATES = (
    "fault_rate",
    "timeout_rate",
    "drop_after_write_rate",
    "malformed_rate",
)

INLINE_MODES = ("honour", "ignore", "refuse")


@dataclass
class Knobs:
    #: Added to every API request.
    latency_ms: float = 0.0
    #: Requests per second per firm, answered with 429 + Retry-After beyond it; None = no limit.
    rate_limit: float | None = None
    #: Retry-After sent with a 429; None = the time until the bucket has a token, in whole
    #: seconds as real servers send it. Tests set a small fraction to stay fast.
    retry_after_s: float | None = None
    #: Probability of a 500/502/503 before the request is handled (nothing applied).
    fault_rate: float = 0.0
    #: Probability that the answer stalls for `stall_s` after the request was applied.
    timeout_rate: float = 0.0
    stall_s: float = 30.0
    #: Probability that a write is applied and then the connection dropped mid-answer.
    drop_after_write_rate: float = 0.0
    #: Probability of a 200 whose body is not JSON (after the request was applied).
    malformed_rate: float = 0.0
    #: The next N API requests get 429.
    burst_429: int = 0
    #: Largest page a list endpoint returns, whatever `limit` asks.
    max_page_size: int = 100
    #: Seed of the fault dice, so a faulty run can be replayed.
    seed: int = 0
    #: What a create does with a person's details sent inline (emailAddress, linkedinUrl, …):
    #: "honour" stores them, "ignore" drops them silently, "refuse" answers 400 naming them.
    inline_details: str = "ignore"
    #: Endpoint names (comma-separated, or "*") whose answer wrapper is renamed to "data",
    #: as a firm on another API version might answer.
    drift_wrappers: str = ""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        for name in _RATES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise InputError(f"Sandbox knob {name} must be between 0 and 1.")
        for name in ("latency_ms", "stall_s", "burst_429"):
            if getattr(self, name) < 0:
                raise InputError(f"Sandbox knob {name} cannot be negative.")
        if self.rate_limit is not None and not (0 < self.rate_limit < math.inf):
            raise InputError("Sandbox knob rate_limit must be a positive number or null.")
        if self.retry_after_s is not None and self.retry_after_s < 0:
            raise InputError("Sandbox knob retry_after_s cannot be negative.")
        if self.inline_details not in INLINE_MODES:
            raise InputError("Sandbox knob inline_details is honour, ignore or refuse.")
        if not isinstance(self.drift_wrappers, str):
            raise InputError("Sandbox knob drift_wrappers is a comma-separated list of names.")
        if self.max_page_size < 1:
            raise InputError("Sandbox knob max_page_size must be at least 1.")

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update (e.g. from JSON), all or nothing."""
        known = {f.name: f for f in fields(self)}
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise InputError(f"Unknown sandbox knob(s): {', '.join(unknown)}.")
        try:
            candidate = Knobs(**{**self.as_dict(), **changes})  # validates the combination
        except TypeError:
            raise InputError(
                "Sandbox knobs take numbers (rate_limit and retry_after_s may be null)."
            ) from None
        for name in changes:
            setattr(self, name, getattr(candidate, name))

    def drifts(self, endpoint: str) -> bool:
        names = {n.strip() for n in self.drift_wrappers.split(",")}
        return "*" in names or endpoint in names

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
