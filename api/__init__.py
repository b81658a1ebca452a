"""Briefs API: the HTTP layer over the content pipeline in :mod:`briefs`.

:func:`create_app` builds the Flask application; the pipeline itself imports
no web framework.
"""

from __future__ import annotations

__version__ = "1.1.0"

from api.app import create_app  # after __version__, which api.app reads

__all__ = ["__version__", "create_app"]
