"""Running wrk and reading what it measured.

Every run uses the same Lua script (bench.lua, next to this file) and a small Lua file
describing the run, written here from a Python dict. The script's done() prints exact
figures as one JSON line, which `parse` turns into a `WrkResult`.
"""

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("bench.lua")
MARKER = "BENCH_RESULT "


class WrkError(RuntimeError):
    pass


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    # Connections that failed, broke or timed out: never acceptable in a measurement.
    socket_errors: int
    # Once mode: how far into the items the run got, and requests made after they ran out.
    items_used: int = 0
    exhausted: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s

    def unexpected(self, expect: int) -> int:
        """Responses with another status than `expect`, plus socket errors."""
        return self.socket_errors + sum(
            count for status, count in self.statuses.items() if status != expect
        )


def parse(output: str) -> WrkResult:
    """The result line bench.lua's done() printed, from wrk's whole standard output."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line.removeprefix(MARKER))
            break
    else:
        raise WrkError(f"wrk printed no {MARKER.strip()} line:\n{output}")
    errors = data["errors"]
    return WrkResult(
        requests=data["requests"],
        duration_s=data["duration_us"] / 1_000_000,
        p50_ms=data["latency_us"]["p50"] / 1000,
        p99_ms=data["latency_us"]["p99"] / 1000,
        statuses={int(status): count for status, count in data["statuses"].items()},
        socket_errors=errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
        items_used=data["items_used"],
        exhausted=data["exhausted"],
    )


def to_lua(value) -> str:
    """A Lua literal for a JSON-like Python value (dicts with string keys, lists, scalars)."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # Lua's quoted strings take the same escapes as JSON's for what we pass (ASCII
        # paths, cookies, tokens); json.dumps also escapes anything else.
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return "{" + ", ".join(to_lua(item) for item in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{to_lua(str(k))}] = {to_lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"No Lua literal for {value!r}")


def find_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkError(
            "wrk is not installed: `make bench` installs Debian's package when it may "
            "(apt-get), or install it yourself (apt-get install wrk, brew install wrk)."
        )
    return path


def version() -> str:
    """wrk's name and version, e.g. "wrk 4.2.0", for the report."""
    # `wrk --version` prints "wrk 4.2.0 [epoll] Copyright ..." and exits with status 1.
    printed = subprocess.run(
        [find_wrk(), "--version"], capture_output=True, text=True, check=False
    ).stdout
    return (printed.split(" [")[0] or "wrk").strip()


def run(base_url: str, config: dict, *, duration: int, connections: int, threads: int) -> WrkResult:
    """Load `base_url` for `duration` seconds as described by `config` (see bench.lua)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-run-") as run_file:
        run_file.write("return " + to_lua({**config, "threads": threads}) + "\n")
        run_file.flush()
        command = [
            find_wrk(),
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={duration}s",
            "--timeout=10s",
            f"--script={SCRIPT}",
            base_url,
            "--",
            run_file.name,
        ]
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + 60, check=False
        )
    if completed.returncode != 0:
        raise WrkError(f"wrk failed ({completed.returncode}):\n{completed.stderr}")
    return parse(completed.stdout)
