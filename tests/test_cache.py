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


def test_the_cache_is_bounded_in_bytes_least_recently_used_out(fresh: FlaskClient) -> None:
    entry = freeze(fresh.get(SOCHI))
    size = len(entry.body) + len(entry.gzipped or b"") + 200
    cache = ResponseCache(max_bytes=size * 5)
    for number in range(5):
        cache.put((f"/v1/x/{number}", b"", "application/json"), entry)
    assert cache.get(("/v1/x/0", b"", "application/json")) is entry  # now the most recently used
    cache.put(("/v1/x/5", b"", "application/json"), entry)
    assert len(cache) == 5 and cache.bytes <= size * 5
    assert cache.get(("/v1/x/1", b"", "application/json")) is None
    assert cache.get(("/v1/x/0", b"", "application/json")) is entry


def test_single_resources_come_stored_in_the_artifact(fresh: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import schemas.briefs  # noqa: PLC0415

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("serialised at request time")

    monkeypatch.setattr(schemas.briefs.BriefSchema, "dump", refuse)
    monkeypatch.setattr(schemas.briefs.SectionSchema, "dump", refuse)
    assert fresh.get(SOCHI).status_code == 200
    assert fresh.get(f"{SOCHI}/sections/outlook").status_code == 200
    assert fresh.get(f"{SOCHI}/sections").status_code == 200
