"""``briefs build``: what an incremental build parses again, what it keeps, and what it never breaks."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from api.prerender import RENDERER
from briefs import build, sources
from briefs.build import BuildReport, Renderer, build_artifact
from briefs.model import Brief
from briefs.reader import Artifact, ArtifactError, ArtifactWatch, FileIdentity
from briefs.search import SearchFilters
from tests.conftest import ROOT

SEED = "sochi-summit-2021"
PUTIN_MENTIONS = 3
"""Mentions of Vladimir Putin in the seed brief."""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    seed = (tmp_path / "content" / "briefs" / f"{SEED}.md").read_text(encoding="utf-8")
    for number in (1, 2):
        copy = seed.replace(f"id: {SEED}", f"id: copy-{number}").replace(
            "published: 2021-11-29", f"published: 2022-0{number}-01"
        )
        (tmp_path / "content" / "briefs" / f"copy-{number}.md").write_text(copy, encoding="utf-8")
    return tmp_path / "content"


class Counting:
    """A renderer that records which briefs it rendered."""

    def __init__(self) -> None:
        self.rendered: list[str] = []

    def renderer(self) -> Renderer:
        def brief(b: Brief, latest: int | None) -> list:  # type: ignore[type-arg]
            self.rendered.append(b.id)
            return RENDERER.brief(b, latest)

        return Renderer(brief=brief, shared=RENDERER.shared)


def _build(content: Path, output: Path, counting: Counting | None = None) -> BuildReport:
    return build_artifact(content, output, renderer=(counting or Counting()).renderer())


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _watched(content: Path, tmp_path: Path) -> tuple[Path, ArtifactWatch]:
    """An artifact built from ``content``, and a watch over it as a server has."""
    output = tmp_path / "out.sqlite"
    _build(content, output)
    return output, ArtifactWatch(str(output))


def _aged(content: Path) -> None:
    """Every content file last modified long ago (a build trusts the stat of such a file)."""
    long_ago = 1_600_000_000
    for path in content.rglob("*.*"):
        os.utime(path, (long_ago, long_ago))


def _built_aged(content: Path, tmp_path: Path) -> Path:
    """An artifact built from ``content`` whose files were all last modified long ago (:func:`_aged`)."""
    _aged(content)
    output = tmp_path / "out.sqlite"
    _build(content, output)
    return output


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the content files read from now on, in order."""
    read: list[str] = []
    original = sources._read
    monkeypatch.setattr(sources, "_read", lambda path, name, shown: read.append(name) or original(path, name, shown))
    return read


def _body(output: Path, key: str) -> bytes:
    stored = Artifact(str(output)).response(key)
    assert stored is not None, key
    return stored.body


