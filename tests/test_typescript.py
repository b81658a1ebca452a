"""TypeScript types generated from the committed openapi.yaml (openapi-typescript) type-check
the example client clients/typescript/client.ts with ``tsc --noEmit``.

The node packages, at the versions in package-lock.json, are installed by ``make typescript``
(``npm ci``), which ``make test`` runs first.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.contract

CLIENT = ROOT / "clients" / "typescript"
INSTALLED = CLIENT / "node_modules" / ".package-lock.json"


def test_generated_types_check_the_example_client() -> None:
    npm = shutil.which("npm")
    assert npm, "npm is missing: run `make typescript`"
    assert INSTALLED.exists(), "node packages are missing: run `make typescript`"
    assert INSTALLED.stat().st_mtime >= (CLIENT / "package-lock.json").stat().st_mtime, "run `make typescript`"
    result = subprocess.run(
        [npm, "run", "--silent", "check"], cwd=CLIENT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    types = (CLIENT / "openapi.d.ts").read_text(encoding="utf-8")
    assert "listBriefs: {" in types and "Brief: {" in types
    for name in ("listBriefVersions", "getBriefVersion", "getBriefVersionChanges", "listChanges"):
        assert f"    {name}: {{" in types, name  # the operations of versions, named as the issue asks
