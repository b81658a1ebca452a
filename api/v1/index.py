"""``GET /v1``: where everything is."""

from __future__ import annotations

from typing import Any

import flask

from api.rest import Blueprint, MethodView
from api.store import reader
from schemas.index import IndexSchema
from schemas.urls import API_PREFIX, COLLECTIONS, absolute

blp = Blueprint("index", __name__, url_prefix=API_PREFIX, description="The entry point of version 1.")


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
            "url": API_PREFIX,
            "html_url": absolute("/"),
        }