def test_a_cold_build_parses_everything_and_a_second_finds_it_up_to_date(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    first = _build(content, output)
    assert (first.parsed, first.reused, first.briefs, first.written) == (3, 0, 3, True)
    again = _build(content, output)
    assert not again.written and again.version == first.version


def test_a_changed_brief_is_the_only_one_parsed_and_rendered(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    counting = Counting()
    report = _build(content, output, counting)
    assert (report.parsed, report.reused, report.removed) == (1, 2, 0)
    assert counting.rendered == ["copy-1"]
    assert b'"title":"Edited: ' in _body(output, "/v1/briefs/copy-1")
    assert b"Edited: " in _body(output, "/v1/briefs")  # the first page of the list is rendered again


def test_an_entity_change_rechecks_every_brief_but_renders_only_those_it_changes(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    before = _body(output, f"/v1/briefs/{SEED}")
    # A new actor changes no brief; renaming an existing one changes no brief's JSON either (mentions hold ids).
    with (content / "entities" / "actors.yaml").open("a", encoding="utf-8") as file:
        file.write("\n  - id: new-actor\n    name: New Actor\n    kind: person\n")
    counting = Counting()
    report = _build(content, output, counting)
    assert report.parsed == 3 and counting.rendered == []
    assert _body(output, f"/v1/briefs/{SEED}") == before
    assert Artifact(str(output)).actors["new-actor"].mention_count == 0


def test_an_entity_removed_makes_its_mentions_dangle(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    _edit(content / "entities" / "actors.yaml", "id: vladimir-putin", "id: vladimir-putin-renamed")
    report = _build(content, output)
    assert report.parsed == 3
    assert any("vladimir-putin" in e.message for e in report.errors)
    assert set(report.stale) == {SEED, "copy-1", "copy-2"}  # broken now: the last valid versions stay served


def test_an_added_file_is_parsed_and_a_removed_one_is_gone(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    seed = (content / "briefs" / f"{SEED}.md").read_text(encoding="utf-8")
    (content / "briefs" / "added.md").write_text(seed.replace(f"id: {SEED}", "id: added"), encoding="utf-8")
    (content / "briefs" / "copy-2.md").unlink()
    report = _build(content, output)
    assert (report.parsed, report.reused, report.removed, report.briefs) == (1, 2, 1, 3)
    artifact = Artifact(str(output))
    assert artifact.brief("added") is not None and artifact.brief("copy-2") is None
    assert artifact.response("/v1/briefs/copy-2") is None
    assert artifact.search.search("Sochi", filters=SearchFilters(frozenset({"brief"}))).total == 3


def test_a_broken_edit_keeps_the_last_valid_brief(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    before = _body(output, "/v1/briefs/copy-1")
    _edit(content / "briefs" / "copy-1.md", "::: {.factor", "::: {.factors")
    report = _build(content, output)
    assert report.stale == ("copy-1",) and any("factors" in e.message for e in report.errors)
    assert _body(output, "/v1/briefs/copy-1") == before
    _edit(content / "briefs" / "copy-1.md", "::: {.factors", "::: {.factor")
    fixed = _build(content, output)
    assert fixed.stale == () and fixed.errors == ()


def test_two_cold_builds_of_the_same_content_are_byte_identical(content: Path, tmp_path: Path) -> None:
    _build(content, tmp_path / "one.sqlite")
    _build(content, tmp_path / "two.sqlite")
    assert (tmp_path / "one.sqlite").read_bytes() == (tmp_path / "two.sqlite").read_bytes()


def test_an_incremental_build_serves_what_a_cold_build_serves(content: Path, tmp_path: Path) -> None:
    _build(content, tmp_path / "incremental.sqlite")
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    _build(content, tmp_path / "incremental.sqlite")
    _build(content, tmp_path / "cold.sqlite")
    tables = {}
    for name in ("incremental", "cold"):
        with closing(sqlite3.connect(tmp_path / f"{name}.sqlite")) as conn:
            tables[name] = (
                sorted(conn.execute("SELECT key, etag, body FROM responses")),
                sorted(conn.execute("SELECT * FROM elements")),
                sorted(conn.execute("SELECT * FROM mentions")),
                sorted(conn.execute("SELECT * FROM entity_counts")),
            )
    assert tables["incremental"] == tables["cold"]


def test_entity_counts_follow_edits_additions_and_removals(content: Path, tmp_path: Path) -> None:
    """Each build adjusts the counts by what the briefs it replaces mention: the totals are a recount's."""
    output = tmp_path / "incremental.sqlite"
    _build(content, output)
    _edit(content / "briefs" / "copy-1.md", "[Vladimir Putin]{.actor ref=vladimir-putin}", "Vladimir Putin")
    (content / "briefs" / "copy-2.md").unlink()
    seed = (content / "briefs" / f"{SEED}.md").read_text(encoding="utf-8")
    (content / "briefs" / "copy-3.md").write_text(seed.replace(f"id: {SEED}", "id: copy-3"), encoding="utf-8")
    _build(content, output)
    with closing(sqlite3.connect(output)) as conn:
        counts = sorted(conn.execute("SELECT * FROM entity_counts"))
        recount = sorted(
            conn.execute(
                "SELECT entity_id, (SELECT count(*) FROM mentions m WHERE m.entity_id = r.entity_id), count(*) "
                "FROM brief_refs r GROUP BY entity_id"
            )
        )
    assert counts == recount
    assert ("vladimir-putin", 3 * PUTIN_MENTIONS - 1, 3) in counts  # the seed, copy-1 (one less) and copy-3


def test_an_incremental_build_searches_as_a_cold_build_does(content: Path, tmp_path: Path) -> None:
    _build(content, tmp_path / "incremental.sqlite")
    _edit(content / "briefs" / "copy-1.md", "mini-summit", "Zanzibar summit")  # words gone, a word new
    (content / "briefs" / "copy-2.md").unlink()
    _build(content, tmp_path / "incremental.sqlite")
    _build(content, tmp_path / "cold.sqlite")
    tables = {}
    for name in ("incremental", "cold"):
        with closing(sqlite3.connect(tmp_path / f"{name}.sqlite")) as conn:
            # Rows are numbered differently; what they hold must not differ.
            tables[name] = tuple(
                list(conn.execute(sql))
                for sql in (
                    "SELECT term, doc FROM words_vocab ORDER BY term",
                    "SELECT brief_id, published, position, doc % 6 FROM doc_facets ORDER BY 1, 2, 3, 4",
                    "SELECT f.brief_id, f.position, f.doc % 6, r.kind, r.entity_id, r.start, r.end "
                    "FROM doc_refs r JOIN doc_facets f USING (doc) ORDER BY 1, 2, 3, 4, 5",
                    "SELECT f.brief_id, f.position, f.doc % 6, k.kind, k.entity_id, y.year FROM doc_facets f "
                    "JOIN doc_years y USING (doc) LEFT JOIN (SELECT doc, key FROM doc_actors UNION ALL "
                    "SELECT doc, key FROM doc_events) USING (doc) LEFT JOIN ref_keys k USING (key) "
                    "ORDER BY 1, 2, 3, 4, 5",
                )
            )
            # The actor bits name the same actors as the pairs (keys may be numbered differently).
            names = dict(conn.execute("SELECT key, entity_id FROM ref_keys WHERE kind = 'actor'"))
            bits = conn.execute(
                "SELECT f.brief_id, f.position, f.doc % 6, b.bits, group_concat(a.key) FROM doc_facets f "
                "JOIN doc_actor_bits b USING (doc) JOIN doc_actors a USING (doc) GROUP BY f.doc"
            )
            decoded = []
            for brief_id, position, kind, mask, keys in bits:
                assert mask == sum(1 << int(key) for key in keys.split(","))
                decoded.append((brief_id, position, kind, sorted(names[k] for k in names if mask >> k & 1)))
            tables[name] += (sorted(decoded, key=repr),)
    assert tables["incremental"] == tables["cold"]
    assert tables["cold"][-1] and all(row[3] for row in tables["cold"][-1])
    assert ("zanzibar", 1) in tables["cold"][0] and ("sochi", 2) in tables["cold"][0]  # copy-2 is gone
    searches = {name: Artifact(str(tmp_path / f"{name}.sqlite")).search for name in ("incremental", "cold")}
    for q in ("Zanzibar", "Sochi summit", "Zanzibr summit", "Russia"):
        results = [searches[name].search(q, limit=50) for name in ("incremental", "cold")]
        # Ties may rank in another order: rows are numbered differently.
        found = [(r.total, sorted(map(repr, r.hits)), r.suggestion) for r in results]
        assert found[0] == found[1] and (found[0][0] > 0 or found[0][2] is not None), q


def test_many_briefs_build_in_parallel_to_the_same_bytes(tmp_path: Path) -> None:
    content = tmp_path / "many"
    shutil.copytree(ROOT / "content" / "entities", content / "entities")
    seed = (ROOT / "content" / "briefs" / f"{SEED}.md").read_text(encoding="utf-8")
    (content / "briefs").mkdir()
    for number in range(70):  # above PARALLEL_FROM
        (content / "briefs" / f"b-{number:02}.md").write_text(seed.replace(f"id: {SEED}", f"id: b-{number:02}"))
    parallel = build_artifact(content, tmp_path / "parallel.sqlite", renderer=RENDERER, jobs=2)
    serial = build_artifact(content, tmp_path / "serial.sqlite", renderer=RENDERER, jobs=1)
    assert parallel.briefs == serial.briefs == 70
    assert (tmp_path / "parallel.sqlite").read_bytes() == (tmp_path / "serial.sqlite").read_bytes()


def test_a_failed_build_leaves_the_artifact_as_it_was(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    before = output.read_bytes()
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')

    def failing(_path: str, _connection: sqlite3.Connection) -> list:  # type: ignore[type-arg]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        build_artifact(content, output, renderer=Renderer(brief=RENDERER.brief, shared=failing))
    assert output.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("damage", ["garbled", "truncated", "empty"])
def test_a_corrupt_artifact_is_rebuilt_from_scratch(content: Path, tmp_path: Path, damage: str) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    data = output.read_bytes()
    damaged = {"garbled": data[:16] + b"not a database at all" * 100, "truncated": data[: len(data) // 3], "empty": b""}
    output.write_bytes(damaged[damage])
    report = _build(content, output)
    assert report.written and not report.incremental and report.briefs == 3


@pytest.mark.parametrize("kind", ["text", "database"])
def test_a_build_never_replaces_a_file_that_is_not_an_artifact(content: Path, tmp_path: Path, kind: str) -> None:
    # An --output that names the wrong file (a README, another program's database) is left as it was.
    output = tmp_path / ("notes.md" if kind == "text" else "other.db")
    if kind == "text":
        output.write_text("# Notes\n", encoding="utf-8")
    else:
        with closing(sqlite3.connect(output)) as conn:
            conn.execute("CREATE TABLE readings(value)")
            conn.commit()
    before = output.read_bytes()
    with pytest.raises(build.BuildRefused, match=f"{output} is not a briefs artifact"):
        _build(content, output)
    assert output.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_directory_as_output_is_refused(content: Path, tmp_path: Path) -> None:
    with pytest.raises(build.BuildRefused, match=f"{tmp_path} is a directory; give the artifact's file, such as"):
        _build(content, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content"]


def test_a_vanished_content_directory_leaves_the_artifact_as_it_was(content: Path, tmp_path: Path) -> None:
    # A typo or an unmounted volume is not an edit that removes every brief.
    output = tmp_path / "out.sqlite"
    _build(content, output)
    before = output.read_bytes()
    content.rename(tmp_path / "moved")
    with pytest.raises(build.BuildRefused, match=f"{content}: content directory not found; .* keeps its last build"):
        _build(content, output)
    assert output.read_bytes() == before
    assert Artifact(str(output)).brief_count == 3


def test_a_truncated_or_foreign_file_is_refused_and_the_watch_keeps_the_last_good(
    content: Path, tmp_path: Path
) -> None:
    output, watch = _watched(content, tmp_path)
    good = watch.current()
    data = output.read_bytes()
    for bad in (data[: len(data) // 2], b"SQLite format 3\x00" + b"\x00" * 200, b""):
        replacement = tmp_path / "replacement"
        replacement.write_bytes(bad)
        replacement.replace(output)
        with pytest.raises(ArtifactError):
            Artifact(str(output))
        assert watch.current() is good
        assert watch.problem and str(output) in watch.problem
    (tmp_path / "replacement").write_bytes(data)
    (tmp_path / "replacement").replace(output)
    assert watch.current() is not good and watch.problem is None


def test_two_builders_at_once_corrupt_nothing(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    reports: list[BuildReport] = []
    threads = [threading.Thread(target=lambda: reports.append(_build(content, output))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(reports) == 3 and sum(r.written for r in reports) == 1
    assert Artifact(str(output)).brief_count == 3


def test_an_artifact_built_by_other_code_is_rebuilt_from_scratch(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    build_artifact(content, output, renderer=RENDERER)
    upgraded = Renderer(brief=RENDERER.brief, shared=RENDERER.shared, fingerprint="other code")
    report = build_artifact(content, output, renderer=upgraded)
    assert report.written and not report.incremental and report.parsed == 3


def _title(reader: Artifact, brief_id: str) -> str:
    """The title as the stored response says (not through the reader's cache of unpickled briefs)."""
    stored = reader.response(f"/v1/briefs/{brief_id}")
    assert stored is not None
    title: str = json.loads(stored.body)["title"]
    return title


def test_an_incremental_build_commits_in_place_while_a_request_keeps_reading_its_build(
    content: Path, tmp_path: Path
) -> None:
    output = tmp_path / "out.sqlite"
    _build(content, output)
    inode = output.stat().st_ino
    watch = ArtifactWatch(str(output))
    reading = watch.pinned()  # a request under way
    old_title = _title(reading, "copy-1")
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    report = _build(content, output)
    assert report.incremental and output.stat().st_ino == inode  # the same file: nothing was copied
    # The request reads the build it began with to its end; an object opened on the old build knows it is old.
    assert _title(reading, "copy-1") == old_title
    reading.release()
    assert not reading.pin()
    # The next request reads the new build.
    newer = watch.pinned()
    assert newer is not reading and newer.version == report.version
    assert _title(newer, "copy-1").startswith("Edited: ")
    newer.release()


def test_a_build_from_scratch_over_a_log_with_pages_serves_the_new_file(content: Path, tmp_path: Path) -> None:
    output = tmp_path / "out.sqlite"
    log = tmp_path / "out.sqlite-wal"
    _build(content, output)
    reading = ArtifactWatch(str(output)).pinned()  # keeps the commit below from being copied into the file
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    _build(content, output)
    reading.release()
    assert log.stat().st_size > 0
    _edit(content / "briefs" / "copy-2.md", 'title: "', 'title: "Edited too: ')
    upgraded = Renderer(brief=RENDERER.brief, shared=RENDERER.shared, fingerprint="other code")
    report = build_artifact(content, output, renderer=upgraded)
    assert report.written and not report.incremental
    assert not log.exists() or log.stat().st_size == 0  # no page of the old file is left to apply to the new one
    fresh = Artifact(str(output))
    assert _title(fresh, "copy-1").startswith("Edited: ") and _title(fresh, "copy-2").startswith("Edited too: ")
    with closing(sqlite3.connect(output)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_readers_that_keep_the_log_busy_fail_a_build_from_scratch_and_it_replaces_nothing(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output, watch = _watched(content, tmp_path)
    reading = watch.pinned()
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    _build(content, output)
    monkeypatch.setattr(build, "LOCK_TIMEOUT_S", 0.2)
    upgraded = Renderer(brief=RENDERER.brief, shared=RENDERER.shared, fingerprint="other code")
    with pytest.raises(sqlite3.OperationalError, match="readers kept its write-ahead log busy"):
        build_artifact(content, output, renderer=upgraded)
    # The file and its log are as the incremental build left them: the request still reads its build.
    assert not _title(reading, "copy-1").startswith("Edited: ")
    reading.release()
    assert _title(watch.pinned(), "copy-1").startswith("Edited: ")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_an_artifact_where_the_reader_cannot_write_is_read_without_a_log(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A shipped artifact on a read-only filesystem: SQLite could not create the log's index beside it.
    output = tmp_path / "shipped" / "out.sqlite"
    _build(content, output)
    before = sorted(p.name for p in output.parent.iterdir())
    monkeypatch.setattr("briefs.reader.os.access", lambda path, mode: mode != os.W_OK)
    reader = ArtifactWatch(str(output)).pinned()
    assert reader.brief_count == 3 and _title(reader, "copy-1")
    reader.release()
    assert sorted(p.name for p in output.parent.iterdir()) == before  # no -wal, no -shm created


def test_a_reader_that_looked_during_the_commit_still_sees_the_file_change_after_it(
    content: Path, tmp_path: Path
) -> None:
    # The log's last write comes before SQLite publishes the commit, and a reader in a request keeps the
    # checkpoint from touching the file: only a change made after the commit tells such a reader to look again.
    output, watch = _watched(content, tmp_path)
    reading = watch.pinned()
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    looked = FileIdentity.of(str(output))
    _build(content, output)
    assert FileIdentity.of(str(output)) != looked
    reading.release()


def test_an_incremental_build_reads_only_the_files_whose_stat_changed(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _built_aged(content, tmp_path)
    read = _reads(monkeypatch)
    _edit(content / "briefs" / "copy-1.md", 'title: "', 'title: "Edited: ')
    report = _build(content, output)
    assert report.parsed == 1 and b'"title":"Edited: ' in _body(output, "/v1/briefs/copy-1")
    assert [name for name in read if name.startswith("briefs/")] == ["briefs/copy-1.md"]
    # A file changed moments before the build that recorded it is read again, whatever its stat says.
    read.clear()
    _edit(content / "briefs" / "copy-2.md", "Sochi", "Socha")  # the same size
    _build(content, output)
    assert "briefs/copy-1.md" in read and "briefs/copy-2.md" in read


@pytest.mark.parametrize("how", ["swapped", "in place"])
def test_a_file_rewritten_with_its_old_size_and_time_is_read_again(content: Path, tmp_path: Path, how: str) -> None:
    """As ``cp -p`` or ``rsync -a`` leave a copy (a new inode), or a tool that sets the old time back
    (a new change time): the same modification time and size, other bytes."""
    output = _built_aged(content, tmp_path)
    brief = content / "briefs" / "copy-1.md"
    stat = brief.stat()
    written = tmp_path / "swapped.md" if how == "swapped" else brief
    written.write_text(brief.read_text(encoding="utf-8").replace("Sochi", "Socha"), encoding="utf-8")
    os.utime(written, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    if how == "swapped":
        os.replace(written, brief)
    assert (brief.stat().st_size, brief.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    report = _build(content, output)
    assert report.parsed == 1 and b"Socha" in _body(output, "/v1/briefs/copy-1")


def test_a_copy_of_the_content_directory_with_its_times_kept_is_read_again(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _built_aged(content, tmp_path)
    other = tmp_path / "other"
    shutil.copytree(content, other, copy_function=shutil.copy2)  # the same names, times and sizes
    read = _reads(monkeypatch)
    report = _build(other, output)
    assert report.parsed == 0 and report.reused == 3  # found unchanged by their digests
    assert sorted(name for name in read if name.startswith("briefs/")) == [
        f"briefs/{n}.md" for n in ("copy-1", "copy-2", SEED)
    ]


def test_an_entity_change_reads_every_brief_again(content: Path, tmp_path: Path) -> None:
    output = _built_aged(content, tmp_path)
    actors = next((content / "entities").glob("actors.y*ml"))
    actors.write_text(actors.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = _build(content, output)
    assert report.parsed == 3 and report.errors == ()
