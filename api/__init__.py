"""Briefs API: analytical policy briefs, written as annotated Markdown, served as JSON.

The content pipeline lives in :mod:`api.corpus` and imports no web framework;
:func:`create_app` builds the Flask application around it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__version__ = "1.0.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application (imported lazily, so the pipeline stays free of Flask)."""
    from api.app import create_app as build  # noqa: PLC0415 - keeps `import api.corpus` Flask-free

    return build(config)
