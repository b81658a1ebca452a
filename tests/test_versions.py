"""Versions over a scripted git history: numbers, diffs, permalinks that never break, the feed, withdrawal."""

from __future__ import annotations

import base64
import shutil
import time
from pathlib import Path
from typing import Any

import pygit2
import pytest
from flask.testing import FlaskClient

from api import create_app
from api.store import EXTENSION
from tests.conftest import ROOT

BRIEF = "sochi-summit-2021"
FILE = f"content/briefs/{BRIEF}.md"
SIGNATURE = pygit2.Signature("Editor", "editor@example.org", 1638180000, 0)


class Repo:
    """A throwaway content repository, committed to with pygit2 (the library the build reads it with)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.repo = pygit2.init_repository(str(root), initial_head="main")
        shutil.copytree(ROOT / "content", root / "content")
        self.clock = 0

    @property
    def brief(self) -> Path:
        return self.root / FILE

    def edit(self, old: str, new: str) -> None:
        text = self.brief.read_text(encoding="utf-8")
        assert old in text, old
        self.brief.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str) -> str:
        index = self.repo.index
        index.add_all()
        index.write()
        tree = index.write_tree()
        parents = [] if self.repo.head_is_unborn else [self.repo.head.target]
        self.clock += 60
        signature = pygit2.Signature("Editor", "editor@example.org", 1638180000 + self.clock, 0)
        return str(self.repo.create_commit("HEAD", signature, signature, message, tree, parents))


def _reload(client: FlaskClient) -> None:
    store = client.application.extensions[EXTENSION]
    # A commit that leaves a file's size and time as they were is noticed by HEAD alone.
    assert store.reload() or store.last_build is not None


def _json(client: FlaskClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, (path, response.get_data(as_text=True))
    return response.get_json()


@pytest.fixture
def history(tmp_path: Path) -> tuple[Repo, FlaskClient]:
    repo = Repo(tmp_path / "repo")
    repo.commit("Publish the Sochi brief")
    client = create_app({"BRIEFS_CONTENT_DIR": str(repo.root / "content")}).test_client()
    return repo, client


def test_a_scripted_history_gives_versions_diffs_permalinks_and_a_feed(history: tuple[Repo, FlaskClient]) -> None:
    repo, client = history
    versions_path = f"/v1/briefs/{BRIEF}/versions"
    permalinks: dict[str, bytes] = {}

    def remember() -> None:
        # Every permalink handed out now must give the same bytes after every later commit.
        for mention in _json(client, "/v1/actors/vladimir-putin/mentions?per_page=100")["items"]:
            link = mention["citation"]["permalink"]
            if link is not None:
                permalinks.setdefault(link, client.get(link).data)
        for version in _json(client, f"{versions_path}?per_page=100")["items"]:
            permalinks.setdefault(version["url"], client.get(version["url"]).data)

    def step(message: str) -> dict[str, Any]:
        repo.commit(message)
        _reload(client)
        remember()
        return _json(client, versions_path)

    assert _json(client, f"/v1/briefs/{BRIEF}")["version"] == 1
    remember()
    feed = _json(client, "/v1/changes")
    assert [(i["brief_id"], i["version"], i["change"]) for i in feed["items"]] == [(BRIEF, 1, "created")]
    cursor = feed["next_since"]

    # 2: a factor's text changes.
    repo.edit("offered an essential return", "offered a welcome return")
    after = step("Reword the first factor")
    assert after["items"][0]["version"] == 2 and after["items"][0]["changes"]["changed"] == 1
    diff = _json(client, f"{versions_path}/2/changes")
    changed = [e for e in diff["elements"] if e["change"] == "changed"]
    assert [e["id"] for e in changed] == ["return-to-diplomacy"]
    ops = {(op["op"], op["text"].strip()) for op in changed[0]["text"]}
    assert ("delete", "an essential") in ops and ("insert", "a welcome") in ops

    # 3: a scenario is removed.
    start = repo.brief.read_text(encoding="utf-8").index("::: {.scenario #trade-transport-working-group")
    end = repo.brief.read_text(encoding="utf-8").index(":::\n", start + 10) + 4
    repo.edit(repo.brief.read_text(encoding="utf-8")[start:end], "")
    step("Drop a scenario")
    diff = _json(client, f"{versions_path}/3/changes")
    assert {(e["id"], e["change"]) for e in diff["elements"]} >= {("trade-transport-working-group", "removed")}

    # 4: an element is added and one moved (the third factor now comes first).
    text = repo.brief.read_text(encoding="utf-8")
    third_start = text.index("::: {.factor #no-document-signed")
    third = text[third_start : text.index(":::\n", third_start + 10) + 4]
    text = text.replace(third, "")
    first = text.index("::: {.factor #return-to-diplomacy")
    added = '::: {.factor #new-factor title="A new factor"}\n\nSomething new.\n\n:::\n\n'
    repo.brief.write_text(text[:first] + third + "\n" + added + text[first:], encoding="utf-8")
    step("Add a factor, move another")
    diff = _json(client, f"{versions_path}/4/changes")
    kinds = {e["id"]: e["change"] for e in diff["elements"]}
    assert kinds["new-factor"] == "added"
    assert "moved" in kinds.values()

    # 5: front matter changes.
    repo.edit("language: en", "language: en\nrevision: 2")
    step("Second revision")
    diff = _json(client, f"{versions_path}/5/changes")
    assert {"field": "revision", "old": 1, "new": 2} in diff["front_matter"]
    assert _json(client, f"{versions_path}/5")["revision"] == 2

    # A commit that breaks the brief is not a version; the one that fixes it is.
    repo.edit("::: {.factor #new-factor", "::: {.factors #new-factor")
    broken = step("Break it")
    assert broken["pagination"]["total"] == 5
    repo.edit("::: {.factors #new-factor", "::: {.factor #new-factor")
    fixed = step("Fix it")
    assert fixed["pagination"]["total"] == 6 and fixed["items"][0]["note"] == "Fix it"

    # Diffing against an earlier version, and bad version numbers.
    assert _json(client, f"{versions_path}/6/changes?from=1")["from_version"] == 1
    assert client.get(f"{versions_path}/6/changes?from=6").status_code == 422
    for bad in ("0", "-1", "abc"):
        assert client.get(f"{versions_path}/{bad}").status_code == 422, bad
    assert client.get(f"{versions_path}/99").status_code == 404

    # The feed, polled from the last cursor: every later change exactly once, in order.
    polled = _json(client, f"/v1/changes?since={cursor}")
    assert [(i["version"], i["change"]) for i in polled["items"]] == [(n, "updated") for n in range(2, 7)]
    assert _json(client, f"/v1/changes?since={polled['next_since']}")["items"] == []

    # The brief is deleted: 410, its versions stay readable, the feed says so.
    repo.brief.unlink()
    step("Withdraw the brief")
    gone = client.get(f"/v1/briefs/{BRIEF}")
    assert gone.status_code == 410 and f"{versions_path}/6" in gone.get_json()["detail"]
    last = _json(client, f"/v1/changes?since={polled['next_since']}")["items"]
    assert [(i["version"], i["change"]) for i in last] == [(6, "withdrawn")]

    # After all those commits, every permalink handed out still gives the same bytes.
    assert len(permalinks) > 10
    for link, body in permalinks.items():
        assert client.get(link).data == body, link


def test_uncommitted_edits_are_served_with_no_version(history: tuple[Repo, FlaskClient]) -> None:
    repo, client = history
    repo.edit("offered an essential return", "offered a welcome return")
    _reload(client)
    brief = _json(client, f"/v1/briefs/{BRIEF}")
    assert brief["version"] is None
    citation = _json(client, "/v1/actors/vladimir-putin/mentions")["items"][0]["citation"]
    assert citation["version"] is None and citation["permalink"] is None
    # Committing the very same bytes makes them version 2, though no file changed.
    time.sleep(0.01)
    repo.commit("Reword")
    _reload(client)
    assert _json(client, f"/v1/briefs/{BRIEF}")["version"] == 2


def test_a_rewritten_history_answers_old_cursors_with_410(history: tuple[Repo, FlaskClient]) -> None:
    repo, client = history
    cursor = _json(client, "/v1/changes")["next_since"]
    # Rewrite history: a new root commit, as a force-push would leave it.
    repo.repo.set_head("refs/heads/other")
    tree = repo.repo.index.write_tree()
    signature = pygit2.Signature("Other", "other@example.org", 1700000000, 0)
    repo.repo.create_commit("refs/heads/other", signature, signature, "Another history", tree, [])
    _reload(client)
    answer = client.get(f"/v1/changes?since={cursor}")
    assert answer.status_code == 410 and "resync" in answer.get_json()["detail"]
    assert client.get("/v1/changes?since=not-a-cursor").status_code == 422


def test_content_outside_git_has_no_versions(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    client = create_app({"BRIEFS_CONTENT_DIR": str(tmp_path / "content")}).test_client()
    assert _json(client, f"/v1/briefs/{BRIEF}")["version"] is None
    assert _json(client, f"/v1/briefs/{BRIEF}/versions")["items"] == []
    assert _json(client, "/readyz")["history"]["state"] == "none"


def test_a_shallow_clone_serves_no_version_numbers_and_says_why(
    history: tuple[Repo, FlaskClient], tmp_path: Path
) -> None:
    repo, _ = history
    repo.edit("offered an essential return", "offered a welcome return")
    repo.commit("Second")
    # libgit2 cannot make a shallow clone: mark the repository shallow as git does, in .git/shallow.
    (repo.root / ".git" / "shallow").write_text(str(repo.repo.head.target) + "\n")
    client = create_app({"BRIEFS_CONTENT_DIR": str(repo.root / "content")}).test_client()
    ready = _json(client, "/readyz")["history"]
    assert ready["state"] == "shallow" and "full clone" in ready["detail"]
    assert _json(client, f"/v1/briefs/{BRIEF}")["version"] is None
    assert _json(client, f"/v1/briefs/{BRIEF}/versions")["items"] == []


def test_the_projects_own_history_gives_the_seed_brief_versions(client: FlaskClient) -> None:
    ready = _json(client, "/readyz")["history"]
    if ready["state"] == "shallow":  # a CI that clones shallow: the build says so instead
        assert "full clone" in ready["detail"]
        return
    versions = _json(client, f"/v1/briefs/{BRIEF}/versions")["items"]
    assert ready["state"] == "git" and versions, ready
    assert versions[-1]["version"] == 1 and versions[-1]["changes"]["added"] > 0


def test_numbers_past_sqlite_integers_are_not_found_or_rejected(client: FlaskClient) -> None:
    huge = "287166101262783536945560551424"  # found by schemathesis: it was a 500
    assert client.get(f"/v1/briefs/{BRIEF}/versions/{huge}").status_code == 404
    assert client.get(f"/v1/briefs/{BRIEF}/versions/{huge}/changes").status_code == 404
    cursor = base64.urlsafe_b64encode(f"{huge}:abc".encode()).decode()
    assert client.get(f"/v1/changes?since={cursor}").status_code == 422
