"""ReplayTransport: which recorded answer a request gets."""

from __future__ import annotations

import httpx
import pytest

from docextract.contract.cassettes import interactions_of
from docextract.contract.playback import ReplayTransport, UnmatchedRequest

BASE = "https://api.example.invalid/v2"


def _interaction(method: str, uri: str, body: str, status: int = 200) -> dict[str, object]:
    return {
        "request": {"method": method, "uri": uri, "headers": {}, "body": None},
        "response": {
            "status": {"code": status, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": body},
        },
    }


def transport(*interactions: dict[str, object]) -> ReplayTransport:
    data = {"interactions": list(interactions), "docextract": {"provider": "llamacloud"}}
    return ReplayTransport(interactions_of(data, "test.yaml"))


def test_polls_get_their_recorded_answers_in_order_then_the_last_again() -> None:
    replay = transport(
        _interaction("GET", f"{BASE}/jobs/1", '{"status": "PENDING"}'),
        _interaction("GET", f"{BASE}/jobs/1", '{"status": "RUNNING"}'),
        _interaction("GET", f"{BASE}/jobs/1", '{"status": "COMPLETED"}'),
    )
    with httpx.Client(transport=replay, base_url=BASE) as client:
        seen = [client.get("/jobs/1").json()["status"] for _ in range(5)]
    assert seen == ["PENDING", "RUNNING", "COMPLETED", "COMPLETED", "COMPLETED"]
    assert replay.unplayed == []


def test_query_parameters_match_as_a_multiset_in_any_order() -> None:
    replay = transport(
        _interaction("GET", f"{BASE}/jobs/1?expand=a&expand=b", '{"expanded": true}'),
        _interaction("GET", f"{BASE}/jobs/1", '{"expanded": false}'),
    )
    with httpx.Client(transport=replay, base_url=BASE) as client:
        assert client.get("/jobs/1", params=[("expand", "b"), ("expand", "a")]).json() == {
            "expanded": True
        }
        assert client.get("/jobs/1").json() == {"expanded": False}
        with pytest.raises(UnmatchedRequest, match=r"GET /v2/jobs/1\?expand=a;"):
            client.get("/jobs/1", params={"expand": "a"})
    assert replay.unmatched == ["GET /v2/jobs/1?expand=a"]


def test_a_post_is_not_answered_more_often_than_recorded() -> None:
    replay = transport(_interaction("POST", f"{BASE}/jobs", '{"id": "1"}'))
    with httpx.Client(transport=replay, base_url=BASE) as client:
        assert client.post("/jobs", json={}).json() == {"id": "1"}
        with pytest.raises(UnmatchedRequest, match="POST /v2/jobs was sent 2 times"):
            client.post("/jobs", json={})


async def test_async_clients_replay_too() -> None:
    replay = transport(_interaction("GET", f"{BASE}/jobs/1", '{"status": "COMPLETED"}'))
    async with httpx.AsyncClient(transport=replay, base_url=BASE) as client:
        assert (await client.get("/jobs/1")).json() == {"status": "COMPLETED"}
