"""``GET /v1/changes``: every change of every brief, oldest first, for clients that keep a copy in sync."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlencode

import flask

from api.problems import abort, reject_parameter
from api.rest import Blueprint, MethodView
from api.store import reader
from schemas import urls
from schemas.queries import ChangesFeedQuerySchema
from schemas.versions import ChangesFeedSchema

blp = Blueprint("changes", __name__, url_prefix=urls.CHANGES, description="The changes feed of the content's history.")


def cursor(seq: int, commit: str) -> str:
    """The opaque cursor of a position in the feed, tied to the commit of the change there."""
    return base64.urlsafe_b64encode(f"{seq}:{commit}".encode()).decode().rstrip("=")


def position(since: str | None) -> int:
    """The feed position a cursor stands for; 422 if it is not a cursor, 410 if it is one of another history."""
    if since is None:
        return 0
    try:
        seq_text, commit = base64.urlsafe_b64decode(since + "=" * (-len(since) % 4)).decode().split(":", 1)
        seq = int(seq_text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        reject_parameter("query", "since", "Not a cursor of this feed: pass the next_since of a previous answer.")
        raise  # unreachable: reject_parameter raises
    if not 0 <= seq < 2**63:
        reject_parameter("query", "since", "Not a cursor of this feed: pass the next_since of a previous answer.")
    if seq > 0 and reader().event_commit(seq) != commit:
        abort(410, "This cursor belongs to a history that was since rewritten; resync from the start: GET /v1/changes.")
    return seq


@blp.route("")
class Changes(MethodView):
    @blp.doc(operationId="listChanges", responses={"410": "GONE"})
    @blp.arguments(ChangesFeedQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, ChangesFeedSchema)
    def get(self, per_page: int, since: str | None = None) -> dict[str, Any]:
        """List changes of briefs (created, updated, withdrawn) oldest first; poll again with ``since=next_since``."""
        after = position(since)
        items = reader().changes(after, per_page)
        next_since = cursor(items[-1]["seq"], items[-1]["commit"]) if items else (since or cursor(0, ""))
        flask.g.link_header = f'<{urls.CHANGES}?{urlencode({"since": next_since, "per_page": per_page})}>; rel="next"'
        return {"items": items, "next_since": next_since}
