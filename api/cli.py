"""The ``briefs`` command: check content, build the artifact the server reads, dump a brief as the API
serves it, start a new one, export the stored responses for nginx or a CDN."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from api.progress import Progress
from api.reports import FORMATS, github_command, json_report, repository_root
from api.scaffold import ScaffoldError, write_brief
from briefs.build import DEFAULT_CACHE_DIR, BuildRefused, build_artifact, check_output, default_output
from briefs.loader import CONTENT_DIR_ENV, MISSING_DIR, Corpus, content_dir_from_env, load_corpus

EXAMPLES = """\
examples:
  briefs check                                   every error as path:line: message; exit 1 if any
  briefs check --format github                   the same errors as GitHub Actions annotations
  briefs dump sochi-summit-2021                  one brief as JSON, as the API serves it
  briefs new kars-talks --title "Talks in Kars"  a new brief from the template
  briefs build --output dist/briefs.sqlite       the artifact a server reads (BRIEFS_ARTIFACT)
  briefs export dist/site                        every stored response as files, with an nginx.conf
  BRIEFS_CONTENT_DIR=/srv/briefs briefs check    another content directory

'briefs COMMAND --help' tells more about each command.
"""

CHECK_EXAMPLES = """\
examples:
  briefs check --content content            text: errors on stderr, one ok line per brief on stdout
  briefs check --format json | jq -r '.[] | .message'
  briefs check --format github              in a GitHub Actions step: each error annotates its line

formats:
  text    path:line: message for each error (stderr), then an ok line per valid brief and a summary
  json    a JSON list of {path, line, message, severity}, and nothing else
  github  ::error file=...,line=...::message for each error, the file relative to the git
          repository of the content directory (else to the current directory), then the summary

The exit status is 1 if there is any error, whatever the format. When parsing
takes more than a second, its progress shows on stderr: a bar on a terminal,
a line every 10 seconds elsewhere, such as a CI log.
"""

DUMP_EXAMPLES = """\
examples:
  briefs dump sochi-summit-2021
  briefs dump sochi-summit-2021 | jq '.sections[].id'
"""

NEW_EXAMPLES = """\
examples:
  briefs new kars-talks --title "Talks in Kars"
  briefs new kars-talks --content /srv/briefs     writes /srv/briefs/briefs/kars-talks.md

The new brief passes 'briefs check' as written. YAML comments in its front
matter show every block type with its attributes; neither the API nor pandoc
shows them. An existing file is never overwritten.
"""

BUILD_EXAMPLES = """\
examples:
  briefs build                                      content/ into .cache/, as make serve does
  briefs build --strict --output dist/briefs.sqlite in CI: exit 1 on content errors, ship the file
  BRIEFS_ARTIFACT=dist/briefs.sqlite gunicorn --config gunicorn.conf.py 'api:create_app()'

When FILE exists, only the files whose bytes changed are parsed again, and the new
artifact replaces FILE by an atomic rename. Build from a full git clone: versions
come from the history. Progress shows on stderr: a bar on a terminal, a line every
10 seconds elsewhere.
"""

EXPORT_EXAMPLES = """\
examples:
  briefs export dist/site                               build content/, then write its responses
  briefs export dist/site --artifact dist/briefs.sqlite export a build made earlier (in CI)
  briefs export dist/site --listen 127.0.0.1:8080 --upstream http://127.0.0.1:8000
  nginx -p "$PWD/dist/site" -c nginx.conf               serve them; the rest goes to the upstream

