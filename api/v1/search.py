"""Full-text search over briefs, sections and typed blocks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.rest import Blueprint, MethodView
from api.search import search_page
from briefs.facets import MAX_VALUES
from briefs.search import SearchFilters
from briefs.suggest import allowed_typos
from schemas import urls
from schemas.facets import faceted_page_schema
from schemas.queries import SearchQuerySchema
from schemas.search import SearchHitSchema, SearchQueryReadingSchema

blp = Blueprint("search", __name__, url_prefix=urls.SEARCH, description="Full-text search with citations.")

DESCRIPTION = f"""\
Every brief (its title, summary and text), every section (its heading and text) and every typed block
(its title and text; a scenario is a block of its own) is a hit of its own. Matching ignores case and
diacritics ("zurich" finds "Zürich") and compares English word stems ("negotiating" finds "negotiations").

**`q` never fails on syntax.** It is read as words:

- Plain words must all match: `border demarcation`. Common English words (`the`, `what`, `does` ...) are
  not required unless the query has nothing else, but they rank the exact phrase first.
- `"a phrase"` (or `“a phrase”`, `„a phrase“`, `«a phrase»`) matches the words in that order; `-word` and
  `-"a phrase"` exclude; `word*` is a prefix (`negoti*` finds "negotiate" and "negotiations"); `a OR b`
  (or `a | b`) matches either and binds tighter than the implicit AND: `Sochi OR Brussels meeting`.
- People type what they think: `Putin's`, `Putin’s` and `Putin` find the same passages, and so do
  `Armenian-Azerbaijani` and `Armenian Azerbaijani`.
- A name or alias of an actor or event (`Nakhchivan`, `Artsakh`, `Sochi summit`, `EU`) also finds every
  passage that mentions it, whatever words the passage uses: a search for `Russia` finds a passage that calls
  it "Moscow". Such passages rank above those that only contain the words. `query.entities` lists them.

FTS5's own syntax works as written when the query uses one of its operators and FTS5 can parse it:
`AND`, `NOT`, `NEAR(border demarcation, 5)`, parentheses, `^`, and the column filters `title:`, `summary:`
and `text:` (see https://www.sqlite.org/fts5.html#full_text_query_syntax). A query that FTS5 cannot parse
(`border (`) is read as words, and `query.notes` says why; so is `Sochi NEAR Brussels`, without its `NEAR`.
Control characters (NUL included) are dropped and listed in `query.dropped_characters` (a tab or a line
break is read as a space). Only an empty or overlong `q` (or an unknown or repeated parameter) is a 422. A filter that
names no brief, actor or event, or dates that end before they start, find nothing, and `query.notes` says so.

**Ranking**, best first: hits that contain the plain words as an exact phrase; then hits that mention every
actor or event the query names; then the rest. Within each tier, BM25 relevance, where a passage's own title
counts most, then a summary, then the text; a brief ranks among the passages by its title and summary (at
half their weight, so that the passage that treats the query comes first). Last come the briefs found only
as a whole (their text or mentions have the words, their title and summary do not; for instance words that
stand in different sections), by relevance. FTS5 syntax is ranked by relevance alone, briefs found as a
whole last.

**Suggestions.** A word that is in no brief (not even by its stem) gets the closest word of the briefs or of
an entity's names, with {allowed_typos("abcde")} typo in words of 5 to 8 letters, {allowed_typos("abcdefghi")}
in longer ones and none in shorter ones; a swap of two neighbouring letters is one typo, a typo in the first
letter counts as two. A word with no such neighbour that runs together two words the briefs write side by
side gets them apart (`postwar`: `post-war`). `query.suggestion` is the query respelt, offered only when it
finds hits under the same filters (`query.suggestion_total`, `query.suggestion_url`). It is never applied on
its own: a search for `demarkation` answers no hits and suggests `demarcation`.

**Facets.** `facets=type,brief,actor,event,tag,year` (any of them) counts every hit, not only the page:
`facets` lists the {MAX_VALUES} most frequent values of each, most frequent first, and `facet_totals` the number
of distinct values.

Each hit carries a snippet of its text with the matched words marked (or, for a passage found through a
mention, the mention), and a citation of that place.
"""


@blp.route("")
class Search(MethodView):
    @blp.doc(operationId="search", description=DESCRIPTION)
    # An instance, not the class: webargs would build a new schema for every request (0.3 ms of a search).
    @blp.arguments(SearchQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, faceted_page_schema(SearchHitSchema, SearchQueryReadingSchema))
    @blp.paginated
    def get(
        self, q: str, page: int, per_page: int, facets: Sequence[str] = (), type: str | None = None, **filters: Any
    ) -> dict[str, Any]:
        """Search briefs, sections and typed blocks, best hits first, each with a snippet and a citation."""
        wanted = SearchFilters(frozenset({type}) if type else None, **filters)
        return search_page(q, wanted, facets, page, per_page)
