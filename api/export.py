"""A static export for a CDN or plain nginx: every response the build stored, as files, and an
nginx configuration that serves them as the application does and passes everything else on.

``briefs export DIR`` writes:

- ``DIR/files/<path>.json``, the body of every response stored in the artifact (each single
  resource, the index and each collection's first page), and ``<path>.json.gz`` beside it
  when the application would answer gzip-encoded;
- ``DIR/nginx.conf``, complete (its paths are relative to DIR, but for a private socket
  under ``DIR/tmp``), so that ``nginx -p DIR -c nginx.conf`` runs it: it listens on
  ``--listen``, answers GET and HEAD of an exported path (no query string, a JSON
  ``Accept``) from the files with the application's headers (``ETag`` of either
  encoding, ``Link``, ``Content-Type``, ``Cache-Control``, ``Vary``, CORS, security headers,
  ``X-Content-Version``, ``X-Request-ID``) and 304 on a matching ``If-None-Match``, and
  proxies every other request (searches, filtered and later pages, CSV, missing resources and
  their 404 problems, other methods) to ``--upstream``;
- ``DIR/logs/`` and ``DIR/tmp/`` for nginx.

What the export does not do is rate limiting: there is nothing to count on a file. A CDN in
front limits, or the application does for what is proxied.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlsplit

from api.headers import CORS_HEADERS, SECURITY_HEADERS
from briefs.reader import Artifact
from briefs.responses import StoredResponse

FILES = "files"
UNAVAILABLE = (
    '{"type": "about:blank", "title": "Service Unavailable", "status": 503, '
    '"detail": "The application behind this export did not answer; retry after the seconds given in Retry-After."}'
)
"""nginx's answer to a request it has no file for while the application is down."""
FILE_TIME = 946684800
"""Every file's modification time (2000-01-01): nginx's 304 compares it (see the configuration)."""
VARY = "Accept, Accept-Encoding"


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    directory: Path
    """The export directory (``nginx -p`` takes it)."""
    paths: tuple[str, ...]
    """Every exported request path."""
    version: str
    """The content version exported."""


def export_artifact(
    artifact: Artifact, directory: Path, listen: str, upstream: str,
    progress: Callable[[int, int], None] | None = None,
) -> ExportReport:  # fmt: skip
    """Write the files and ``nginx.conf`` of ``artifact`` into ``directory``.

    The files are written beside the previous ones and swapped in whole; a running nginx
    picks up the new configuration on ``nginx -p DIR -s reload``.

    :param listen: ``HOST:PORT`` nginx listens on
    :param upstream: the application's base URL, ``http://host:port``
    :param progress: told ``(done, total)`` as the responses are written
    """
    if urlsplit(upstream).scheme not in ("http", "https") or urlsplit(upstream).path not in ("", "/"):
        raise ValueError(f"--upstream must be a base URL such as http://127.0.0.1:8000, not {upstream!r}")
    paths = artifact.response_keys()
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "tmp"):
        (directory / sub).mkdir(exist_ok=True)
    fresh = directory / f"{FILES}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    stored: dict[str, StoredResponse] = {}
    for done, path in enumerate(paths, 1):
        entry = artifact.response(path)
        if entry is not None:
            stored[path] = entry
            _write(fresh, path, entry)
        if progress is not None:
            progress(done, len(paths))
    old = directory / f"{FILES}.old"
    shutil.rmtree(old, ignore_errors=True)
    if (directory / FILES).exists():
        (directory / FILES).rename(old)
    fresh.rename(directory / FILES)
    shutil.rmtree(old, ignore_errors=True)
    socket = (directory / "tmp" / "revalidate.sock").resolve()
    conf = render_conf(stored, artifact.version, listen, upstream.rstrip("/"), socket)
    (directory / "nginx.conf").write_text(conf, encoding="utf-8")
    return ExportReport(directory, tuple(stored), artifact.version)


def _write(root: Path, path: str, entry: StoredResponse) -> None:
    target = root / f"{path.lstrip('/')}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(entry.body)
    os.utime(target, (FILE_TIME, FILE_TIME))
    if entry.gzipped is not None:
        target.with_name(target.name + ".gz").write_bytes(entry.gzipped)


def _quoted(value: str, *, variables: bool = False) -> str:
    """A string for nginx's configuration: double-quoted, escaped; ``$`` only where ``variables`` are meant."""
    if ("$" in value and not variables) or "\n" in value or "\r" in value:
        raise ValueError(f"cannot put {value!r} in an nginx configuration")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_header(entries: Iterable[StoredResponse], name: str) -> str:
    """A header every exported response has, with the same value (Content-Type, Cache-Control)."""
    values = {dict(entry.headers).get(name) for entry in entries}
    if len(values) != 1 or None in values:
        raise ValueError(f"exported responses differ in {name}: {sorted(map(str, values))}")
    return str(values.pop())


def _map(source: str, variable: str, rows: Iterable[tuple[str, str]], default: str = '""') -> str:
    lines = [f"    map {source} {variable} {{", f"        default {default};"]
    lines += [f"        {_quoted(key)} {_quoted(value)};" for key, value in rows]
    return "\n".join([*lines, "    }"])


