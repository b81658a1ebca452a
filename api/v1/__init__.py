"""Version 1 of the API: one blueprint per resource family, all under ``/v1``."""

from __future__ import annotations

from api.v1 import actors, briefs, elements, events, index, search

BLUEPRINTS = (index.blp, briefs.blp, elements.blp, actors.blp, events.blp, search.blp)
