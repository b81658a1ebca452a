"""What a benchmark result depends on besides the code it measures: the machine, its load, the commit."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MEASURED = ("api", "briefs", "schemas", "gunicorn.conf.py", "pyproject.toml")
"""What the figures measure: a change here, committed or not, changes them."""


def commit() -> str:
    """The commit checked out, with ``+dirty`` if the measured code differs from it; empty outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()  # fmt: skip
        status = subprocess.run(["git", "status", "--porcelain", "--", *MEASURED], cwd=ROOT, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return head + ("+dirty" if status else "")


def machine() -> dict[str, object]:
    """CPUs, Python, the 1-minute load average now, and the commit measured."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "loadavg_1min": round(os.getloadavg()[0], 2),
        "commit": commit(),
    }


def save(name: str, result: object) -> Path:
    """Write ``result`` to ``bench/results/<name>-<UTC timestamp>.json``, print it, and return the path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(result, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    print(text)
    return path
