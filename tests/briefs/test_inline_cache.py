"""The parser's inline cache: a paragraph read before gives the same tokens, never shared ones."""

from briefs.syntax import create_parser


def test_a_second_parse_gives_equal_tokens_that_are_not_the_first_ones() -> None:
    parser = create_parser()
    text = "Talks [stalled]{.event ref=sochi} on *the* border.\n"
    first = parser.parse(text)
    first[1].children[0].content = "changed by the caller"  # type: ignore[index]
    second = parser.parse(text)
    assert second[1].children[0].content == "Talks "  # type: ignore[index]
    assert [t.as_dict() for t in second] == [t.as_dict() for t in create_parser().parse(text)]


def test_link_references_of_the_document_still_resolve() -> None:
    parser = create_parser()
    text = "See [the treaty][t].\n"
    assert "link_open" not in [t.type for t in parser.parse(text)[1].children or ()]
    defined = parser.parse(text + "\n[t]: https://example.org/treaty\n")
    link = defined[1].children[1]  # type: ignore[index]
    assert (link.type, link.attrs["href"]) == ("link_open", "https://example.org/treaty")
