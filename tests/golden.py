"""Regenerate the golden JSON of the real briefs: ``make golden``, then review ``git diff tests/golden``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from briefs.loader import load_corpus
from schemas.briefs import dump_brief

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden"


def render_golden(brief_json: dict[str, object]) -> str:
    """The text of a golden file: stable key order, Unicode as written."""
    return json.dumps(brief_json, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    """Write one golden file per valid brief of ``content/``; 1 if the content has errors."""
    corpus = load_corpus(ROOT / "content")
    for error in corpus.errors:
        print(error, file=sys.stderr)
    GOLDEN_DIR.mkdir(exist_ok=True)
    for brief in corpus.briefs.values():
        path = GOLDEN_DIR / f"{brief.id}.json"
        path.write_text(render_golden(dump_brief(brief)), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 1 if corpus.errors else 0


if __name__ == "__main__":
    sys.exit(main())
