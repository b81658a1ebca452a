"""A section's safe HTML, as the brief page shows it: typed blocks visibly marked, each with a heading, its
attributes and a "Cite" control; mentions linked to their actor and event pages.

The section HTML comes from the pipeline (``briefs/``): typed blocks are ``<div class="TYPE" id="ID">``
and mentions ``<span class="actor|event" data-ref="ID">``. Everything else passes through as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from html.parser import HTMLParser

from briefs.blocks import BLOCK_TYPES
from briefs.model import Element
from schemas import urls

BlockHtml = Callable[[Element, int], str]
"""Renders the opening (heading, attributes) or the closing (Cite control) of a block at a heading level."""


class _SectionRewriter(HTMLParser):
    def __init__(self, elements: dict[str, Element], level: int, opening: BlockHtml, closing: BlockHtml) -> None:
        super().__init__(convert_charrefs=False)
        self.elements = elements
        self.level = level
        self.opening = opening
        self.closing = closing
        self.out: list[str] = []
        self.stack: list[tuple[str, Element | None]] = []
        """Open ``div`` and ``span`` tags: what closes each, and the block it opened, if any."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        css_class = attributes.get("class") or ""
        if tag == "div" and css_class in BLOCK_TYPES and attributes.get("id") in self.elements:
            element = self.elements[attributes["id"] or ""]
            self.level += 1
            self.out.append(self.opening(element, min(self.level, 6)))
            self.stack.append(("</div>", element))
            return
        if tag == "span" and css_class in ("actor", "event") and attributes.get("data-ref"):
            ref = attributes["data-ref"] or ""
            href = urls.actor_page(ref) if css_class == "actor" else urls.event_page(ref)
            self.out.append(f'<a class="mention {css_class}" href="{escape(href)}">')
            self.stack.append(("</a>", None))
            return
        if tag in ("div", "span"):
            self.stack.append((f"</{tag}>", None))
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("div", "span") and self.stack:
            closing, element = self.stack.pop()
            if element is not None:
                self.out.append(self.closing(element, min(self.level, 6)))
                self.level -= 1
            self.out.append(closing)
            return
        self.out.append(f"</{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def rewrite_section(
    html: str, elements: dict[str, Element], heading_level: int, opening: BlockHtml, closing: BlockHtml
) -> str:
    """The section's HTML with each typed block wrapped by ``opening`` and ``closing`` and mentions as links.

    :param elements: the brief's blocks by id
    :param heading_level: the level of the section's heading; a block's heading is one below its container's
    """
    rewriter = _SectionRewriter(elements, heading_level, opening, closing)
    rewriter.feed(html)
    rewriter.close()
    return "".join(rewriter.out)
