"""``GET /v1``: where everything is."""

from __future__ import annotations

from typing import Any

import flask

from api.rest import Blueprint, MethodView
from api.store import current_corpus
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
        corpus = current_corpus()
        return {
            "api_version": flask.current_app.config["API_VERSION"],
            "content_version": corpus.version,
            "links": COLLECTIONS,
            "counts": {
                "briefs": len(corpus.briefs),
                "actors": len(corpus.entities.actors),
                "events": len(corpus.entities.events),
                "content_errors": len(corpus.errors),
            },
            "url": "/v1",
        }
