"""The fault switches: what a bad day at the payment provider looks like, switched on by a test.

Every switch is off until `POST /_sandbox/faults` (or `SandboxClient.set_faults`) turns it on.
The outage has its own calls (`/_sandbox/outage`) because it ends on its own.
"""

import math
import time
from dataclasses import dataclass, fields


@dataclass
class Faults:
    duplicate: float = 0.0  # share of deliveries sent a second time (1: every one)
    drop: float = 0.0  # share of deliveries never sent: lost webhooks, for reconciliation
    delay: float = 0.0  # seconds each delivery waits before its first attempt
    hold: bool = False  # keep new deliveries back until they are released, in an order chosen
    capture_delay: float = 0.0  # seconds a capture's answer waits after the capture is done
    outage_until: float = 0.0  # time.monotonic() at which the outage ends (inf: when switched off)

    SETTABLE = ("duplicate", "drop", "delay", "hold", "capture_delay")

    def update(self, changes: dict) -> None:
        """Set the switches named in `changes`, all or none: a bad value names itself."""
        unknown = set(changes) - set(self.SETTABLE)
        if unknown:
            raise ValueError(f"No such fault switch: {', '.join(sorted(unknown))}.")
        checked = {}
        for name, value in changes.items():
            if name == "hold":
                if not isinstance(value, bool):
                    raise ValueError("hold is true or false.")
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} is a number, 0 or more.")
            elif name in ("duplicate", "drop") and value > 1:
                raise ValueError(f"{name} is a share of the deliveries, from 0 to 1.")
            checked[name] = value
        for name, value in checked.items():
            setattr(self, name, value)

    def start_outage(self, seconds: float | None) -> None:
        self.outage_until = math.inf if seconds is None else time.monotonic() + seconds

    def end_outage(self) -> None:
        self.outage_until = 0.0

    @property
    def in_outage(self) -> bool:
        return time.monotonic() < self.outage_until

    def as_json(self) -> dict:
        """The switches, and the outage as null (none), {"seconds_left": null} (until switched
        off) or {"seconds_left": 2.5}."""
        switches = {f.name: getattr(self, f.name) for f in fields(self) if f.name in self.SETTABLE}
        left = self.outage_until - time.monotonic()
        outage = None if left <= 0 else {"seconds_left": None if left == math.inf else left}
        return {**switches, "outage": outage}
