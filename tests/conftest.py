"""Shared fixtures: an application over the project's content."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from flask.testing import FlaskClient

from api import create_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def app() -> flask.Flask:
    return create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "TESTING": True})


@pytest.fixture
def client(app: flask.Flask) -> FlaskClient:
    return app.test_client()
