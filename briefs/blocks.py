"""The block types: one table drives attributes, parents, ids, API names and errors.

Adding a block type is one row here, one schema and one fixture file.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefs.model import Element, Expectation, Factor, Scenario, StrategyElement

SECTION = "section"
"""The parent name for a block that stands directly in a section."""


@dataclass(frozen=True, slots=True)
class BlockType:
    """One row of the block-type table."""

    name: str
    """The div class that names the type, and the API enum value."""
    attributes: frozenset[str]
    """Attributes allowed besides ``#id`` and the class."""
    parent: str
    """:data:`SECTION`, or the type of block it must stand directly in."""
    model: type[Element]
    """The dataclass built for it."""
    collection: str
    """Its collection in URLs, e.g. ``/v1/briefs/{brief_id}/factors``."""
    count_key: str
    """Its key in a brief's ``counts``."""


BLOCK_TYPES: dict[str, BlockType] = {
    row.name: row
    for row in (
        BlockType("factor", frozenset({"title"}), SECTION, Factor, "factors", "factors"),
        BlockType(
            "expectation",
            frozenset({"title", "horizon", "priority-for"}),
            SECTION,
            Expectation,
            "expectations",
            "expectations",
        ),
        BlockType("scenario", frozenset({"title"}), "expectation", Scenario, "scenarios", "scenarios"),
        BlockType(
            "strategy-element",
            frozenset({"title", "actor"}),
            SECTION,
            StrategyElement,
            "strategy-elements",
            "strategy_elements",
        ),
    )
}

KNOWN_TYPES = ", ".join(sorted(BLOCK_TYPES))
"""The "known: …" text of an unknown-type error."""
