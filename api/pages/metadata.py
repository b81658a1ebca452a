"""What a brief page tells machines: schema.org JSON-LD (a ``Report``) built from the brief's own JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from schemas import urls

ACTOR_TYPES = {"person": "Person", "organization": "Organization", "state": "Country", "territory": "Place",
               "place": "Place"}  # fmt: skip
"""schema.org types of actor kinds."""


def report(brief: dict[str, Any], committed: dict[int, str], names: dict[str, Callable[[str], str]]) -> dict[str, Any]:
    """A schema.org ``Report`` of a brief's JSON (as ``GET /v1/briefs/{id}`` or one version answers it)."""
    version = brief["version"]
    modified = committed[version][:10] if version in committed else brief["updated"] or brief["published"]
    actors: list[str] = []
    for section in brief["sections"]:
        actors += [a for a in section["mentions"]["actors"] if a not in actors]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": brief["html_url"],
        "url": brief["html_url"],
        "headline": brief["title"],
        "name": brief["title"],
        "datePublished": brief["published"],
        "dateModified": modified,
        "inLanguage": brief["language"],
        "keywords": brief["tags"],
        "wordCount": brief["word_count"],
        "version": version if version is not None else brief["revision"],
        "author": [
            {"@type": "Person", "name": a["name"],
             **({"affiliation": {"@type": "Organization", "name": a["affiliation"]}} if a["affiliation"] else {})}
            for a in brief["authors"]
        ],
        "about": [
            {"@type": "Event", "@id": urls.absolute(urls.event_page(e)), "name": names["event_title"](e)}
            for e in brief["about"]
        ],
        "mentions": [
            {"@type": "Thing", "@id": urls.absolute(urls.actor_page(a)), "name": names["actor_name"](a)}
            for a in actors
        ],
    }  # fmt: skip
    if brief["summary"]:
        data["description"] = brief["summary"]
    if brief["publisher"]:
        data["publisher"] = {"@type": "Organization", "name": brief["publisher"]}
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block: ``<``, ``>`` and ``&`` escaped as JSON
    escapes, so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
