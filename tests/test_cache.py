"""Responses are computed once per corpus version; gzip and 304 come from the stored bytes."""

from __future__ import annotations

import gzip

import pytest
from flask.testing import FlaskClient

from api import create_app
from api.cache import ResponseCache, freeze
from tests.conftest import ROOT

SOCHI = "/v1/briefs/sochi-summit-2021"


@pytest.fixture
def fresh() -> FlaskClient:
    return create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content")}).test_client()


def test_gzip_is_the_same_document_with_its_own_tag(fresh: FlaskClient) -> None:
    plain = fresh.get(SOCHI)
    packed = fresh.get(SOCHI, headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    assert {"Accept", "Accept-Encoding"} <= set(packed.headers["Vary"].replace(" ", "").split(","))
    assert fresh.get(SOCHI, headers={"Accept-Encoding": "gzip;q=0"}).headers.get("Content-Encoding") is None


@pytest.mark.parametrize("path", [SOCHI, "/v1/briefs?per_page=5", "/v1/search?q=Sochi", "/v1/nothing"])
def test_vary_is_on_every_answer(fresh: FlaskClient, path: str) -> None:
    assert "Accept-Encoding" in fresh.get(path).headers["Vary"]


def test_either_tag_revalidates_either_encoding(fresh: FlaskClient) -> None:
    tag = fresh.get(SOCHI).headers["ETag"]
    answer = fresh.get(SOCHI, headers={"If-None-Match": tag, "Accept-Encoding": "gzip"})
    assert answer.status_code == 304 and answer.headers["ETag"].endswith('-gz"')


def test_a_second_request_does_no_serialising(fresh: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    first = fresh.get(SOCHI)
    listing = fresh.get("/v1/briefs?per_page=3")
    import schemas.briefs  # noqa: PLC0415

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("serialised again")

    monkeypatch.setattr(schemas.briefs.BriefSchema, "dump", refuse)
    monkeypatch.setattr(schemas.briefs.BriefSummarySchema, "dump", refuse)
    assert fresh.get(SOCHI).data == first.data
    assert fresh.get(SOCHI, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert fresh.get("/v1/briefs?per_page=3").data == listing.data
    assert fresh.get("/v1/briefs?per_page=3").headers["Link"] == listing.headers["Link"]


def test_two_app_instances_give_the_same_etags() -> None:
    # Replicas behind a load balancer (or a CDN in front of them) agree on validators.
    one = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content")}).test_client()
    two = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content")}).test_client()
    for path in (SOCHI, "/v1/briefs", "/v1/actors/russia/mentions", "/v1/search?q=border", "/v1"):
        assert one.get(path).headers["ETag"] == two.get(path).headers["ETag"]


def test_collections_are_bounded_single_resources_are_kept(fresh: FlaskClient) -> None:
    cache = ResponseCache(lru_size=2)
    entry = freeze(fresh.get(SOCHI))
    for number in range(5):
        cache.put(("/v1/briefs", str(number).encode(), "application/json"), entry, single_resource=False)
        cache.put((f"/v1/x/{number}", b"", "application/json"), entry, single_resource=True)
    assert len(cache) == 5 + 2
    assert cache.get(("/v1/briefs", b"0", "application/json")) is None
    assert cache.get(("/v1/briefs", b"4", "application/json")) is entry
