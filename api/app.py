"""The application factory: config, then the Api, then the blueprints."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import flask
from werkzeug.middleware.proxy_fix import ProxyFix

from api import __version__, health, pages, v1
from api.config import settings_from_env
from api.fastpath import FastPath
from api.limits import ClientLimit, init_limits
from api.logs import init_request_logging
from api.rest import Api
from api.store import EXTENSION, ArtifactStore, release
from api.v1 import versions

DESCRIPTION = """\
Analytical policy briefs as typed JSON: briefs, their sections, and typed
elements (factors, expectations with scenarios, strategy elements).

Conventions: collections answer `{"items": [...], "pagination": {...}}` with an
RFC 8288 `Link` header; every GET has a strong `ETag` and answers
`If-None-Match` with 304; errors are RFC 9457 `application/problem+json`; an
unknown query parameter, or one given twice, is a 422 problem naming it.
"""

SWAGGER_UI_DIST = str(files("flask_swagger_ui") / "dist")
"""Swagger UI 5's files (the swagger-ui-dist of the same version), shipped by flask-swagger-ui;
/docs serves them at /docs/assets/ and uses nothing else of that package."""


def create_app(config: dict[str, Any] | None = None, *, store: ArtifactStore | None = None) -> flask.Flask:
    """Build the application.

    :param config: overrides; ``BRIEFS_ARTIFACT`` names a prebuilt artifact to serve,
        else ``BRIEFS_CONTENT_DIR`` names the content directory to build and serve
        (default: the environment variable, else ``./content``)
    :param store: serve this store instead (the build renders from the artifact it is writing)
    """
    app = flask.Flask("api")
    app.config.from_mapping(
        API_TITLE="Briefs API",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        API_SPEC_OPTIONS={
            "info": {"description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        },
    )
    app.config.from_mapping(settings_from_env())
    app.config.from_mapping(config or {})
    app.extensions[EXTENSION] = store or ArtifactStore(
        artifact=app.config["BRIEFS_ARTIFACT"],
        content_dir=None if app.config["BRIEFS_ARTIFACT"] else app.config["BRIEFS_CONTENT_DIR"],
        cache_dir=app.config["BRIEFS_CACHE_DIR"],
        reload_interval=float(app.config["BRIEFS_RELOAD_INTERVAL"]),
    )
    app.teardown_request(release)
    init_request_logging(app)
    limiter = init_limits(app)
    app.register_blueprint(
        flask.Blueprint("docs_assets", __name__, static_folder=SWAGGER_UI_DIST, static_url_path="/docs/assets")
    )
    app.register_blueprint(
        flask.Blueprint("docs_static", __name__, static_folder="static", static_url_path="/docs/static")
    )
    app.url_map.converters["version"] = versions.VersionConverter
    api = Api(app)
    api.register_converter(versions.VersionConverter, versions.version_parameter)
    for blueprint in (*v1.BLUEPRINTS, health.blp):
        api.register_blueprint(blueprint)
    # The reader pages (api/pages): HTML for people, outside the OpenAPI document, same conventions.
    app.register_blueprint(pages.blp)
    if app.config["BRIEFS_FAST_PATH"]:
        # Cache hits are answered before Flask builds a request (api/fastpath.py).
        fast = FastPath(app, app.wsgi_app, ClientLimit(limiter, app.config["BRIEFS_RATELIMIT"]))
        app.wsgi_app = fast  # type: ignore[method-assign]
    if app.config["BRIEFS_TRUSTED_PROXIES"]:
        # Behind N proxies, the client address (for rate limits) is the Nth from the right in X-Forwarded-For.
        proxies = int(app.config["BRIEFS_TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    return app
