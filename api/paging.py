"""Link headers, for views and for the build alike: the paging envelope with its RFC 8288 links, and a
brief's RFC 5829 version links."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from schemas import urls


def page_of(
    items: Sequence[Any], page: int, per_page: int, path: str, args: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], str]:
    """One page of ``items`` as the envelope, and the Link header to its first, prev, next and last pages.

    :param path: the collection's path; the links keep ``args`` (the query) and set page and per_page
    """
    total = len(items)
    total_pages = math.ceil(total / per_page)
    pages = {"first": 1, "last": max(total_pages, 1)}
    if page > 1:
        pages["prev"] = min(page - 1, max(total_pages, 1))
    if page < total_pages:
        pages["next"] = page + 1
    links = []
    for rel, number in pages.items():
        query = urlencode({**(args or {}), "page": number, "per_page": per_page})
        links.append(f'<{path}?{query}>; rel="{rel}"')
    start = (page - 1) * per_page
    envelope = {
        "items": items[start : start + per_page],
        "pagination": {"page": page, "per_page": per_page, "total": total, "total_pages": total_pages},
    }
    return envelope, ", ".join(links)


def version_links(brief_id: str, version: int | None, latest: int) -> str:
    """RFC 5829 links of a brief (``version`` None) or of one of its versions."""
    links = [f'<{urls.version_url(brief_id, latest)}>; rel="latest-version"']
    if version is not None and version > 1:
        links.append(f'<{urls.version_url(brief_id, version - 1)}>; rel="predecessor-version"')
    if version is not None and version < latest:
        links.append(f'<{urls.version_url(brief_id, version + 1)}>; rel="successor-version"')
    links.append(f'<{urls.versions_url(brief_id)}>; rel="version-history"')
    return ", ".join(links)
