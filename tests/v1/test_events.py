"""Events as a timeline, and the filters a journalist uses on it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from api import create_app

ENTITIES = """\
actors:
  - {id: a, name: A, kind: state}
  - {id: b, name: B, kind: person}
events:
  - {id: day-may-10, title: Day, date: 2021-05-10, participants: [a]}
  - {id: year-2021, title: Year, date: "2021"}
  - {id: month-may, title: Month, date: "2021-05", participants: [b]}
  - {id: day-may-01, title: Day one, date: 2021-05-01}
  - {id: year-2020, title: Before, date: 2020}
  - {id: month-dec-2020, title: December, date: "2020-12"}
  - {id: day-2022, title: After, date: 2022-01-01}
"""
ORDER = ["year-2020", "month-dec-2020", "year-2021", "month-may", "day-may-01", "day-may-10", "day-2022"]


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    content = tmp_path_factory.mktemp("content")
    (content / "entities").mkdir()
    (content / "briefs").mkdir()
    (content / "entities" / "events.yaml").write_text(ENTITIES, encoding="utf-8")
    return create_app({"BRIEFS_CONTENT_DIR": str(content)}).test_client()


def _ids(client: FlaskClient, query: str = "") -> list[str]:
    return [e["id"] for e in client.get(f"/v1/events?per_page=100{query}").get_json()["items"]]


def test_timeline_orders_year_month_and_day_precision(timeline: FlaskClient) -> None:
    assert _ids(timeline) == ORDER


@pytest.mark.parametrize(
    ("query", "expected"),
    [("&from=2021", ORDER[2:]), ("&from=2021-05", ORDER[3:]), ("&from=2021-05-02", ORDER[5:]),
     ("&to=2020", ORDER[:2]), ("&to=2021-05", ORDER[:6]), ("&to=2021-05-01", ORDER[:5]),
     ("&from=2021&to=2021", ORDER[2:6]), ("&actor=b", ["month-may"])],
)  # fmt: skip
def test_partial_date_filters(timeline: FlaskClient, query: str, expected: list[str]) -> None:
    assert _ids(timeline, query) == expected


@pytest.mark.parametrize("bad", ["2021-13", "21", "2021-5", "May 2021"])
def test_bad_dates_are_422_naming_the_parameter(timeline: FlaskClient, bad: str) -> None:
    problem = timeline.get(f"/v1/events?from={bad}").get_json(force=True)
    assert problem["status"] == 422 and problem["errors"][0]["name"] == "from"


def test_event_keeps_its_precision_and_lists_its_briefs(client: FlaskClient) -> None:
    event = client.get("/v1/events/border-incursions-2021").get_json()
    assert (event["date"], event["date_precision"]) == ("2021-05", "month")
    sochi = client.get("/v1/events/sochi-meeting-2021").get_json()
    assert sochi["briefs"] == ["sochi-summit-2021"] and sochi["date_precision"] == "day"
    assert client.get("/v1/events/nothing").status_code == 404


def test_events_as_csv(timeline: FlaskClient, tmp_path: Path) -> None:
    response = timeline.get("/v1/events", headers={"Accept": "text/csv, application/json;q=0.5"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == ORDER and rows[0]["url"] == "/v1/events/year-2020"
