"""The content pipeline: Markdown and YAML in, a typed, immutable corpus out (no web framework)."""
