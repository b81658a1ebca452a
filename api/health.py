"""``/healthz`` and ``/readyz`` for load balancers and orchestrators."""

from __future__ import annotations

from typing import Any

import flask

from api.rest import Blueprint, MethodView
from api.store import EXTENSION, ArtifactStore, reader
from schemas.index import HealthSchema, ReadinessSchema

blp = Blueprint("health", __name__, description="Liveness and readiness probes.")


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(operationId="getHealth")
    @blp.response(200, HealthSchema)
    @blp.uncached
    def get(self) -> dict[str, str]:
        """Check that the process answers."""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.doc(operationId="getReadiness")
    @blp.response(200, ReadinessSchema)
    @blp.uncached
    def get(self) -> dict[str, Any]:
        """Check that content is loaded, and list content errors (their briefs are not served)."""
        artifact = reader()
        store: ArtifactStore = flask.current_app.extensions[EXTENSION]
        return {
            "status": "ready",
            "content_version": artifact.version,
            "briefs": artifact.brief_count,
            "content_errors": artifact.errors,
            "stale_briefs": artifact.stale,
            "history": artifact.history(),
            "artifact_problems": store.problems(),
        }
