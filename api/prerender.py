"""What the build stores for every single resource: the same bytes and headers the views
would answer, rendered once per content version instead of once per request.

:func:`render_brief` renders what depends on one brief (run in the build's worker
processes); :func:`render_shared` renders the rest through the application itself,
over the artifact being built.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from api.paging import page_of, version_links
from api.store import EXTENSION
from briefs.blocks import BLOCK_TYPES
from briefs.build import Rendered, Renderer
from briefs.model import Brief
from briefs.responses import StoredResponse, store_response
from schemas import urls
from schemas.briefs import ELEMENT_SCHEMAS, BriefSummarySchema, SectionSchema, element_url, section_url
from schemas.paging import PER_PAGE_DEFAULT, PaginationSchema

JSON_HEADERS = (("Content-Type", "application/json"), ("Cache-Control", "public, max-age=60"))
"""Headers of every stored JSON resource (see api.headers.CACHE_CONTROL)."""


def render_json(data: Any) -> bytes:
    """JSON as Flask answers it outside debug mode: compact, UTF-8, keys in schema order, a final newline."""
    return (_encode(data) + "\n").encode()


_BRIEF = BriefSummarySchema()
_SECTION = SectionSchema()
_ELEMENTS = {name: schema() for name, schema in ELEMENT_SCHEMAS.items()}
_PAGINATION = PaginationSchema()


def render_brief(brief: Brief, latest: int | None = None) -> list[Rendered]:
    """The brief, each section and block, and the first page of each of its lists.

    Each object is dumped and encoded once: a brief's JSON is its summary plus its sections' JSON,
    and a list's first page holds the very objects served on their own, spliced in as encoded (a
    test checks that this gives what the views answer, byte for byte).
    """
    sections = [_encode(_SECTION.dump(section)) for section in brief.sections]
    doc_headers = JSON_HEADERS if latest is None else (*JSON_HEADERS, ("Link", version_links(brief.id, None, latest)))
    document = _with_list(_BRIEF.dump(brief), "sections", sections)
    rendered = [(urls.brief_url(brief.id), _stored_text(document, doc_headers))]
    rendered += [(section_url(s), _stored_text(encoded)) for s, encoded in zip(brief.sections, sections, strict=True)]
    rendered.append(_first_page(urls.sections_url(brief.id), sections))
    for block_type in BLOCK_TYPES.values():
        elements = brief.elements_of_type(block_type.name)
        encoded = [_encode(_ELEMENTS[block_type.name].dump(element)) for element in elements]
        rendered += [(element_url(e), _stored_text(text)) for e, text in zip(elements, encoded, strict=True)]
        rendered.append(_first_page(urls.elements_url(brief.id, block_type.name), encoded))
    return rendered


def _encode(data: Any) -> str:
    """JSON text as :func:`render_json` writes it, without the final newline."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _with_list(data: dict[str, Any], key: str, encoded: list[str]) -> str:
    """``{**data, key: items}`` encoded, the items given already encoded (``key`` must be new to ``data``)."""
    assert key not in data
    members = _encode(data)[1:-1]
    return f"{{{members}{',' if members else ''}{_encode(key)}:[{','.join(encoded)}]}}"


def _stored_text(text: str, headers: tuple[tuple[str, str], ...] = JSON_HEADERS) -> StoredResponse:
    return store_response((text + "\n").encode(), headers)


def _first_page(path: str, encoded: list[str]) -> Rendered:
    envelope, link = page_of(encoded, 1, PER_PAGE_DEFAULT, path)
    # The envelope as the views answer it: {"items": [...], "pagination": {...}}, in that order.
    pagination = _encode(_PAGINATION.dump(envelope["pagination"]))
    text = f'{{"items":[{",".join(envelope["items"])}],"pagination":{pagination}}}'
    return path, _stored_text(text, (JSON_HEADERS[0], ("Link", link), JSON_HEADERS[1]))


def render_shared(artifact_path: str, connection: sqlite3.Connection) -> list[Rendered]:
    """The index, the first page of each collection, each actor with its mentions, and each event,
    rendered by the application over the artifact at ``artifact_path``, read through the build's
    ``connection`` (inside the transaction that writes it)."""
    from api.cache import freeze  # noqa: PLC0415 - the app imports the build, which imports this lazily

    with _apps_lock:
        app = _renderer_app(artifact_path, connection)
        artifact = app.extensions[EXTENSION].watch.current()
        paths = [urls.API_PREFIX, urls.BRIEFS, urls.ELEMENTS, urls.ACTORS, urls.EVENTS]
        for actor_id in artifact.actors:
            paths += [urls.actor_url(actor_id), urls.actor_mentions_url(actor_id)]
        paths += [urls.event_url(event.id) for event in artifact.events]
        client = app.test_client()
        rendered = []
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(
                    f"rendering {path} answered {response.status_code}: {response.get_data(as_text=True)}"
                )
            rendered.append((path, freeze(response)))
        return rendered


_apps: list[Any] = []
"""The application that renders shared responses, made once per process (making one takes a while)."""
_apps_lock = threading.Lock()


def _renderer_app(artifact_path: str, connection: sqlite3.Connection) -> Any:
    from api.app import create_app  # noqa: PLC0415 - the app imports the build, which imports this lazily
    from api.store import ArtifactStore  # noqa: PLC0415

    store = ArtifactStore(artifact=artifact_path, connection=connection)
    if not _apps:
        config = {
            "BRIEFS_ARTIFACT": artifact_path, "BRIEFS_ACCESS_LOG": False, "RATELIMIT_ENABLED": False,
            "BRIEFS_FAST_PATH": False,
        }  # fmt: skip
        _apps.append(create_app(config, store=store))
    else:
        _apps[0].extensions[EXTENSION] = store
    return _apps[0]


def code_fingerprint() -> str:
    """A hash of the Python source of every package that shapes a stored response (the pipeline, the wire
    schemas, the HTTP layer) and of ``BRIEFS_PUBLIC_URL``: after an upgrade, or with another public URL,
    an artifact built before is rebuilt from scratch. The page templates are not hashed: the artifact
    stores JSON only, and pages are rendered per request."""
    digest = hashlib.sha256(urls.public_base().encode() + b"\0")  # html_url is absolute under it
    for package in ("api", "briefs", "schemas"):
        root = Path(importlib.import_module(package).__file__ or "").parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


RENDERER = Renderer(brief=render_brief, shared=render_shared, fingerprint=code_fingerprint())
"""What ``briefs build`` and the server's builder store."""
