"""A schemathesis hook for the contract runs: generated requests get the ids of resources that exist.

Generated path parameters rarely name a brief, section, element, actor or event that
exists, so almost every call would be a 404 and the real representations would go
unchecked (schemathesis' ``missing_test_data`` warning). :func:`map_case` puts real ids
into most cases: for each templated path it lists every combination of ids that exists,
read from the API itself (the collection one level up), and gives a case one of them.
One case in :data:`GENERATED_SHARE` keeps its generated ids, so 404 problems are checked
too, and so does a negative case whose invalid part is its path.

The ``schemathesis run`` CLI loads this module as ``hooks`` of tests/schemathesis.toml, run
from the repository root; the ids come from the content in ``BRIEFS_CONTENT_DIR``, as the
server's do.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis.core.parameters import ParameterLocation

from api import create_app

ROOT = Path(__file__).resolve().parent.parent
GENERATED_SHARE = 10
"""One case in this many keeps its generated path parameters."""
_PARAMETER = re.compile(r"\{([^{}]+)\}")


def content_dir() -> str:
    """The content the server under test serves."""
    return os.environ.get("BRIEFS_CONTENT_DIR", str(ROOT / "content"))


def _items(client: Any, collection: str) -> list[dict[str, Any]]:
    """Every item of a collection, page by page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(f"{collection}?per_page=100&page={page}").get_json()
        items += body["items"]
        if page >= body["pagination"]["total_pages"]:
            return items
        page += 1


def _combinations(client: Any, template: str, known: dict[str, str]) -> list[dict[str, str]]:
    """Every assignment of the template's path parameters that names existing resources."""
    filled = _PARAMETER.sub(lambda m: known.get(m.group(1), m.group(0)), template)
    match = _PARAMETER.search(filled)
    if match is None:
        return [known]
    collection = filled[: match.start()].rstrip("/")
    combinations = []
    for item in _items(client, collection):
        # A version is named by its number; everything else by its id.
        value = str(item["version"]) if match.group(1) == "version" else item["id"]
        combinations += _combinations(client, template, {**known, match.group(1): value})
    return combinations


@cache
def real_path_parameters(content: str) -> dict[str, list[dict[str, str]]]:
    """For each templated path of the API, the path parameters of every resource it serves."""
    client = create_app({"BRIEFS_CONTENT_DIR": content}).test_client()
    paths = client.get("/openapi.json").get_json()["paths"]
    return {template: _combinations(client, template, {}) for template in paths if "{" in template}


def _negative_path(case: schemathesis.Case) -> bool:
    component = case.meta.components.get(ParameterLocation.PATH) if case.meta is not None else None
    return component is not None and component.mode.is_negative


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    """Give most cases the ids of a resource that exists (see the module docstring)."""
    choices = real_path_parameters(content_dir()).get(case.operation.path)
    if not choices or _negative_path(case):
        return case
    key = zlib.crc32(json.dumps(case.path_parameters, sort_keys=True, default=str).encode())
    if key % GENERATED_SHARE:
        case.path_parameters = {**case.path_parameters, **choices[key // GENERATED_SHARE % len(choices)]}
    return case