def render_conf(
    stored: dict[str, StoredResponse], version: str, listen: str, upstream: str, revalidate_socket: Path
) -> str:
    """The nginx configuration that serves ``stored`` from ``files/`` and proxies the rest."""
    content_type = _one_header(stored.values(), "Content-Type")
    cache_control = _one_header(stored.values(), "Cache-Control")
    links = [(path, dict(entry.headers)["Link"]) for path, entry in stored.items() if "Link" in dict(entry.headers)]
    maps = "\n".join(
        [
            # Keyed by the request as sent: a query string, even an empty one, or an escaped
            # character, and the application answers.
            _map("$request_uri", "$export_etag", ((path, entry.etag) for path, entry in stored.items())),
            _map("$request_uri", "$export_link", links),
            _map("$request_uri", "$export_has_gzip", ((p, "1") for p, e in stored.items() if e.gzipped), "0"),
        ]
    )
    headers = {
        "Cache-Control": cache_control, "Link": "$export_link",
        "ETag": '"$export_etag$export_etag_suffix"', "Vary": VARY,
        **SECURITY_HEADERS, **CORS_HEADERS, "X-Content-Version": version, "X-Request-ID": "$export_request_id",
    }  # fmt: skip
    add_headers = "\n".join(
        f"            add_header {name} {_quoted(value, variables='$export' in value)} always;"
        for name, value in headers.items()
    )
    return TEMPLATE.format(
        listen=listen,
        upstream=upstream,
        maps=maps,
        add_headers=add_headers,
        content_type=content_type,
        revalidate_socket=revalidate_socket,
        file_time=formatdate(FILE_TIME, usegmt=True),
        unavailable=UNAVAILABLE,
    )


TEMPLATE = """\
# Briefs API, static export: written by `briefs export`; run with `nginx -p <this directory> -c nginx.conf`.
# Exported paths are answered from files/ with the application's headers; everything else
# goes to the application ({upstream}).
worker_processes auto;
pid logs/nginx.pid;
error_log logs/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    access_log logs/access.log combined buffer=64k flush=1s;
    client_body_temp_path tmp/client_body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    server_tokens off;
    keepalive_timeout 15s;
    keepalive_requests 10000;
    sendfile on;
    tcp_nopush on;
    # The files change only with a new export, whose nginx.conf (its ETag maps) needs a reload anyway,
    # and a reload empties this cache: keep the open files and the misses.
    open_file_cache max=65536 inactive=600s;
    open_file_cache_valid 600s;
    open_file_cache_errors on;
    client_header_timeout 10s;
    client_body_timeout 10s;
    send_timeout 10s;
    map_hash_max_size 262144;
    map_hash_bucket_size 256;

{maps}

    # A file answers GET and HEAD when the application would answer JSON: an Accept that
    # names CSV (text/csv, text/*) goes to the application, which decides.
    map $http_accept $export_json_accepted {{
        default 1;
        "~*text/(csv|\\*)" 0;
    }}
    map "$request_method:$export_etag:$export_json_accepted" $export_static {{
        default 0;
        "~^(GET|HEAD):[0-9a-f]+:1$" 1;
    }}
    # Accept-Encoding read as gzip_static reads it: a gzip token whose q is not 0.
    map $http_accept_encoding $export_accepts_gzip {{
        default 0;
        "~*(^|,)\\s*gzip\\s*;\\s*q\\s*=\\s*0(\\.0{{0,3}})?\\s*(,|$)" 0;
        "~*(^|,)\\s*gzip\\s*(;|,|$)" 1;
    }}
    # If-None-Match, compared weakly with either encoding's tag, or "*".
    map "$export_etag|$http_if_none_match" $export_not_modified {{
        default 0;
        "~^[0-9a-f]+\\|\\s*\\*\\s*$" 1;
        "~^([0-9a-f]+)\\|.*\\"\\1(-gz)?\\"" 1;
    }}
    # The tag names the encoding sent: gzip_static's choice on a 200, the client's on a 304.
    map "$status:$sent_http_content_encoding:$export_has_gzip$export_accepts_gzip" $export_etag_suffix {{
        default "";
        "~^200:gzip:" "-gz";
        "~^304::11$" "-gz";
    }}
    # The client's X-Request-ID when it is sane, as the application takes it; else nginx's own.
    map $http_x_request_id $export_request_id {{
        default $request_id;
        "~^[A-Za-z0-9._:-]{{1,128}}$" $http_x_request_id;
    }}

    server {{
        listen {listen};
        root files;
        types {{ }}
        default_type {content_type};
        charset off;
        etag off;
        if_modified_since off;
        max_ranges 0;
        gzip off;
        gzip_static on;
        gzip_proxied any;
        gzip_http_version 1.0;
        gzip_vary off;
        # The application is reached through one error_page (418); its failure needs a second.
        recursive_error_pages on;

        location / {{
            error_page 418 = @application;
            error_page 419 = @not_modified;
            if ($export_static = 0) {{
                return 418;
            }}
            if ($export_not_modified) {{
                return 419;
            }}
            try_files $uri.json @application;
            add_header Last-Modified "";
{add_headers}
        }}

        # A 304 made by nginx's own not-modified filter, which drops the body's headers (Content-Type,
        # Content-Length) as a 304 must: a `return 304` would send "Content-Length: 0". The filter
        # compares dates, so the request goes to the file server below asking If-Modified-Since the
        # export's fixed file time.
        location @not_modified {{
            proxy_pass http://unix:{revalidate_socket};
            proxy_http_version 1.1;
            proxy_set_header If-Modified-Since "{file_time}";
            proxy_set_header If-None-Match "";
            proxy_set_header Accept-Encoding "";
            proxy_hide_header Last-Modified;
{add_headers}
        }}

        location @application {{
            proxy_pass {upstream};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header Connection "";
            error_page 502 504 = @unavailable;
        }}

        location @unavailable {{
            default_type application/problem+json;
            add_header Retry-After 1 always;
            add_header Access-Control-Allow-Origin * always;
            add_header X-Content-Type-Options nosniff always;
            return 503 '{unavailable}';
        }}
    }}

    server {{
        listen unix:{revalidate_socket};
        root files;
        etag off;
        if_modified_since exact;
        location / {{
            try_files $uri.json =404;
        }}
    }}
}}
"""
