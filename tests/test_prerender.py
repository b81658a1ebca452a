"""Stored responses are exactly what the views answer: the same status, body, headers and ETag."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from api import create_app
from api.store import EXTENSION
from briefs.reader import Artifact
from tests.conftest import ROOT

CONTENT_DIRS = [ROOT / "content", ROOT / "tests" / "fixtures" / "unseen"]


@pytest.mark.parametrize("content_dir", CONTENT_DIRS, ids=lambda p: p.name)
def test_every_stored_response_is_what_the_view_answers(content_dir: object, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content_dir)})
    path = app.extensions[EXTENSION].path
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        keys = [key for (key,) in conn.execute("SELECT key FROM responses ORDER BY key")]
    stored = {key: app.test_client().get(key) for key in keys}
    monkeypatch.setattr(Artifact, "response", lambda self, key: None)
    fresh = create_app({"BRIEFS_CONTENT_DIR": str(content_dir)}).test_client()
    assert len(keys) > 20
    for key in keys:
        expected = fresh.get(key)
        answer = stored[key]
        assert (answer.status_code, answer.data) == (expected.status_code, expected.data), key
        for header in ("ETag", "Content-Type", "Link", "Cache-Control"):
            assert answer.headers.get(header) == expected.headers.get(header), (key, header)
