"""Shared fixtures: an application over the project's content."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import flask
import pytest
from flask.testing import FlaskClient

from api import create_app

ROOT = Path(__file__).resolve().parent.parent

# Tests make many requests from one address and create many apps: no rate limit and no
# content watcher unless a test asks for them (tests of those features set their own).
os.environ.setdefault("BRIEFS_RATELIMIT", "1000000 per minute")
os.environ.setdefault("BRIEFS_RELOAD_INTERVAL", "0")
# Artifacts built from content directories go to a folder of this run, not the checkout's .cache;
# the process that made it (the xdist controller, whose workers inherit it) removes it at exit.
if "BRIEFS_CACHE_DIR" not in os.environ:
    os.environ["BRIEFS_CACHE_DIR"] = tempfile.mkdtemp(prefix="briefs-test-artifacts-")
    atexit.register(shutil.rmtree, os.environ["BRIEFS_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def app() -> flask.Flask:
    return create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    return app.test_client()