Every single resource and first page is written with its gzip form beside it;
nginx.conf serves them with the application's headers, 304s included, and
proxies searches, filtered lists and anything else to the upstream. Progress
shows on stderr: a bar on a terminal, a line every 10 seconds elsewhere.
"""

CHECK_QUIET_FOR = 1.0
"""Seconds of parsing that show no progress at all: small content checks exactly as before."""


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="briefs", description="Check, inspect and start Briefs API content.", epilog=EXAMPLES, formatter_class=raw
    )
    content = argparse.ArgumentParser(add_help=False)
    content.add_argument(
        "--content", metavar="DIR", default=None,
        help=f"content directory (default: ${CONTENT_DIR_ENV}, else ./content)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", parents=[content], help="report every content error as path:line: message",
        description="Read the whole content directory and report every error.",
        epilog=CHECK_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    check.add_argument("--format", choices=FORMATS, default=FORMATS[0], help="how errors are written (default: text)")
    dump = commands.add_parser(
        "dump", parents=[content], help="print a brief as JSON, as GET /v1/briefs/{id} returns it",
        description="Print one valid brief as JSON, exactly as GET /v1/briefs/{brief_id} returns it.",
        epilog=DUMP_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    dump.add_argument("brief_id", metavar="BRIEF_ID", help="the id of a valid brief, such as sochi-summit-2021")
    new = commands.add_parser(
        "new", parents=[content], help="write briefs/BRIEF_ID.md from a template with every block type",
        description="Write <content>/briefs/BRIEF_ID.md from a template that shows every block type.",
        epilog=NEW_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    new.add_argument("brief_id", metavar="BRIEF_ID", help="the new brief's id, a slug such as kars-talks")
    new.add_argument("--title", help="its title (default: made from the id)")
    build = commands.add_parser(
        "build", parents=[content],
        help="build the content into the artifact file the server reads (incremental when FILE exists)",
        description="Build the content directory, and its git history, into the artifact file the server reads.",
        epilog=BUILD_EXAMPLES, formatter_class=raw,
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
        description="Write the stored responses of an artifact as files, with an nginx.conf for a CDN origin.",
        epilog=EXPORT_EXAMPLES, formatter_class=raw,
    )  # fmt: skip
    export.add_argument("directory", metavar="DIR", help="where the files and nginx.conf go")
    export.add_argument("--artifact", metavar="FILE", default=None,
                        help="export this built artifact (default: build the content directory first)")  # fmt: skip
    export.add_argument("--listen", metavar="HOST:PORT", default="127.0.0.1:8080",
                        help="where the exported nginx.conf listens (default 127.0.0.1:8080)")  # fmt: skip
    export.add_argument("--upstream", metavar="URL", default="http://127.0.0.1:8000",
                        help="the application, for the rest (default http://127.0.0.1:8000)")  # fmt: skip
    return parser


def check(content_dir: str, output_format: str = "text") -> int:
    """Report every error in ``output_format`` (see ``briefs check --help``); 1 if there are errors."""
    with Progress(None, "parsed", unit="briefs", quiet_for=CHECK_QUIET_FOR, transient=True) as progress:
        corpus = load_corpus(content_dir, on_parsed=progress.update)
    if output_format == "json":
        print(json_report(corpus.errors))
    elif output_format == "github":
        cwd = Path.cwd()
        root = repository_root(content_dir, cwd)
        for error in corpus.errors:
            print(github_command(error, root, cwd))
        print(_summary(corpus))
    else:
        _print_text(corpus)
    return 1 if corpus.errors else 0


def _print_text(corpus: Corpus) -> None:
    for error in corpus.errors:
        print(error, file=sys.stderr)
    from schemas.briefs import brief_counts  # noqa: PLC0415 - only the summary needs the wire names

    for brief in corpus.briefs.values():
        counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in brief_counts(brief).items())
        print(f"{brief.source.path}: ok, {counts}, {brief.word_count} words")
    print(_summary(corpus))


def _summary(corpus: Corpus) -> str:
    return (
        f"{len(corpus.briefs)} briefs, {len(corpus.entities.actors)} actors, "
        f"{len(corpus.entities.events)} events, {len(corpus.errors)} errors in {corpus.content_dir}"
    )


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
    """Build the artifact; print every content error and a summary. 1 if the build failed or there is no
    content directory (or, with ``strict``, if the content has errors)."""
    from api.prerender import RENDERER  # noqa: PLC0415 - only build needs the wire format

    target = output or default_output(content_dir)
    if not Path(content_dir).is_dir():
        # An artifact of nothing, written with success, would be shipped: a typo is not an empty corpus.
        print(f"briefs: {content_dir}: {MISSING_DIR}; nothing was built", file=sys.stderr)
        return 1
    try:
        check_output(Path(target))  # before the progress line starts
        with Progress(None, "parsed", unit="briefs", quiet_for=CHECK_QUIET_FOR) as progress:
            report = build_artifact(content_dir, target, renderer=RENDERER, jobs=jobs, progress=progress.update)
    except BuildRefused as exc:
        print(f"briefs: {exc}; nothing was built", file=sys.stderr)
        return 1
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


def new(content_dir: str, brief_id: str, title: str | None) -> int:
    """Write a new brief from the template; 1 if the id is not a slug or the file exists."""
    try:
        path = write_brief(content_dir, brief_id, title)
    except ScaffoldError as exc:
        print(f"briefs: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {path}; fill it in, then run: briefs check --content {content_dir}")
    return 0


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
        with Progress(None, "exported", unit="responses", quiet_for=CHECK_QUIET_FOR) as progress:
            report = export_artifact(artifact, Path(directory), listen, upstream, progress=progress.update)
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
    try:
        status = _run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # Whatever read the output stopped early (``briefs dump ID | head``): stop quietly, as other
        # Unix tools do, with the status of a process ended by SIGPIPE. Nothing more can reach stdout,
        # and Python would otherwise print a second error when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    return status


def _run(args: argparse.Namespace) -> int:
    content_dir = content_dir_from_env(args.content)
    if args.command == "check":
        return check(content_dir, args.format)
    if args.command == "build":
        return build(content_dir, args.output, args.jobs, strict=args.strict)
    if args.command == "new":
        return new(content_dir, args.brief_id, args.title)
    if args.command == "export":
        return export(content_dir, args.artifact, args.directory, args.listen, args.upstream)
    return dump(content_dir, args.brief_id)


if __name__ == "__main__":
    sys.exit(main())
