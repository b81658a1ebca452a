"""Running wrk for ``bench/http.py``: one bounded run, its output to a file, its figures read back."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
MARKER = "WRK_JSON "
GRACE_S = 30
"""How long past its duration a wrk run may take before it is killed."""


@dataclass(frozen=True, slots=True)
class Load:
    """How hard to push: wrk's ``--duration``, ``--connections`` and ``--threads``."""

    duration_s: int
    connections: int
    threads: int
    timeout_s: int = 2
    """wrk's ``--timeout`` (its default, spelt out): a response later than this counts as a timeout error."""


@dataclass(frozen=True, slots=True)
class Run:
    """The figures of one wrk run."""

    requests: int
    """Responses received."""
    rps: float
    """Responses per second."""
    p50_ms: float
    """Median latency."""
    p99_ms: float
    """99th percentile latency."""
    errors: int
    """Socket errors (connect, read, write, timeout) and responses with a status of 400 or more."""
    error_kinds: dict[str, int]
    """``errors`` by kind, as wrk counts them: ``connect``, ``read``, ``write``, ``timeout`` and ``status``."""
    output: str
    """The file holding wrk's own output."""

    def as_dict(self) -> dict[str, object]:
        """The figures as JSON-ready values."""
        return asdict(self)


def wrk_version() -> str:
    """wrk's version line, or an empty string if wrk is missing."""
    if not shutil.which("wrk"):
        return ""
    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False)
    return (done.stdout or done.stderr).splitlines()[0].strip()


def run_wrk(url: str, load: Load, output: Path, headers: dict[str, str] | None = None) -> Run:
    """Run wrk against ``url`` for ``load.duration_s`` seconds; its output goes to ``output``."""
    command = ["wrk", "--threads", str(load.threads), "--connections", str(load.connections),
               "--duration", f"{load.duration_s}s", "--timeout", f"{load.timeout_s}s", "--latency",
               "--script", str(SCRIPT), url, "--"]  # fmt: skip
    for name, value in (headers or {}).items():
        command += [name, value]
    with output.open("w", encoding="utf-8") as file:
        file.write(" ".join(command) + "\n\n")
        file.flush()
        subprocess.run(command, stdout=file, stderr=subprocess.STDOUT, timeout=load.duration_s + GRACE_S, check=True)
    text = output.read_text(encoding="utf-8")
    line = next((line for line in text.splitlines() if line.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary; see {output}")
    summary = json.loads(line.removeprefix(MARKER))
    latency, errors = summary["latency_us"], summary["errors"]
    return Run(
        requests=summary["requests"],
        rps=summary["requests"] / (summary["duration_us"] / 1e6),
        p50_ms=latency["p50"] / 1000,
        p99_ms=latency["p99"] / 1000,
        errors=sum(errors.values()),
        error_kinds=dict(errors),
        output=str(output),
    )
