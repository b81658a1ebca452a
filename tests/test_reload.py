"""Live reload: valid edits are served, broken ones never replace what was served."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from flask import Flask

from api import create_app
from api.store import EXTENSION, ArtifactStore
from tests.conftest import ROOT

BRIEF = "briefs/sochi-summit-2021.md"
SOCHI = "/v1/briefs/sochi-summit-2021"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def _store(app: Flask) -> ArtifactStore:
    return app.extensions[EXTENSION]  # type: ignore[no-any-return]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_valid_edit_is_served_after_reload(content: Path) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content)})
    client = app.test_client()
    before = client.get(SOCHI)
    _edit(content / BRIEF, "language: en", "language: en\nrevision: 2")
    assert _store(app).reload()
    after = client.get(SOCHI)
    assert after.get_json()["revision"] == 2
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["X-Content-Version"] != before.headers["X-Content-Version"]
    assert client.get("/v1").get_json()["content_version"] == after.headers["X-Content-Version"]
    assert not _store(app).reload(), "nothing changed since"


def test_a_brief_that_breaks_keeps_its_last_valid_version(content: Path) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content)})
    client = app.test_client()
    before = client.get(SOCHI)
    _edit(content / BRIEF, "::: {.factor", "::: {.factors")
    assert _store(app).reload()
    after = client.get(SOCHI)
    assert after.status_code == 200 and after.headers["ETag"] == before.headers["ETag"]
    ready = client.get("/readyz").get_json()
    assert ready["stale_briefs"] == ["sochi-summit-2021"]
    assert any("unknown block type 'factors'" in e["message"] and e["line"] > 1 for e in ready["content_errors"])


def test_a_new_broken_brief_is_not_served_and_a_removed_one_is_gone(content: Path) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content)})
    client = app.test_client()
    (content / "briefs" / "new.md").write_text("---\nid: new\ntitle: New\npublished: 2024-01-01\n---\n\n# Bad\n")
    assert _store(app).reload()
    assert client.get("/v1/briefs/new").status_code == 404
    assert any(e["path"].endswith("new.md") for e in client.get("/readyz").get_json()["content_errors"])
    (content / BRIEF).unlink()
    assert _store(app).reload()
    assert client.get(SOCHI).status_code == 404


def test_a_content_directory_that_vanishes_keeps_the_last_build_served(content: Path) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content)})
    client = app.test_client()
    before = client.get(SOCHI)
    content.rename(content.with_name("unmounted"))
    assert not _store(app).reload()
    assert client.get(SOCHI).headers["ETag"] == before.headers["ETag"]
    ready = client.get("/readyz")
    assert ready.status_code == 200  # it still serves: the last build
    problems = ready.get_json()["artifact_problems"]
    assert len(problems) == 1 and f"{content}: content directory not found" in problems[0]
    content.with_name("unmounted").rename(content)
    _store(app).reload()
    assert client.get("/readyz").get_json()["artifact_problems"] == []


def test_the_watcher_picks_up_edits_by_itself(content: Path) -> None:
    app = create_app({"BRIEFS_CONTENT_DIR": str(content), "BRIEFS_RELOAD_INTERVAL": 0.05})
    client = app.test_client()
    version = client.get("/v1").get_json()["content_version"]
    _edit(content / BRIEF, 'title: "', 'title: "Edited: ')
    deadline = time.monotonic() + 5
    while client.get("/v1").get_json()["content_version"] == version:
        assert time.monotonic() < deadline, "the edit was not picked up within 5 s"
        time.sleep(0.05)
    assert client.get(SOCHI).get_json()["title"].startswith("Edited: ")


def test_booting_with_broken_content_serves_the_rest(content: Path) -> None:
    (content / "briefs" / "broken.md").write_bytes(b"---\nid: broken\n\xff\xfe\n---\n")
    (content / "briefs" / "empty.md").write_bytes(b"")
    client = create_app({"BRIEFS_CONTENT_DIR": str(content)}).test_client()
    assert client.get(SOCHI).status_code == 200
    errors = client.get("/readyz").get_json()["content_errors"]
    assert {Path(e["path"]).name for e in errors} == {"broken.md", "empty.md"}
