"""``GET /v1``: where everything is."""

from __future__ import annotations

from typing import Any

import flask

from api.rest import Blueprint, MethodView
from api.store import reader
from schemas.index import IndexSchema

blp = Blueprint("index", __name__, url_prefix="/v1", description="The entry point of version 1.")

COLLECTIONS = {
    "briefs": "/v1/briefs",
    "elements": "/v1/elements",
    "actors": "/v1/actors",
    "events": "/v1/events",
    "search": "/v1/search",
}


@blp.route("")
class Index(MethodView):
    @blp.doc(operationId="getIndex")
    @blp.response(200, IndexSchema)
    def get(self) -> dict[str, Any]:
        """Get links to every collection, the API and content versions, and counts."""
        artifact = reader()
        return {
            "api_version": flask.current_app.config["API_VERSION"],
            "content_version": artifact.version,
            "links": COLLECTIONS,
            "counts": {
                "briefs": artifact.brief_count,
                "actors": len(artifact.entities.actors),
                "events": len(artifact.entities.events),
                "content_errors": len(artifact.errors),
            },
            "url": "/v1",
        }
