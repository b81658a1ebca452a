"""Events as a timeline."""

from __future__ import annotations

from typing import Any

from api.csvout import csv_response, wants_csv
from api.problems import abort
from api.rest import Blueprint, MethodView, paginate
from api.store import reader
from briefs.lookups import EventEntry
from briefs.model import Event
from briefs.reader import Rows
from schemas import urls
from schemas.entities import EventSchema
from schemas.paging import page_schema
from schemas.queries import EventQuerySchema

blp = Blueprint("events", __name__, url_prefix=urls.EVENTS, description="What happened when.")

EVENT_CSV_COLUMNS = ("id", "title", "date", "date_precision", "place", "participants", "briefs", "url")


def _in_range(event: Event, start: str | None, end: str | None, actor: str | None) -> bool:
    date = event.date
    # A partial date stands for its start: "2021" begins before "2021-05", and "to=2021-05" takes all of May.
    return (
        (start is None or date >= start)
        and (end is None or date <= end + "\uffff")
        and (actor is None or actor in event.participants)
    )


def _row(entry: EventEntry) -> dict[str, Any]:
    row: dict[str, Any] = EventSchema().dump(entry)
    return {**row, "participants": " ".join(row["participants"]), "briefs": " ".join(row["briefs"])}


@blp.route("")
class Events(MethodView):
    @blp.doc(operationId="listEvents")
    @blp.arguments(EventQuerySchema, location="query", as_kwargs=True)
    @blp.response(200, page_schema(EventSchema))
    @blp.csv
    @blp.paginated
    def get(self, page: int, per_page: int, format: str | None = None, **filters: Any) -> Any:
        """List events oldest first; a partial date sorts at its start (2021-05 before 2021-05-10)."""
        artifact = reader()
        events = [
            e.id for e in artifact.events
            if _in_range(e, filters.get("from_"), filters.get("to"), filters.get("actor"))
        ]  # fmt: skip
        entries = Rows(events, artifact.must_event_entry)
        if wants_csv(format):
            return csv_response(map(_row, entries), EVENT_CSV_COLUMNS, "events")
        return paginate(entries, page, per_page)


@blp.route("/<event_id>")
class EventsById(MethodView):
    @blp.doc(operationId="getEvent")
    @blp.response(200, EventSchema)
    def get(self, event_id: str) -> EventEntry:
        """Get an event and the briefs about it or mentioning it."""
        entry = reader().event_entry(event_id)
        if entry is None:
            abort(404, f"No event '{event_id}'.")
        return entry  # type: ignore[return-value]
