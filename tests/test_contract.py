"""Property-based contract tests, in process: schemathesis generates valid and invalid
requests from the OpenAPI document and runs all its checks on every answer (no server
error, documented status codes, content types and headers, bodies that match their
schema, invalid data rejected, valid data accepted).

Two documents, one application: the one the app serves at ``/openapi.json``, and the
committed ``openapi.yaml`` that SDKs are generated from. The seed is fixed and the
example database is off, so every run sends the same requests. Path parameters get the
ids of real resources from :mod:`tests.contract_hooks`.
"""

from __future__ import annotations

import pytest
import schemathesis

from api import create_app
from tests.conftest import ROOT
from tests.contract_hooks import content_dir, real_path_parameters

pytestmark = pytest.mark.contract

APP = create_app({"BRIEFS_CONTENT_DIR": content_dir()})
# The WSGI transport hands over the body as sent, so gzip is left to the live run (tests/test_contract_live.py).
IDENTITY = {"Accept-Encoding": "identity"}
CONFIG = ROOT / "tests" / "schemathesis.toml"
"""Seed, examples, checks: shared with the live CLI run."""


served = schemathesis.openapi.from_wsgi("/openapi.json", APP, config=schemathesis.Config.from_path(CONFIG))
committed = schemathesis.openapi.from_path(ROOT / "openapi.yaml", config=schemathesis.Config.from_path(CONFIG))
committed.app = APP


@served.parametrize()
def test_served_document_holds(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=IDENTITY)


@committed.parametrize()
def test_committed_document_holds(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=IDENTITY)


@pytest.mark.parametrize("template", sorted(real_path_parameters(content_dir())))
def test_path_parameters_are_seeded_with_resources_that_exist(template: str) -> None:
    """So few generated cases are 404s (schemathesis' missing_test_data)."""
    seeds = real_path_parameters(content_dir())[template]
    assert seeds, f"no resource to seed {template}"
    client = APP.test_client()
    for parameters in seeds:
        path = template.format(**parameters)
        assert client.get(path).status_code == 200, path
