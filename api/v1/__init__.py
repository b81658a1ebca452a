"""Version 1 of the API: one blueprint per resource family, all under ``/v1``."""

from __future__ import annotations

from api.v1 import actors, briefs, changes, elements, events, index, search, versions

BLUEPRINTS = (index.blp, briefs.blp, versions.blp, elements.blp, actors.blp, events.blp, search.blp, changes.blp)
