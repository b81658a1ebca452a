"""The ``briefs`` command: check content, build the artifact the server reads, dump a brief as the API
serves it, export the stored responses for nginx or a CDN."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from briefs.build import DEFAULT_CACHE_DIR, build_artifact, default_output
from briefs.loader import CONTENT_DIR_ENV, content_dir_from_env, load_corpus


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefs", description="Check and inspect Briefs API content.")
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content", metavar="DIR", default=None,
        help=f"content directory (default: ${CONTENT_DIR_ENV}, else ./content)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", parents=[content], help="report every content error as path:line: message")
    dump = commands.add_parser(
        "dump", parents=[content], help="print a brief as JSON, as GET /v1/briefs/{id} returns it"
    )
    dump.add_argument("brief_id", metavar="BRIEF_ID")
    build = commands.add_parser(
        "build", parents=[content],
        help="build the content into the artifact file the server reads (incremental when FILE exists)",
    )  # fmt: skip
    build.add_argument(
        "--output", metavar="FILE", default=None,
        help=f"artifact to write (default: a file per content directory under {DEFAULT_CACHE_DIR}/)",
    )  # fmt: skip
    build.add_argument("--jobs", metavar="N", type=int, default=None, help="parser processes (default: one per core)")
    build.add_argument("--strict", action="store_true", help="exit 1 when the content has errors, as check does")
    export = commands.add_parser(
        "export", parents=[content],
        help="write every stored response as files, with an nginx.conf that serves them and proxies the rest",
    )  # fmt: skip
    export.add_argument("directory", metavar="DIR", help="where the files and nginx.conf go")
    export.add_argument("--artifact", metavar="FILE", default=None,
                        help="export this built artifact (default: build the content directory first)")  # fmt: skip
    export.add_argument("--listen", metavar="HOST:PORT", default="127.0.0.1:8080",
                        help="where the exported nginx.conf listens (default 127.0.0.1:8080)")  # fmt: skip
    export.add_argument("--upstream", metavar="URL", default="http://127.0.0.1:8000",
                        help="the application, for the rest (default http://127.0.0.1:8000)")  # fmt: skip
    return parser


def check(content_dir: str) -> int:
    """Print every error and a one-line summary per valid brief; 1 if there are errors."""
    corpus = load_corpus(content_dir)
    for error in corpus.errors:
        print(error, file=sys.stderr)
    from schemas.briefs import brief_counts  # noqa: PLC0415 - only the summary needs the wire names

    for brief in corpus.briefs.values():
        counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in brief_counts(brief).items())
        print(f"{brief.source.path}: ok, {counts}, {brief.word_count} words")
    print(
        f"{len(corpus.briefs)} briefs, {len(corpus.entities.actors)} actors, "
        f"{len(corpus.entities.events)} events, {len(corpus.errors)} errors in {corpus.content_dir}"
    )
    return 1 if corpus.errors else 0


def dump(content_dir: str, brief_id: str) -> int:
    """Print one brief as JSON; 1 if it is not served."""
    from schemas.briefs import dump_brief  # noqa: PLC0415

    corpus = load_corpus(content_dir)
    brief = corpus.briefs.get(brief_id)
    if brief is None:
        for error in corpus.errors:
            print(error, file=sys.stderr)
        known = ", ".join(corpus.briefs) or "none"
        print(f"briefs: no valid brief '{brief_id}' in {corpus.content_dir} (valid: {known})", file=sys.stderr)
        return 1
    json.dump(dump_brief(brief), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def build(content_dir: str, output: str | None, jobs: int | None, *, strict: bool) -> int:
    """Build the artifact; print every content error and a summary. 1 if the build failed (or, with
    ``strict``, if the content has errors)."""
    from api.prerender import RENDERER  # noqa: PLC0415 - only build needs the wire format

    target = output or default_output(content_dir)
    try:
        report = build_artifact(content_dir, target, renderer=RENDERER, jobs=jobs)
    except (OSError, sqlite3.Error) as exc:
        print(f"briefs: the build failed, {target} is unchanged: {exc}", file=sys.stderr)
        return 1
    for error in report.errors:
        print(error, file=sys.stderr)
    for warning in report.warnings:
        print(f"{warning} [warning]", file=sys.stderr)
    if report.history:
        print(f"briefs: versions: {report.history}", file=sys.stderr)
    for brief_id in report.stale:
        print(f"briefs: {brief_id} is broken; the artifact keeps its last valid version", file=sys.stderr)
    done = (
        "up to date"
        if not report.written
        else f"{report.parsed} parsed, {report.reused} unchanged, {report.removed} removed"
    )
    print(
        f"{report.output}: {report.briefs} briefs ({done}), content version {report.version}, "
        f"{len(report.errors)} errors, {report.seconds:.2f} s"
    )
    return 1 if strict and report.errors else 0


def export(content_dir: str, artifact_path: str | None, directory: str, listen: str, upstream: str) -> int:
    """Export an artifact (built now from ``content_dir`` unless given) as files and nginx.conf; 1 on failure."""
    from api.export import export_artifact  # noqa: PLC0415 - only export needs the HTTP layer's headers
    from briefs.reader import Artifact, ArtifactError  # noqa: PLC0415

    if artifact_path is None:
        artifact_path = default_output(content_dir)
        if build(content_dir, artifact_path, None, strict=False) != 0:
            return 1
    try:
        artifact = Artifact(artifact_path)
        report = export_artifact(artifact, Path(directory), listen, upstream)
    except (ArtifactError, OSError, ValueError) as exc:
        print(f"briefs: the export failed: {exc}", file=sys.stderr)
        return 1
    print(
        f"{report.directory}: {len(report.paths)} responses of content version {report.version}; "
        f"run: nginx -p {report.directory.resolve()} -c nginx.conf (on {listen}, the rest proxied to {upstream})"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``briefs`` console script."""
    args = _parser().parse_args(argv)
    content_dir = content_dir_from_env(args.content)
    if args.command == "check":
        return check(content_dir)
    if args.command == "build":
        return build(content_dir, args.output, args.jobs, strict=args.strict)
    if args.command == "export":
        return export(content_dir, args.artifact, args.directory, args.listen, args.upstream)
    return dump(content_dir, args.brief_id)


if __name__ == "__main__":
    sys.exit(main())
