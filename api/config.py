"""Settings, each with a default, overridable by ``BRIEFS_*`` environment variables
or by the mapping given to :func:`api.create_app`."""

from __future__ import annotations

import os
from typing import Any

from briefs.sources import content_dir_from_env

DEFAULTS: dict[str, Any] = {
    "BRIEFS_RELOAD_INTERVAL": 2.0,
    "BRIEFS_ARTIFACT": None,
    "BRIEFS_CACHE_DIR": ".cache",
    "BRIEFS_RATELIMIT": "600 per minute",
    "BRIEFS_RATELIMIT_STORAGE_URI": "memory://",
    "BRIEFS_MAX_URL_BYTES": 8000,
    "BRIEFS_MAX_HEADER_BYTES": 16384,
    "BRIEFS_TRUSTED_PROXIES": 0,
    "BRIEFS_FAST_PATH": True,
}
"""Every setting and its default; docs/operations.md describes each."""


def settings_from_env() -> dict[str, Any]:
    """The defaults, overridden by environment variables of the same names."""
    settings: dict[str, Any] = {"BRIEFS_CONTENT_DIR": content_dir_from_env()}
    for name, default in DEFAULTS.items():
        raw = os.environ.get(name)
        if raw is None or raw == "":
            settings[name] = default
        elif isinstance(default, bool):
            settings[name] = raw.lower() in ("1", "true", "yes")
        elif isinstance(default, (int, float)):
            settings[name] = type(default)(raw)
        else:
            settings[name] = raw
    return settings
