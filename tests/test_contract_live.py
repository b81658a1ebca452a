"""The ``schemathesis run`` CLI against the README's server: gunicorn on 127.0.0.1, over HTTP,
gzip included, with every check, valid and invalid data, and the fixed seed of
``tests/schemathesis.toml``. Besides the in-process phases it runs the stateful phase,
which follows ids from one answer into the next request.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import ROOT, live_server

pytestmark = [pytest.mark.contract, pytest.mark.server]

CONFIG = ROOT / "tests" / "schemathesis.toml"
TIMEOUT = 600
"""Seconds the CLI may take (about a minute on 2 cores)."""


def test_schemathesis_cli_finds_no_failure_on_a_live_server(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    schemathesis = Path(sys.executable).parent / "schemathesis"
    with live_server() as server:
        result = subprocess.run(
            [str(schemathesis), "--config-file", str(CONFIG), "--no-color", "run", f"{server.base}/openapi.json",
             "--checks", "all", "--workers", "2", "--report", "json", "--report-json-path", str(report_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
    assert report_path.exists(), result.stdout[-5000:] + result.stderr[-5000:]
    output = result.stdout[-20000:]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["failures"] == [], output
    assert report["errors"] == [], output
    assert report["warnings"]["missing_test_data"] == [], output
    assert report["operations"]["tested"] == report["operations"]["total"] > 0
    assert result.returncode == 0, output
