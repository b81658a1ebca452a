"""``briefs new``: a new brief from a template that shows every block type with its attributes."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from pathlib import Path
from string import Template

from briefs.fields import SLUG_MAX, SLUG_RULE, is_slug
from briefs.sections import slugify

TEMPLATE = "brief_template.md"
"""The template, a data file of the ``api`` package; ``$id``, ``$title`` and ``$published`` are filled in."""

_OTHER_CHARACTERS = re.compile(r"[^a-z0-9-]")


class ScaffoldError(Exception):
    """Why no brief was written, in words for the author."""


def slug_problem(brief_id: str) -> str | None:
    """Why ``brief_id`` is not a slug, in words, with a slug to try; None if it is one."""
    if is_slug(brief_id):
        return None
    reasons = []
    if not brief_id:
        reasons.append("it is empty")
    elif brief_id.endswith(".md"):
        reasons.append("it ends in '.md' (give the id; the file is named after it)")
    else:
        if len(brief_id) > SLUG_MAX:
            reasons.append(f"it is {len(brief_id)} characters long, more than {SLUG_MAX}")
        if any(char.isupper() for char in brief_id):
            reasons.append("it has uppercase letters")
        others = sorted({char for char in _OTHER_CHARACTERS.findall(brief_id) if not char.isupper()})
        if others:
            reasons.append("it has characters other than a-z, 0-9 and '-': " + " ".join(map(repr, others)))
        if "--" in brief_id:
            reasons.append("it has two hyphens in a row")
        if brief_id.startswith("-") or brief_id.endswith("-"):
            reasons.append("it starts or ends with a hyphen")
    suggestion = slugify(brief_id.removesuffix(".md"))
    hint = f"; try '{suggestion}'" if suggestion and suggestion != brief_id else ""
    return f"'{brief_id}' is not a valid brief id: {'; '.join(reasons)} (an id is a slug: {SLUG_RULE}){hint}"


def default_title(brief_id: str) -> str:
    """A placeholder title made from the id: ``sochi-summit-2021`` gives ``Sochi summit 2021``."""
    return brief_id.replace("-", " ").capitalize()


def render_brief(brief_id: str, title: str, published: dt.date) -> str:
    """The text of a new brief."""
    template = Template(files("api").joinpath(TEMPLATE).read_text(encoding="utf-8"))
    # A JSON string is a YAML double-quoted string: any title is safe in the front matter.
    return template.substitute(id=brief_id, title=json.dumps(title, ensure_ascii=False), published=published)


def write_brief(content_dir: str, brief_id: str, title: str | None, today: dt.date | None = None) -> Path:
    """Write ``<content_dir>/briefs/<brief_id>.md`` and return its path.

    :raises ScaffoldError: for an id that is not a slug, an empty title, a
        missing content directory, or a file that already exists
    """
    problem = slug_problem(brief_id)
    if problem:
        raise ScaffoldError(problem)
    title = default_title(brief_id) if title is None else title.strip()
    if not title:
        raise ScaffoldError("the title must not be empty")
    root = Path(content_dir)
    if not root.is_dir():
        raise ScaffoldError(f"content directory '{content_dir}' not found; create it, or pass --content DIR")
    path = root / "briefs" / f"{brief_id}.md"
    text = render_brief(brief_id, title, today or dt.date.today())
    path.parent.mkdir(exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; not overwriting it (edit it, or choose another id)") from None
    return path
